// RolePrincipals: every holder of one role, authoritative (like GCP's IAMBinding). After an update exactly the
// declared principals hold the role, in the declared scopes and folders; a holder added out of band shows at
// `pulumi preview --refresh` and the next `up` revokes it. id = the role id. A read is one request; a change is
// one add and one remove, whatever the number of holders.
import type { Grant } from "../api/domain";
import type { ProviderContext } from "../context";
import { defineResource, IdCodec, Operations } from "../dynamic/define";
import { partialCreate } from "../dynamic/errors";
import { Args, Instance, resourceClass } from "../dynamic/program";
import type { RoleHolder, RolePrincipalsInputs } from "../generated/inputs";
import { cleanGrant, grantChanges, grantKey, sameGrants } from "../validation/grants";
import { guardLockout } from "../validation/lockout";
import { describeGrants } from "../validation/names";
import { declaredGrant } from "../validation/effectFacts";
import { roleGrants, rolePrincipalsFailures } from "../validation/rolePrincipals";

const codec: IdCodec<RolePrincipalsInputs> = { format: (r) => r.roleId, parse: (id) => ({ roleId: id }) };

/** The holders as the principals output lists them: without the role, in a stable order. */
function principalsOf(grants: Grant[]): RoleHolder[] {
    return [...grants].sort((a, b) => grantKey(a).localeCompare(grantKey(b))).map((g) => {
        const { roleId: _role, ...holder } = cleanGrant(g);
        return holder as RoleHolder;
    });
}

function operations(ctx: ProviderContext): Operations<RolePrincipalsInputs, RolePrincipalsInputs> {
    const directory = ctx.directory;
    const outputsOf = (r: RolePrincipalsInputs): RolePrincipalsInputs => ({ roleId: r.roleId, principals: principalsOf(roleGrants(r)), adopt: r.adopt, allowLockout: r.allowLockout });

    /** The lock-out guard, then one add for every missing holder; returns the one revoke still to make. */
    async function addFirst(inputs: RolePrincipalsInputs, current: Grant[]): Promise<() => Promise<void>> {
        const { added, removed } = grantChanges(current, roleGrants(inputs));
        await guardLockout(ctx, `RolePrincipals ${inputs.roleId}`, inputs.allowLockout, removed, added);
        if (added.length) await directory.changeHolders(inputs.roleId, "add", added);
        return async () => {
            if (removed.length) await directory.changeHolders(inputs.roleId, "remove", removed);
        };
    }

    return {
        async create(inputs) {
            const current = await directory.holders(inputs.roleId, "fresh");
            const same = sameGrants(current, roleGrants(inputs));
            if (current.length && !same && !inputs.adopt) {
                throw new Error(`RolePrincipals ${inputs.roleId}: the role is already held: ${await describeGrants(ctx, current)}, which differs from the declared principals. Set adopt: true to take the role over (undeclared holders are revoked), or declare them.`);
            }
            if (current.length && same && !inputs.adopt) ctx.warn(`RolePrincipals ${inputs.roleId}: exactly these principals already held the role; it is now managed by this stack`);
            const revoke = await addFirst(inputs, current);
            await partialCreate(inputs.roleId, { ...outputsOf(inputs), principals: principalsOf([...current, ...roleGrants(inputs)]) }, revoke);
            return outputsOf(inputs);
        },
        async read(id, known) {
            const roleId = known.roleId ?? id;
            return { roleId, principals: principalsOf(await directory.holders(roleId, "read", `RolePrincipals ${roleId}`)), adopt: known.adopt, allowLockout: known.allowLockout };
        },
        async update(_id, olds, news) {
            await (await addFirst(news, roleGrants(olds)))();
            return outputsOf(news);
        },
        async delete(id, props) {
            const managed = roleGrants(props);
            await guardLockout(ctx, `RolePrincipals ${id}`, props.allowLockout, managed);
            if (managed.length) await directory.changeHolders(props.roleId, "remove", managed);
        },
    };
}

export const rolePrincipals = defineResource<RolePrincipalsInputs, RolePrincipalsInputs>({
    kind: "RolePrincipals",
    id: codec,
    rules: rolePrincipalsFailures,
    claims({ roleId, principals }) {
        const holders = Array.isArray(principals) ? (principals as { principalType?: unknown; principalId?: unknown }[]) : [];
        return { authority: { role: roleId }, grants: holders.map((p) => ({ principalType: p?.principalType, principalId: p?.principalId, roles: [roleId] })) };
    },
    operations,
    // Holders not known yet may be anyone.
    warnings: (inputs, unknown) => ({
        grants: unknown.has("principals") ? [declaredGrant({ roleId: inputs.roleId }, [...unknown, "principalId", "scopeId", "policyParameters"])] : roleGrants(inputs).map((g) => declaredGrant(g, unknown)),
    }),
});

/** Every holder of one role; authoritative. */
export const RolePrincipals = resourceClass(rolePrincipals);
export type RolePrincipals = Instance<RolePrincipalsInputs>;
export type RolePrincipalsArgs = Args<RolePrincipalsInputs>;
export type RolePrincipalsOutputs = RolePrincipalsInputs;

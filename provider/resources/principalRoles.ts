// PrincipalRoles: every role one principal holds through the Permissions API, authoritative (like GCP's
// IAMPolicy for one member). After an update the principal holds exactly the declared grants; a grant made out
// of band shows at `pulumi preview --refresh` and the next `up` revokes it. id = "principalType|principalId".
// Costs: a read is one request per permission type; a change is one add and one remove, whatever the count.
import type { Grant, Principal } from "../api/domain";
import type { ProviderContext } from "../context";
import { defineResource, IdCodec, Operations } from "../dynamic/define";
import { partialCreate } from "../dynamic/errors";
import { Args, Instance, resourceClass } from "../dynamic/program";
import type { PrincipalGrant, PrincipalRolesInputs, PrincipalType } from "../generated/inputs";
import { cleanGrant, grantChanges, grantKey, sameGrants } from "../validation/grants";
import { guardLockout } from "../validation/lockout";
import { describeGrants } from "../validation/names";
import { declaredGrant } from "../validation/effectFacts";
import { principalGrants, principalRolesFailures } from "../validation/principalRoles";

const codec: IdCodec<PrincipalRolesInputs> = {
    format: (p) => `${p.principalType}|${p.principalId}`,
    parse(id) {
        const [principalType, principalId, ...rest] = id.split("|");
        if (!principalType || !principalId || rest.length) throw new Error(`'${id}' is not a PrincipalRoles id; expected principalType|principalId`);
        return { principalType: principalType as PrincipalType, principalId };
    },
};

/** The grants as the roles output lists them: without the principal, in a stable order. */
function rolesOf(grants: Grant[]): PrincipalGrant[] {
    return [...grants].sort((a, b) => grantKey(a).localeCompare(grantKey(b))).map((g) => {
        const { roleId, scopeId, policyParameters } = cleanGrant(g);
        return { roleId, ...(scopeId ? { scopeId } : {}), ...(policyParameters ? { policyParameters } : {}) } as PrincipalGrant;
    });
}

function operations(ctx: ProviderContext): Operations<PrincipalRolesInputs, PrincipalRolesInputs> {
    const directory = ctx.directory;
    const principalOf = (p: Partial<PrincipalRolesInputs>): Principal => ({ principalType: p.principalType as PrincipalType, principalId: p.principalId as string });
    const settings = (p: Partial<PrincipalRolesInputs>) => ({ adopt: p.adopt, allowLockout: p.allowLockout });

    const outputsOf = (p: PrincipalRolesInputs): PrincipalRolesInputs => ({ ...principalOf(p), roles: rolesOf(principalGrants(p)), ...settings(p) });

    /** The lock-out guard, then one add for every missing grant; returns the one revoke still to make. */
    async function addFirst(id: string, inputs: PrincipalRolesInputs, current: Grant[]): Promise<() => Promise<void>> {
        const { added, removed } = grantChanges(current, principalGrants(inputs));
        await guardLockout(ctx, `PrincipalRoles ${id}`, inputs.allowLockout, removed, added);
        await directory.changePrincipalGrants(principalOf(inputs), "add", added);
        return () => directory.changePrincipalGrants(principalOf(inputs), "remove", removed);
    }

    return {
        async create(inputs) {
            const id = codec.format(inputs);
            const current = await directory.principalGrants(principalOf(inputs), "fresh");
            const same = sameGrants(current, principalGrants(inputs));
            if (current.length && !same && !inputs.adopt) {
                throw new Error(`PrincipalRoles ${id}: the principal already holds ${await describeGrants(ctx, current)}, which differs from the declared roles. Set adopt: true to take them over (the undeclared ones are revoked), or declare them.`);
            }
            if (current.length && same && !inputs.adopt) ctx.warn(`PrincipalRoles ${id}: the principal already held exactly these roles; they are now managed by this stack`);
            const revoke = await addFirst(id, inputs, current);
            // Once roles were added the resource exists: a later failure must still land it in state.
            await partialCreate(id, { ...outputsOf(inputs), roles: rolesOf([...current, ...principalGrants(inputs)]) }, revoke);
            return outputsOf(inputs);
        },
        async read(id, known) {
            const principal = { ...codec.parse(id), ...principalOf(known) };
            return { ...principal, roles: rolesOf(await directory.principalGrants(principal, "read")), ...settings(known) };
        },
        async update(id, olds, news) {
            await (await addFirst(id, news, principalGrants(olds)))();
            return outputsOf(news);
        },
        async delete(id, props) {
            const managed = principalGrants(props);
            await guardLockout(ctx, `PrincipalRoles ${id}`, props.allowLockout, managed);
            await directory.changePrincipalGrants(principalOf(props), "remove", managed);
        },
    };
}

export const principalRoles = defineResource<PrincipalRolesInputs, PrincipalRolesInputs>({
    kind: "PrincipalRoles",
    id: codec,
    rules: principalRolesFailures,
    claims({ principalType, principalId, roles }) {
        const grants = Array.isArray(roles) ? (roles as { roleId?: unknown }[]) : [];
        return { authority: { principal: [principalType, principalId] }, grants: [{ principalType, principalId, roles: grants.map((r) => r?.roleId) }] };
    },
    operations,
    warnings(inputs, unknown) {
        const principal = { principalType: inputs.principalType, principalId: inputs.principalId };
        const grants = unknown.has("roles") ? [declaredGrant(principal, [...unknown, "roleId", "scopeId", "policyParameters"])] : principalGrants(inputs).map((g) => declaredGrant(g, unknown));
        const known = !unknown.has("principalType") && !unknown.has("principalId") && principal.principalType && principal.principalId;
        return { grants, ...(known ? { authoritativeFor: principal as Principal } : {}) };
    },
});

/** Every role one principal holds; authoritative. */
export const PrincipalRoles = resourceClass(principalRoles);
export type PrincipalRoles = Instance<PrincipalRolesInputs>;
export type PrincipalRolesArgs = Args<PrincipalRolesInputs>;
export type PrincipalRolesOutputs = PrincipalRolesInputs;

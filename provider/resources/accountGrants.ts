// AccountGrants: the guard of an exclusive permissions.yaml. Its read lists every grant of the account (two reads
// for the roles, then one per role) and reports those that nothing in the program declares, and no exempt
// principal holds, as `undeclared` ("group g1 holds cld::role::account::master_admin (account)"). The input is
// always empty, so `pulumi preview --refresh` shows each one as a change and `pulumi up` revokes them, one write
// per role. Deleting the guard revokes nothing. id = "account".
import type { Grant } from "../api/domain";
import type { ProviderContext } from "../context";
import type { Freshness } from "../context/directory";
import { defineResource, Operations } from "../dynamic/define";
import { Args, Instance, resourceClass } from "../dynamic/program";
import type { AccountGrantsInputs } from "../generated/inputs";
import { accountGrantsFailures } from "../validation/accountGrants";
import { describeGrant, grantKey } from "../validation/grants";
import { guardLockout } from "../validation/lockout";
import { namesOfGrants } from "../validation/names";

function operations(ctx: ProviderContext): Operations<AccountGrantsInputs, AccountGrantsInputs> {
    const directory = ctx.directory;

    /** The declared grants with a folder share's cloud name turned into its product environment id. */
    async function declaredGrants(inputs: Partial<AccountGrantsInputs>): Promise<Grant[]> {
        const byCloudName = new Map([...(await directory.productEnvironments()).values()].map((pe) => [pe.cloudName, pe.id]));
        return (inputs.declared ?? []).map(({ cloudName, ...g }) => ({ ...g, ...(cloudName ? { scopeId: byCloudName.get(cloudName) ?? cloudName } : {}) }));
    }

    async function undeclared(inputs: Partial<AccountGrantsInputs>, freshness: Freshness): Promise<Grant[]> {
        const declared = new Set((await declaredGrants(inputs)).map(grantKey));
        const exempt = new Set((inputs.exempt ?? []).map((p) => `${p.principalType}|${p.principalId}`));
        const { grants } = await directory.accountGrants(freshness);
        return grants.filter((g) => !declared.has(grantKey(g)) && !exempt.has(`${g.principalType}|${g.principalId}`));
    }

    /** Revokes every undeclared grant, one write per role, after the lock-out guard. */
    async function revokeUndeclared(inputs: AccountGrantsInputs): Promise<AccountGrantsInputs> {
        // Before revoking, what is granted now: a grant made since the run's read must not survive the guard.
        const extra = await undeclared(inputs, "fresh");
        await guardLockout(ctx, "exclusive permissions (AccountGrants)", inputs.allowLockout, extra);
        for (const roleId of new Set(extra.map((g) => g.roleId))) {
            await directory.changeHolders(roleId, "remove", extra.filter((g) => g.roleId === roleId));
        }
        return { declared: inputs.declared, exempt: inputs.exempt ?? [], undeclared: [], allowLockout: inputs.allowLockout };
    }

    return {
        create: revokeUndeclared,
        async read(_id, known) {
            const grants = await undeclared(known, "read");
            const names = await namesOfGrants(ctx, grants);
            const extra = grants.map((g) => describeGrant(g, names)).sort();
            for (const grant of extra) ctx.warn(`exclusive: ${grant}, which nothing in this program declares; \`pulumi up\` revokes it`);
            return { declared: known.declared ?? [], exempt: known.exempt ?? [], undeclared: extra, allowLockout: known.allowLockout };
        },
        update: (_id, _olds, news) => revokeUndeclared(news),
        delete: async () => undefined,
    };
}

export const accountGrants = defineResource<AccountGrantsInputs, AccountGrantsInputs>({
    kind: "AccountGrants",
    id: { format: () => "account", parse: () => ({}) },
    rules: accountGrantsFailures,
    claims: () => ({ unique: [{ what: "account", parts: ["account"] }] }),
    operations,
});

/** The exclusive guard: every grant of the account not declared (nor exempt) is shown as drift and revoked. */
export const AccountGrants = resourceClass(accountGrants);
export type AccountGrants = Instance<AccountGrantsInputs>;
export type AccountGrantsArgs = Args<AccountGrantsInputs>;
export type AccountGrantsOutputs = AccountGrantsInputs;

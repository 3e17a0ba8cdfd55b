// Deletes every object of the account whose name starts with the live tests' prefix: what a run created and a
// failed or killed run left behind. Custom policies go first, then custom roles (with force: their grants go with
// them), then groups (their grants and folder shares go with them).
import type { ProviderContext } from "../../../provider/context";

export async function sweep(ctx: ProviderContext, prefix: string): Promise<string[]> {
    if (prefix.length < 8) throw new Error(`refusing to sweep with the prefix '${prefix}': too short to be specific`);
    const swept: string[] = [];
    const mine = (name: string | undefined) => name !== undefined && name.startsWith(prefix);
    const environments = await ctx.api.account.listProductEnvironments();
    const scopes: [("account" | "prodenv"), string | undefined][] = [["account", undefined], ["prodenv", "all"], ...environments.map((pe): ["prodenv", string] => ["prodenv", pe.id])];
    for (const [scopeType, scopeId] of scopes) {
        for (const policy of (await ctx.api.policies.list(scopeType, scopeId)).filter((p) => mine(p.name))) {
            await ctx.api.policies.delete(policy.id);
            swept.push(`custom policy '${policy.name}' (${policy.id})`);
        }
    }
    for (const permissionType of ["global", "content"] as const) {
        for (const role of (await ctx.api.account.listRoles(permissionType, "custom")).filter((r) => mine(r.name))) {
            await ctx.api.account.deleteRole(role.id, true);
            swept.push(`custom role '${role.name}' (${role.id})`);
        }
    }
    for (const group of (await ctx.api.account.listGroups()).filter((g) => mine(g.name))) {
        await ctx.api.account.deleteGroup(group.id);
        swept.push(`group '${group.name}' (${group.id})`);
    }
    return swept;
}

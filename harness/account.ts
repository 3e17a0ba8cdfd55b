// A comparable snapshot of what the account holds that this project manages, read from the live APIs.
import { ProviderContext } from "../provider/context";

const PROD = "pe0prod000000000000000000000001";

/** Every custom role of the account (the roles API lists one permission type at a time). */
export async function customRoles(ctx: ProviderContext) {
    return [
        ...(await ctx.permissions.listRoles({ permission_type: "global", management_type: "custom" })),
        ...(await ctx.permissions.listRoles({ permission_type: "content", management_type: "custom" })),
    ];
}

/** What the account holds that this project manages: custom roles, groups, and every grant. */
export async function accountSnapshot(ctx: ProviderContext): Promise<string> {
    const roles = (await customRoles(ctx)).map((r) => `${r.id}:${r.name}`);
    const groups = (await ctx.provisioning.listUserGroups()).map((g) => `${g.id}:${g.name}`);
    const grants: string[] = [];
    for (const [type, id] of [["account"], ["prodenv", PROD], ["prodenv", "pe0stag000000000000000000000002"]] as const) {
        for (const p of await ctx.permissions.inspect(type, id)) {
            for (const r of p.roles) grants.push(`${p.type}:${p.id}:${r.id}:${r.scope_id ?? ""}:${JSON.stringify(r.policy_parameters ?? {})}`);
        }
    }
    return JSON.stringify({ roles: roles.sort(), groups: groups.sort(), grants: grants.sort() }, null, 1);
}


// A large existing account, made through the APIs as its admins would have made it: custom roles of every kind,
// groups with members, and grants to every principal type (users, groups, API keys, the provisioning key),
// content roles on folders and collections, folder shares through the Admin API, and a user kept out of a product
// environment. Used by the export round
// trip test and the export benchmark.
import type { EmulatorHandle } from "../emulator";
import type { Grant } from "../provider/api/domain";
import { contextFor } from "./emulator";

const USERS = ["u0alice0000000000000000000001", "u0bob000000000000000000000002", "u0carol0000000000000000000003", "u0dave00000000000000000000004", "u0erin00000000000000000000005"];
const PROD = { id: "pe0prod000000000000000000000001", cloudName: "acme-prod", apiKey: "820000000000002" };
const STAGING = { id: "pe0stag000000000000000000000002", apiKey: "830000000000002" };
const PROD_FOLDERS = ["fmarketing0000000000000000000001", "fcampaigns0000000000000000000002", "fcreative00000000000000000000004", "fbrandassets000000000000000000005", "fproducts0000000000000000000006"];

/** Seeds about `groups` × 9 grants plus a few per user and key; returns the number of grants in the account. */
export async function seedLargeAccount(emulator: EmulatorHandle, groups = 24): Promise<number> {
    const ctx = contextFor(emulator);
    const account = ctx.api.account;
    const uploader = await account.createRole({ name: "Legacy uploader", permissionType: "global", scopeType: "prodenv", systemPolicyIds: ["cld::policy::global::ml::access"] });
    const auditor = await account.createRole({ name: "Auditor", permissionType: "global", scopeType: "account", systemPolicyIds: ["cld::policy::global::users_and_groups::manage"] });
    const editor = await account.createRole({ name: "Folder editor", permissionType: "content", scopeType: "prodenv", systemPolicyIds: ["cld::policy::content::folder::view_download", "cld::policy::content::folder::add_assets"] });
    for (let i = 0; i < groups; i++) {
        const group = await account.createGroup(`Team ${String(i).padStart(3, "0")}`);
        await account.addMember(group.id, USERS[i % USERS.length]);
        const principal = { principalType: "group" as const, principalId: group.id };
        const folder = PROD_FOLDERS[i % PROD_FOLDERS.length];
        await account.changePrincipalGrants(principal, "add", [
            { roleId: "cld::role::prodenv::ml_user", scopeId: "all" },
            { roleId: "cld::role::prodenv::reports", scopeId: PROD.id },
            { roleId: "cld::role::prodenv::reports", scopeId: STAGING.id },
            { roleId: uploader.id, scopeId: PROD.id },
            { roleId: auditor.id },
            { roleId: editor.id, scopeId: PROD.id, policyParameters: { folderId: folder } },
            { roleId: "cld::role::collection::viewer", scopeId: PROD.id, policyParameters: { collectionId: `coll${String(i).padStart(4, "0")}` } },
        ]);
        // Folder shares, as the Console's "Share folder" makes them (Admin API).
        await ctx.api.folders(PROD.cloudName).changeFolderRoles(folder, principal, "add", ["cld::role::folder::viewer"]);
        await ctx.api.folders(PROD.cloudName).changeFolderRoles(PROD_FOLDERS[(i + 1) % PROD_FOLDERS.length], principal, "add", ["cld::role::folder::contributor"]);
    }
    const extra: Grant[] = [
        ...USERS.slice(1).map((u) => ({ roleId: "cld::role::prodenv::ml_user", principalType: "user" as const, principalId: u, scopeId: PROD.id })),
        { roleId: uploader.id, principalType: "apiKey", principalId: PROD.apiKey, scopeId: PROD.id },
        { roleId: "cld::role::prodenv::reports", principalType: "apiKey", principalId: STAGING.apiKey, scopeId: STAGING.id },
        { roleId: "cld::role::account::reports", principalType: "provisioningKey", principalId: ctx.settings.account!.apiKey },
    ];
    for (const g of extra) await account.changeHolders(g.roleId, "add", [g]);
    // A contractor kept to staging (the Provisioning API's sub_account_ids).
    await ctx.provisioning.updateUser(USERS[4], { sub_account_ids: [STAGING.id] });
    return (await ctx.directory.accountGrants("fresh")).grants.length;
}

// An account for the access report's tests: the seeded account plus a group with members, grants through it,
// folder roles on a parent folder (inherited below it) and custom policies for a user, a group and everyone.
import { FOLDERS, PROD, STAGING, USERS } from "../../emulator/seed";
import type { ProviderContext } from "../../provider/context";

export const folderRead = (principal: string, folderId: string) =>
    `permit(principal${principal}, action == Cloudinary::Action::"read", resource is Cloudinary::Folder) when { resource.ancestor_ids.contains("${folderId}") };`;

/** Returns the Designers group's id. */
export async function seedAccess(ctx: ProviderContext): Promise<string> {
    const designers = (await ctx.provisioning.createUserGroup("Designers")).id as string;
    for (const u of [USERS.bob.id, USERS.erin.id]) await ctx.provisioning.addUserToGroup(designers, u);
    await ctx.permissions.updateRolePrincipals("cld::role::prodenv::reports", "add", [{ principal_type: "group", principal_id: designers, scope_id: "all" }]);
    await ctx.permissions.updateRolePrincipals("cld::role::folder::viewer", "add", [
        { principal_type: "user", principal_id: USERS.erin.id, scope_id: PROD.id, policy_parameters: { folder_id: FOLDERS.marketing.id } },
        { principal_type: "user", principal_id: USERS.carol.id, scope_id: PROD.id, policy_parameters: { folder_id: FOLDERS.winter2026.id } },
    ]);
    await ctx.permissions.updateRolePrincipals("cld::role::prodenv::ml_user", "add", [{ principal_type: "apiKey", principal_id: STAGING.integrationKey, scope_id: STAGING.id }]);
    const policies = ctx.api.policies;
    await policies.create({ name: "Designers read winter", scopeType: "prodenv", scopeId: PROD.id, policyStatement: folderRead(` in Cloudinary::Group::"${designers}"`, FOLDERS.winter2026.id) });
    await policies.create({ name: "Carol reads products", scopeType: "prodenv", scopeId: PROD.id, policyStatement: folderRead(` == Cloudinary::User::"${USERS.carol.id}"`, FOLDERS.products.id) });
    await policies.create({ name: "Everyone reads sandbox", scopeType: "prodenv", scopeId: STAGING.id, policyStatement: folderRead("", FOLDERS.sandbox.id) });
    await policies.create({ name: "Disabled", scopeType: "prodenv", scopeId: PROD.id, enabled: false, policyStatement: folderRead(` == Cloudinary::User::"${USERS.bob.id}"`, FOLDERS.creative.id) });
    return designers;
}

// The "what a user would otherwise write" baseline: a plain script that makes the same Cloudinary writes as
// `pulumi up` of a permissions file, one request after another, with the same API clients. No state, no
// diffing, no reads: the least a correct imperative script can do.
import { FolderPrincipalType } from "../provider/api/admin";
import { RolePrincipalChange } from "../provider/api/permissions";
import { ProviderContext } from "../provider/context";
import { PermissionsFile } from "../provider/gitops";

export interface DirectRun {
    groupIds: Record<string, string>;
    roleIds: Record<string, string>;
}

/** Creates everything the file declares, one request at a time. */
export async function createDirect(file: PermissionsFile, ctx: ProviderContext): Promise<DirectRun> {
    const groupIds: Record<string, string> = {};
    for (const [key, group] of Object.entries(file.groups ?? {})) {
        const created = await ctx.provisioning.createUserGroup(group.name);
        groupIds[key] = created.id as string;
        for (const userId of group.memberIds ?? []) await ctx.provisioning.addUserToGroup(groupIds[key], userId);
    }
    const roleIds: Record<string, string> = {};
    for (const [key, role] of Object.entries(file.customRoles ?? {})) {
        const created = await ctx.permissions.createRole({
            name: role.name,
            description: role.description as string | undefined,
            permission_type: role.permissionType as "global" | "content",
            scope_type: role.scopeType as "account" | "prodenv",
            system_policy_ids: role.systemPolicyIds,
        });
        roleIds[key] = created.id;
    }
    const role = (id: string) => roleIds[id] ?? id;
    const principal = (type: string, id: string) => (type === "group" ? groupIds[id] ?? id : id);
    for (const grant of Object.values(file.roleAssignments ?? {})) {
        const parameters = grant.policyParameters && ("folderId" in grant.policyParameters ? { folder_id: grant.policyParameters.folderId } : { collection_id: grant.policyParameters.collectionId });
        await ctx.permissions.updateRolePrincipals(role(grant.roleId), "add", [
            {
                principal_type: grant.principalType as RolePrincipalChange["principal_type"],
                principal_id: principal(grant.principalType, grant.principalId),
                ...(grant.scopeId ? { scope_id: grant.scopeId } : {}),
                ...(parameters ? { policy_parameters: parameters } : {}),
            },
        ]);
    }
    for (const share of Object.values(file.folderShares ?? {})) {
        await ctx.admin(share.cloudName).changeFolderRoles(share.folderId, { type: share.principalType as FolderPrincipalType, id: principal(share.principalType, share.principalId) }, "add", share.roles.map(role));
    }
    return { groupIds, roleIds };
}

/** Removes what createDirect made, as a cleanup script would: shares first, then roles (with their grants) and groups. */
export async function teardownDirect(file: PermissionsFile, ctx: ProviderContext, { groupIds, roleIds }: DirectRun): Promise<void> {
    const role = (id: string) => roleIds[id] ?? id;
    const principal = (type: string, id: string) => (type === "group" ? groupIds[id] ?? id : id);
    for (const share of Object.values(file.folderShares ?? {})) {
        await ctx.admin(share.cloudName).changeFolderRoles(share.folderId, { type: share.principalType as FolderPrincipalType, id: principal(share.principalType, share.principalId) }, "remove", share.roles.map(role));
    }
    for (const roleId of Object.values(roleIds)) await ctx.permissions.deleteRole(roleId, true);
    for (const groupId of Object.values(groupIds)) await ctx.provisioning.deleteUserGroup(groupId);
}

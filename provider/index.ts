// pulumi-cloudinary-permissions: Pulumi resources for Cloudinary's roles and permissions.
export { CustomRole, CustomRoleArgs, CustomRoleOutputs } from "./resources/customRole";
export { RoleAssignment, RoleAssignmentArgs, PolicyParameters } from "./resources/roleAssignment";
export { FolderShare, FolderShareArgs } from "./resources/folderShare";
export { Group, GroupArgs, GroupOutputs } from "./resources/group";
export { PrincipalRoles, PrincipalRolesArgs } from "./resources/principalRoles";
export { RolePrincipals, RolePrincipalsArgs } from "./resources/rolePrincipals";
export { AccountGrants, AccountGrantsArgs } from "./resources/accountGrants";
export { CustomPolicy, CustomPolicyArgs, CustomPolicyOutputs } from "./resources/customPolicy";
export { getEffectivePermissions, EffectivePermissions, EffectivePermissionsQuery, EffectiveGrant } from "./access";
export { loadPermissionsFile, parsePermissionsFile, declarePermissions, PermissionsFileError, PermissionsFileResources } from "./gitops";
export type { PermissionsFile, PrincipalRolesInputs, RolePrincipalsInputs, PrincipalGrant, RoleHolder, PrincipalRef, ExclusiveGrant } from "./generated/inputs";
export { CloudinaryPermissionsError, CloudinaryApiError, CloudinaryConfigError, CloudinaryNetworkError, CloudinaryUnreachableError } from "./api/errors";

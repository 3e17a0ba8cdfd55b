// Generated from schema.json by scripts/gen-types.js: do not edit. Run `npm run gen:types` after changing schema.json.
// Every resource's class and types, as the package exports them (provider/resources/<kind>.ts by convention).
export { CustomRole, type CustomRoleArgs, type CustomRoleOutputs } from "./customRole";
export { RoleAssignment, type RoleAssignmentArgs, type RoleAssignmentOutputs } from "./roleAssignment";
export { FolderShare, type FolderShareArgs, type FolderShareOutputs } from "./folderShare";
export { Group, type GroupArgs, type GroupOutputs } from "./group";
export { PrincipalRoles, type PrincipalRolesArgs, type PrincipalRolesOutputs } from "./principalRoles";
export { RolePrincipals, type RolePrincipalsArgs, type RolePrincipalsOutputs } from "./rolePrincipals";
export { AccountGrants, type AccountGrantsArgs, type AccountGrantsOutputs } from "./accountGrants";
export { ProductEnvironmentAccess, type ProductEnvironmentAccessArgs, type ProductEnvironmentAccessOutputs } from "./productEnvironmentAccess";
export { CustomPolicy, type CustomPolicyArgs, type CustomPolicyOutputs } from "./customPolicy";

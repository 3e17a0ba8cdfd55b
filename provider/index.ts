// pulumi-cloudinary-permissions: Pulumi resources for Cloudinary's roles and permissions.
// Every resource's class and types (generated from schema.json: see provider/resources/index.ts).
export * from "./resources";
export { getEffectivePermissions, EffectivePermissions, EffectivePermissionsQuery, EffectiveGrant } from "./access";
export { loadPermissionsFile, parsePermissionsFile, declarePermissions, PermissionsFileError, PermissionsFileResources } from "./gitops";
export type { PermissionsFile, PrincipalRolesInputs, RolePrincipalsInputs, PrincipalGrant, RoleHolder, PrincipalRef, ExclusiveGrant, PolicyParameters } from "./generated/inputs";
export { CloudinaryPermissionsError, CloudinaryApiError, CloudinaryConfigError, CloudinaryNetworkError, CloudinaryUnreachableError } from "./api/errors";

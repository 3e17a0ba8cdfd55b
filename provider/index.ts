// pulumi-cloudinary-permissions: Pulumi resources for Cloudinary's roles and permissions.
export { CustomRole, CustomRoleArgs } from "./resources/customRole";
export { RoleAssignment, RoleAssignmentArgs, PolicyParameters } from "./resources/roleAssignment";
export { FolderShare, FolderShareArgs } from "./resources/folderShare";
export { Group, GroupArgs } from "./resources/group";
export { CloudinaryApiError, CloudinaryConfigError, CloudinaryNetworkError } from "./api/errors";

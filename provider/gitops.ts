// GitOps: a declarative permissions.yaml turned into this package's resources (validated first, in
// validation/permissionsFile.ts). Errors are raised while the Pulumi program runs, so `pulumi preview` fails
// before anything is written.
import type * as pulumi from "@pulumi/pulumi";
import * as fs from "node:fs";
import type { PermissionsFile } from "./generated/inputs";
import { CustomPolicy } from "./resources/customPolicy";
import { CustomRole } from "./resources/customRole";
import { FolderShare } from "./resources/folderShare";
import { Group } from "./resources/group";
import { RoleAssignment } from "./resources/roleAssignment";
import { claimFolderRoles } from "./validation/declarations";
import { parsePermissionsFile, PermissionsFileError } from "./validation/permissionsFile";

export { parsePermissionsFile, PermissionsFileError };
export type { PermissionsFile };

export interface PermissionsFileResources {
    groups: Record<string, Group>;
    customRoles: Record<string, CustomRole>;
    roleAssignments: Record<string, RoleAssignment>;
    folderShares: Record<string, FolderShare>;
    customPolicies: Record<string, CustomPolicy>;
}

/** Declares the file's resources. References by logical name become dependencies on the referenced resource. */
export function declarePermissions(file: PermissionsFile, opts?: pulumi.CustomResourceOptions): PermissionsFileResources {
    const groups: Record<string, Group> = {};
    for (const [key, args] of Object.entries(file.groups ?? {})) groups[key] = new Group(key, args, opts);
    const customRoles: Record<string, CustomRole> = {};
    for (const [key, args] of Object.entries(file.customRoles ?? {})) customRoles[key] = new CustomRole(key, args, opts);

    const role = (id: string): pulumi.Input<string> => customRoles[id]?.roleId ?? id;
    const principal = (type: string, id: string): pulumi.Input<string> => (type === "group" && groups[id] ? groups[id].groupId : id);

    // Conflicts between shares and folder grants, by the names written in the file (group keys included).
    for (const [key, args] of Object.entries(file.folderShares ?? {})) claimFolderRoles("FolderShare", args.principalType, args.principalId, args.folderId, key);
    for (const [key, args] of Object.entries(file.roleAssignments ?? {})) {
        if (args.policyParameters && "folderId" in args.policyParameters) claimFolderRoles("RoleAssignment", args.principalType, args.principalId, args.policyParameters.folderId, key);
    }

    const roleAssignments: Record<string, RoleAssignment> = {};
    for (const [key, args] of Object.entries(file.roleAssignments ?? {})) {
        roleAssignments[key] = new RoleAssignment(key, { ...args, roleId: role(args.roleId), principalId: principal(args.principalType, args.principalId) }, opts);
    }
    const folderShares: Record<string, FolderShare> = {};
    for (const [key, args] of Object.entries(file.folderShares ?? {})) {
        folderShares[key] = new FolderShare(key, { ...args, roles: args.roles.map(role), principalId: principal(args.principalType, args.principalId) }, opts);
    }
    const customPolicies: Record<string, CustomPolicy> = {};
    for (const [key, args] of Object.entries(file.customPolicies ?? {})) customPolicies[key] = new CustomPolicy(key, args, opts);
    return { groups, customRoles, roleAssignments, folderShares, customPolicies };
}

export function loadPermissionsFile(filePath: string, opts?: pulumi.CustomResourceOptions): PermissionsFileResources {
    return declarePermissions(parsePermissionsFile(fs.readFileSync(filePath, "utf8"), filePath), opts);
}

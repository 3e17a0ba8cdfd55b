// Generated from schema.json by scripts/gen-types.js: do not edit. Run `npm run gen:types` after changing schema.json.
// Every resource's definition (what the runtime hands the engine's calls to) and class, by kind.
import type { DefinedResource } from "../dynamic/define";
import type { ResourceKind } from "../generated/resources";
import { customRole, CustomRole } from "./customRole";
import { roleAssignment, RoleAssignment } from "./roleAssignment";
import { folderShare, FolderShare } from "./folderShare";
import { group, Group } from "./group";
import { principalRoles, PrincipalRoles } from "./principalRoles";
import { rolePrincipals, RolePrincipals } from "./rolePrincipals";
import { accountGrants, AccountGrants } from "./accountGrants";
import { productEnvironmentAccess, ProductEnvironmentAccess } from "./productEnvironmentAccess";
import { customPolicy, CustomPolicy } from "./customPolicy";

export const DEFINITIONS: Readonly<Record<ResourceKind, DefinedResource<any, any>>> = {
    CustomRole: customRole,
    RoleAssignment: roleAssignment,
    FolderShare: folderShare,
    Group: group,
    PrincipalRoles: principalRoles,
    RolePrincipals: rolePrincipals,
    AccountGrants: accountGrants,
    ProductEnvironmentAccess: productEnvironmentAccess,
    CustomPolicy: customPolicy,
};

export const CLASSES = {
    CustomRole,
    RoleAssignment,
    FolderShare,
    Group,
    PrincipalRoles,
    RolePrincipals,
    AccountGrants,
    ProductEnvironmentAccess,
    CustomPolicy,
} as const satisfies Record<ResourceKind, unknown>;

/** The resources a permissions.yaml declares, by section and key. */
export interface SectionResources {
    groups: Record<string, Group>;
    customRoles: Record<string, CustomRole>;
    roleAssignments: Record<string, RoleAssignment>;
    folderShares: Record<string, FolderShare>;
    principalRoles: Record<string, PrincipalRoles>;
    rolePrincipals: Record<string, RolePrincipals>;
    customPolicies: Record<string, CustomPolicy>;
    productEnvironmentAccess: Record<string, ProductEnvironmentAccess>;
}

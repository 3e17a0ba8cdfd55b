// The domain types the API layer returns: camelCase, ids always present. Everything above provider/api/
// speaks these; the wire's snake_case shapes stay in the clients and in cloudinary.ts, which maps them once.
import type { CustomPolicyInputs, FolderPrincipalType, PermissionType, PolicyParameters, PrincipalType, ScopeType } from "../generated/inputs";

export type { FolderPrincipalType, PermissionType, PolicyParameters, PrincipalType, ScopeType };

/** The kind of content a content role (or policy) applies to, named by the policy parameter it takes. */
export type ContentType = "folder" | "collection";

export interface SystemPolicy {
    id: string;
    name: string;
    permissionType: PermissionType;
    scopeType: ScopeType;
    contentType?: ContentType;
}

export interface Role {
    id: string;
    name: string;
    description?: string;
    managementType: "system" | "custom";
    permissionType: PermissionType;
    scopeType: ScopeType;
    systemPolicyIds: string[];
    /** For content roles: what their policy parameters name. */
    contentType?: ContentType;
}

/** What a custom role is made of, as declared. */
export interface RoleDeclaration {
    id?: string;
    name: string;
    description?: string;
    permissionType: PermissionType;
    scopeType: ScopeType;
    systemPolicyIds: string[];
}

export interface Catalog {
    policies: Map<string, SystemPolicy>;
    roles: Map<string, Role>;
}

/** Who holds roles: a user, a group, an API key or a provisioning key. */
export interface Principal {
    principalType: PrincipalType;
    principalId: string;
}

/** A principal that holds (or is to hold) a role, with where it holds it. */
export interface Holder extends Principal {
    /** A product environment id or "all" (product-environment roles); absent for account roles. */
    scopeId?: string;
    /** The folder or collection of a content role. */
    policyParameters?: PolicyParameters;
}

/** One role granted to one principal. */
export interface Grant extends Holder {
    roleId: string;
}

export interface Group {
    id: string;
    name: string;
    /** Present when the group was read with its members. */
    memberIds?: string[];
}

export interface User {
    id: string;
    name?: string;
    email?: string;
    /** The user's role in the Provisioning API (master_admin, admin, media_library_user, ...): a master admin enters every product environment. */
    accountRole?: string;
    /** The user may enter every product environment (Cloudinary's default), as the Provisioning API says. */
    allProductEnvironments?: boolean;
}

/** The product environments a user may enter: every one, or these (ids). */
export type ProductEnvironmentAccess = { all: true } | { all: false; productEnvironmentIds: string[] };

/** A folder of a product environment: its external id and its path (`marketing/campaigns`). */
export interface Folder {
    id: string;
    path: string;
    /** Its ancestors' ids, root first, where the read gives them. */
    ancestorIds?: string[];
}

export interface ProductEnvironment {
    id: string;
    cloudName: string;
    name?: string;
}

export interface FolderPrincipal {
    principalType: FolderPrincipalType;
    principalId: string;
}

/** The folder roles one principal holds on a folder: its own, and those inherited from ancestor folders. */
export interface FolderRoles extends FolderPrincipal {
    /** The folder where the roles were assigned: the folder asked about or one of its ancestors. */
    folderId: string;
    roles: { roleId: string; inherited: boolean }[];
}


/** A custom policy (Cedar), as declared: scopeId for prodenv policies is a product environment id or "all". */
export type CustomPolicyDeclaration = Omit<CustomPolicyInputs, "adopt">;

export interface CustomPolicy extends CustomPolicyDeclaration {
    id: string;
    enabled: boolean;
}

/** A principal as the APIs name it. */
export interface Principal {
    principalType: PrincipalType;
    principalId: string;
}

/** One role a principal holds in a scope, as inspect reports it. */
export interface HeldRole {
    roleId: string;
    roleName: string;
    permissionType: PermissionType;
    scopeType: ScopeType;
    /** A product environment id or "all" (product-environment roles). */
    scopeId?: string;
    /** The folder a folder role was granted on: the folder asked about, or one of its ancestors (then inherited). */
    folderId?: string;
    collectionId?: string;
}

/** A principal with the roles it holds in the scope asked about. */
export interface InspectedPrincipal extends Principal {
    roles: HeldRole[];
}

/** What inspect and effective policies are asked about. */
export interface AccessScope {
    scopeType: ScopeType;
    scopeId?: string;
    principal?: Principal;
    folderId?: string;
}

/** An enabled custom policy in force in a scope, by id with its statement. */
export interface EffectiveCustomPolicy {
    id: string;
    policyStatement: string;
}

// The emulator's data model: the records of the emulated account and the system catalog's entries. Records are
// read-only: the store hands out frozen records and replaces a record on every change, so a route can keep or
// return what it read without copying it. Types only, so that every module can import them without cycles.

export type ScopeType = "account" | "prodenv";
export type PermissionType = "global" | "content";

/** What system policies and system roles have in common. */
interface CatalogEntry {
    readonly id: string;
    readonly name: string;
    readonly description: string | null;
    readonly scope_type: ScopeType;
    readonly permission_type: PermissionType;
    readonly policy_parameters: readonly string[];
    /** Where the entry comes from (catalog file, spec example, or an emulator assumption). */
    readonly source: string;
}

export interface SystemPolicy extends CatalogEntry {
    readonly policy_statement: string;
    readonly category?: string;
    readonly sub_category?: string;
}

export interface SystemRole extends CatalogEntry {
    readonly system_policy_ids: readonly string[];
    /** True for entries that are not Cloudinary facts but emulator assumptions. */
    readonly emulator_only?: boolean;
}

export type PrincipalType = "user" | "group" | "apiKey" | "provisioningKey";
export type PolicyParameterKey = "folder_id" | "collection_id";

/** A principal as the Permissions API names it. */
export interface PrincipalRef {
    readonly type: PrincipalType;
    readonly id: string;
}

export interface ApiKeyRecord {
    readonly key: string;
    readonly secret: string;
    readonly name: string;
    readonly enabled: boolean;
}

export interface ProductEnvironmentRecord {
    readonly id: string;
    readonly cloudName: string;
    readonly name: string;
    readonly enabled: boolean;
    readonly createdAt: string;
    readonly updatedAt: string;
    readonly apiKeys: readonly ApiKeyRecord[];
}

export interface UserRecord {
    readonly id: string;
    readonly name: string;
    readonly email: string;
    readonly role: string;
    readonly enabled: boolean;
    readonly pending: boolean;
    readonly createdAt: string;
    readonly updatedAt: string;
    readonly lastLogin: string | null;
    /** null: all product environments, present and future. */
    readonly subAccountIds: readonly string[] | null;
}

export interface GroupRecord {
    readonly id: string;
    readonly name: string;
    readonly createdAt: string;
    readonly updatedAt: string;
    readonly userIds: readonly string[];
}

export interface FolderRecord {
    readonly externalId: string;
    readonly productEnvironmentId: string;
    readonly path: string;
    readonly createdAt: string;
}

export interface CustomRoleRecord {
    readonly id: string;
    readonly name: string;
    readonly description: string | null;
    readonly permissionType: PermissionType;
    readonly scopeType: ScopeType;
    readonly systemPolicyIds: readonly string[];
    /** Derived from the policies: ["folder_id"] for a folder role, [] for a global role. */
    readonly policyParameters: readonly string[];
    readonly createdAt: number;
    readonly updatedAt: number;
}

export interface CustomPolicyRecord {
    readonly id: string;
    readonly name: string;
    readonly description: string | null;
    readonly scopeType: ScopeType;
    readonly scopeId: string | null;
    readonly policyStatement: string;
    readonly enabled: boolean;
    readonly createdAt: number;
    readonly updatedAt: number;
}

/** One role given to one principal, in one scope, on one content instance (for content roles). */
export interface AssignmentRecord {
    readonly roleId: string;
    readonly principalType: PrincipalType;
    readonly principalId: string;
    readonly scopeType: ScopeType;
    /** A product environment id or "all" for prodenv roles; null for account roles. */
    readonly scopeId: string | null;
    /** { folder_id } or { collection_id } for content roles; null otherwise. */
    readonly policyParameters: Readonly<Partial<Record<PolicyParameterKey, string>>> | null;
    readonly createdAt: number;
    readonly updatedAt: number;
}

/** The whole account, as persisted to the state file and dumped by GET /_emulator/state. */
export interface EmulatorState {
    format: 1;
    /** Bumped by every committed write. */
    version: number;
    accountId: string;
    accountApiKey: string;
    accountApiSecret: string;
    productEnvironments: ProductEnvironmentRecord[];
    users: UserRecord[];
    groups: GroupRecord[];
    folders: FolderRecord[];
    customRoles: CustomRoleRecord[];
    customPolicies: CustomPolicyRecord[];
    assignments: AssignmentRecord[];
}

/** A role as the APIs see it: a system role from the catalog, or a custom role. */
export interface RoleView {
    readonly id: string;
    readonly name: string;
    readonly description: string | null;
    readonly managementType: "system" | "custom";
    readonly permissionType: PermissionType;
    readonly scopeType: ScopeType;
    readonly policyParameters: readonly string[];
    readonly systemPolicyIds: readonly string[];
    readonly createdAt: number;
    readonly updatedAt: number;
}

// The emulator's data model: the records of the emulated account, the system catalog's entries, and the
// broken-rule type the domain raises. Types only (and one error class), so that every module can import them
// without import cycles.

export type ScopeType = "account" | "prodenv";
export type PermissionType = "global" | "content";

/** What system policies and system roles have in common. */
interface CatalogEntry {
    id: string;
    name: string;
    description: string | null;
    scope_type: ScopeType;
    permission_type: PermissionType;
    policy_parameters: string[];
    /** Where the entry comes from (catalog file, spec example, or an emulator assumption). */
    source: string;
}

export interface SystemPolicy extends CatalogEntry {
    policy_statement: string;
    category?: string;
    sub_category?: string;
}

export interface SystemRole extends CatalogEntry {
    system_policy_ids: string[];
    /** True for entries that are not Cloudinary facts but emulator assumptions. */
    emulator_only?: boolean;
}

export type PrincipalType = "user" | "group" | "apiKey" | "provisioningKey";
export type PolicyParameterKey = "folder_id" | "collection_id";

export interface ApiKeyRecord {
    key: string;
    secret: string;
    name: string;
    enabled: boolean;
}

export interface ProductEnvironmentRecord {
    id: string;
    cloudName: string;
    name: string;
    enabled: boolean;
    createdAt: string;
    updatedAt: string;
    apiKeys: ApiKeyRecord[];
}

export interface UserRecord {
    id: string;
    name: string;
    email: string;
    role: string;
    enabled: boolean;
    pending: boolean;
    createdAt: string;
    updatedAt: string;
    lastLogin: string | null;
    /** null: all product environments. */
    subAccountIds: string[] | null;
}

export interface GroupRecord {
    id: string;
    name: string;
    createdAt: string;
    updatedAt: string;
    userIds: string[];
}

export interface FolderRecord {
    externalId: string;
    productEnvironmentId: string;
    path: string;
    createdAt: string;
}

export interface CustomRoleRecord {
    id: string;
    name: string;
    description: string | null;
    permissionType: PermissionType;
    scopeType: ScopeType;
    systemPolicyIds: string[];
    /** Derived from the policies: ["folder_id"] for a folder role, [] for a global role. */
    policyParameters: string[];
    createdAt: number;
    updatedAt: number;
}

export interface CustomPolicyRecord {
    id: string;
    name: string;
    description: string | null;
    scopeType: ScopeType;
    scopeId: string | null;
    policyStatement: string;
    enabled: boolean;
    createdAt: number;
    updatedAt: number;
}

/** One role given to one principal, in one scope, on one content instance (for content roles). */
export interface AssignmentRecord {
    roleId: string;
    principalType: PrincipalType;
    principalId: string;
    scopeType: ScopeType;
    /** A product environment id or "all" for prodenv roles; null for account roles. */
    scopeId: string | null;
    /** { folder_id } or { collection_id } for content roles; null otherwise. */
    policyParameters: Partial<Record<PolicyParameterKey, string>> | null;
    createdAt: number;
    updatedAt: number;
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
    id: string;
    name: string;
    description: string | null;
    managementType: "system" | "custom";
    permissionType: PermissionType;
    scopeType: ScopeType;
    policyParameters: string[];
    systemPolicyIds: string[];
    createdAt: number;
    updatedAt: number;
}

/** A broken assignment rule, turned into an error body by each API in its own shape. */
export type Problem =
    | { kind: "missing"; fields: string[] }
    | { kind: "invalid"; field: string; value: unknown }
    | { kind: "notFound"; field: string; value: unknown };

export class ProblemError extends Error {
    constructor(readonly problem: Problem) {
        super(`${problem.kind}: ${JSON.stringify(problem)}`);
    }
}

export interface AssignmentRequest {
    roleId: string;
    principalType: PrincipalType;
    principalId: string;
    scopeId?: string | null;
    policyParameters?: Record<string, unknown> | null;
}

// What the routes know of the emulated account: queries that answer with read-only records, and commands that
// change it. The routes see only this interface; state.ts implements it in memory, with a state file.
import type {
    ApiKeyRecord,
    AssignmentRecord,
    CustomPolicyRecord,
    CustomRoleRecord,
    EmulatorState,
    FolderRecord,
    GroupRecord,
    PrincipalRef,
    ProductEnvironmentRecord,
    RoleView,
    SystemPolicy,
    SystemRole,
    UserRecord,
} from "./model";

/** Grants to find: all of them when empty; otherwise those matching every key given. */
export interface GrantQuery {
    roleId?: string;
    principal?: PrincipalRef;
    folderId?: string;
}

export type UserChanges = Partial<Pick<UserRecord, "name" | "email" | "role" | "enabled" | "subAccountIds">>;
export type RoleChanges = Partial<Pick<CustomRoleRecord, "name" | "description" | "systemPolicyIds" | "policyParameters">>;
export type PolicyChanges = Partial<Pick<CustomPolicyRecord, "name" | "description" | "scopeType" | "scopeId" | "policyStatement" | "enabled">>;

export interface AccountReader {
    readonly accountId: string;
    readonly accountApiKey: string;
    readonly accountApiSecret: string;

    systemPolicy(id: string): SystemPolicy | undefined;
    systemPolicies(): readonly SystemPolicy[];
    systemRoles(): readonly SystemRole[];
    /** A system or custom role. */
    role(id: string): RoleView | undefined;
    /** System roles first, then custom roles in creation order. */
    roles(): readonly RoleView[];
    customRole(id: string): CustomRoleRecord | undefined;
    /** Role names are unique among all roles, system and custom, compared trimmed and without case. */
    roleNameTaken(name: string, exceptRoleId?: string): boolean;

    productEnvironment(id: string): ProductEnvironmentRecord | undefined;
    productEnvironments(): readonly ProductEnvironmentRecord[];
    /** The product environment an Admin API key belongs to. */
    apiKey(key: string): { productEnvironment: ProductEnvironmentRecord; key: ApiKeyRecord } | undefined;

    user(id: string): UserRecord | undefined;
    /** In creation order. */
    users(): readonly UserRecord[];
    userByEmail(email: string): UserRecord | undefined;

    group(id: string): GroupRecord | undefined;
    /** In creation order. */
    groups(): readonly GroupRecord[];
    groupByName(name: string): GroupRecord | undefined;
    groupsOfUser(userId: string): readonly GroupRecord[];
    /** The group's members, in the order they were added. */
    members(groupId: string): readonly UserRecord[];

    folder(externalId: string): FolderRecord | undefined;
    folderByPath(productEnvironmentId: string, path: string, caseSensitive?: boolean): FolderRecord | undefined;
    /** Direct children of a path ("" for the root), sorted by path. */
    childFolders(productEnvironmentId: string, parentPath: string): readonly FolderRecord[];
    /** Every folder below, depth first, siblings by path. */
    descendantFolders(externalId: string): readonly FolderRecord[];
    /** From the root down to the parent. */
    ancestorFolders(externalId: string): readonly FolderRecord[];

    customPolicy(id: string): CustomPolicyRecord | undefined;
    /** In creation order. */
    customPolicies(): readonly CustomPolicyRecord[];

    grants(query?: GrantQuery): readonly AssignmentRecord[];
    grantExists(grant: AssignmentRecord): boolean;
    principalExists(principal: PrincipalRef): boolean;
}

export interface AccountWriter {
    createUser(user: UserRecord): UserRecord;
    updateUser(id: string, changes: UserChanges): UserRecord;
    /** Removes the user with its memberships and grants. */
    deleteUser(id: string): void;

    createGroup(group: GroupRecord): GroupRecord;
    renameGroup(id: string, name: string): GroupRecord;
    /** Removes the group with its memberships and grants. */
    deleteGroup(id: string): void;
    addMember(groupId: string, userId: string): GroupRecord;
    removeMember(groupId: string, userId: string): GroupRecord;

    /** Creates the folder and any missing ancestor; returns those created, the requested one last. */
    createFolder(productEnvironmentId: string, path: string): readonly FolderRecord[];
    /** Deletes the folder and its descendants with the grants on them; returns their paths. */
    deleteFolder(externalId: string): readonly string[];

    createRole(role: CustomRoleRecord): CustomRoleRecord;
    updateRole(id: string, changes: RoleChanges): CustomRoleRecord;
    /** Deletes the role and its grants. */
    deleteRole(id: string): void;

    createPolicy(policy: CustomPolicyRecord): CustomPolicyRecord;
    updatePolicy(id: string, changes: PolicyChanges): CustomPolicyRecord;
    deletePolicy(id: string): void;

    /** Set semantics: adds those that do not exist yet; returns how many were added. */
    addGrants(grants: readonly AssignmentRecord[]): number;
    /** Removes those that exist; returns how many were removed. */
    removeGrants(grants: readonly AssignmentRecord[]): number;
}

export interface Store extends AccountReader, AccountWriter {
    /**
     * Commits the writes made since the last commit: bumps the version and writes the state file. A write that
     * changed nothing commits nothing. Returns whether it committed.
     */
    commit(): boolean;
    /** Back to the seed. */
    reset(): void;
    /** A deep copy of the whole account. */
    snapshot(): EmulatorState;
    /** Writes the state file, when there is one. */
    persist(): void;
}

export function parentPath(folderPath: string): string {
    const i = folderPath.lastIndexOf("/");
    return i < 0 ? "" : folderPath.slice(0, i);
}

export function folderName(folderPath: string): string {
    return folderPath.slice(folderPath.lastIndexOf("/") + 1);
}

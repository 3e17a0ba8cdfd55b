// The emulated account: a serializable snapshot (EmulatorState) plus in-memory indexes, the domain rules shared
// by the Permissions API and the Admin API (role assignments), and persistence to a JSON file.
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import {
    ApiKeyRecord,
    AssignmentRecord,
    AssignmentRequest,
    CustomPolicyRecord,
    CustomRoleRecord,
    EmulatorState,
    FolderRecord,
    GroupRecord,
    PolicyParameterKey,
    PrincipalType,
    Problem,
    ProblemError,
    ProductEnvironmentRecord,
    RoleView,
    SystemPolicy,
    SystemRole,
    UserRecord,
} from "./model";
import { SYSTEM_EPOCH, seedState, systemCatalog } from "./seed";

export const nowEpoch = (): number => Math.floor(Date.now() / 1000);
export const nowIso = (): string => new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
export const randomHex = (bytes: number): string => crypto.randomBytes(bytes).toString("hex");

function assignmentKey(a: { roleId: string; principalType: string; principalId: string; scopeId: string | null; policyParameters: Partial<Record<string, string>> | null }): string {
    const params = a.policyParameters ? Object.entries(a.policyParameters).map(([k, v]) => `${k}=${v}`).sort().join("&") : "";
    return `${a.roleId}|${a.principalType}|${a.principalId}|${a.scopeId ?? ""}|${params}`;
}

function addToIndex(index: Map<string, Set<string>>, key: string, value: string): void {
    let set = index.get(key);
    if (!set) index.set(key, (set = new Set()));
    set.add(value);
}

function removeFromIndex(index: Map<string, Set<string>>, key: string, value: string): void {
    const set = index.get(key);
    if (!set) return;
    set.delete(value);
    if (set.size === 0) index.delete(key);
}

export function parentPath(folderPath: string): string {
    const i = folderPath.lastIndexOf("/");
    return i < 0 ? "" : folderPath.slice(0, i);
}

export function folderName(folderPath: string): string {
    return folderPath.slice(folderPath.lastIndexOf("/") + 1);
}

/**
 * The account's state with the indexes the routes need (lookups by id, name, path, role, principal, folder),
 * so that no request scans everything. Every write goes through a method here, so the indexes stay in step
 * and commit() knows whether there is anything to persist.
 */
export class Store {
    private data!: EmulatorState;
    /** Set by every write; the pipeline commits once per write route (see commit). */
    private pending = false;

    // The maps are written only by the methods below; routes read them through the ReadonlyMap views.
    private readonly systemPoliciesById = new Map<string, SystemPolicy>();
    readonly systemPolicies: ReadonlyMap<string, SystemPolicy> = this.systemPoliciesById;
    private readonly systemRolesById = new Map<string, SystemRole>();
    readonly systemRoles: ReadonlyMap<string, SystemRole> = this.systemRolesById;

    private readonly productEnvironmentsById = new Map<string, ProductEnvironmentRecord>();
    readonly productEnvironments: ReadonlyMap<string, ProductEnvironmentRecord> = this.productEnvironmentsById;
    private readonly productEnvironmentsByCloudName = new Map<string, ProductEnvironmentRecord>();
    /** API key -> its product environment. */
    private readonly apiKeysByKey = new Map<string, { pe: ProductEnvironmentRecord; key: ApiKeyRecord }>();
    readonly apiKeys: ReadonlyMap<string, { pe: ProductEnvironmentRecord; key: ApiKeyRecord }> = this.apiKeysByKey;
    private readonly usersById = new Map<string, UserRecord>();
    readonly users: ReadonlyMap<string, UserRecord> = this.usersById;
    private readonly usersByEmail = new Map<string, UserRecord>();
    private readonly groupsById = new Map<string, GroupRecord>();
    readonly groups: ReadonlyMap<string, GroupRecord> = this.groupsById;
    private readonly groupsByName = new Map<string, GroupRecord>();
    private readonly foldersById = new Map<string, FolderRecord>();
    readonly folders: ReadonlyMap<string, FolderRecord> = this.foldersById;
    private readonly foldersByPath = new Map<string, FolderRecord>();
    /** `${peId}|${parentPath}` -> external ids of the direct children. */
    private readonly folderChildren = new Map<string, Set<string>>();
    private readonly customRolesById = new Map<string, CustomRoleRecord>();
    readonly customRoles: ReadonlyMap<string, CustomRoleRecord> = this.customRolesById;
    private readonly roleNames = new Map<string, number>();
    private readonly customPoliciesById = new Map<string, CustomPolicyRecord>();
    readonly customPolicies: ReadonlyMap<string, CustomPolicyRecord> = this.customPoliciesById;
    private readonly assignmentsByKey = new Map<string, AssignmentRecord>();
    readonly assignments: ReadonlyMap<string, AssignmentRecord> = this.assignmentsByKey;
    private readonly assignmentsByRole = new Map<string, Set<string>>();
    private readonly assignmentsByPrincipal = new Map<string, Set<string>>();
    private readonly assignmentsByFolder = new Map<string, Set<string>>();

    constructor(
        readonly stateFile?: string,
        private readonly log: (m: string) => void = () => undefined,
    ) {
        const catalog = systemCatalog();
        for (const p of catalog.policies) this.systemPoliciesById.set(p.id, p);
        for (const r of catalog.roles) this.systemRolesById.set(r.id, r);
        if (stateFile && fs.existsSync(stateFile)) {
            this.load(JSON.parse(fs.readFileSync(stateFile, "utf8")) as EmulatorState);
            this.log(`loaded state from ${stateFile}`);
        } else {
            this.load(seedState());
            this.persist();
        }
    }

    get version(): number {
        return this.data.version;
    }
    get accountId(): string {
        return this.data.accountId;
    }
    get accountApiKey(): string {
        return this.data.accountApiKey;
    }
    get accountApiSecret(): string {
        return this.data.accountApiSecret;
    }

    /** A deep copy of the whole state. */
    snapshot(): EmulatorState {
        return JSON.parse(JSON.stringify(this.serialize())) as EmulatorState;
    }

    reset(): void {
        this.load(seedState());
        this.persist();
    }

    /**
     * Commits the writes made since the last commit: bumps the version and writes the state file. A write that
     * changed nothing (adding a role assignment that exists) commits nothing. Returns whether it committed.
     */
    commit(): boolean {
        if (!this.pending) return false;
        this.pending = false;
        this.data.version++;
        this.persist();
        return true;
    }

    private changed(): void {
        this.pending = true;
    }

    private serialize(): EmulatorState {
        return {
            ...this.data,
            productEnvironments: [...this.productEnvironmentsById.values()],
            users: [...this.usersById.values()],
            groups: [...this.groupsById.values()],
            folders: [...this.foldersById.values()],
            customRoles: [...this.customRolesById.values()],
            customPolicies: [...this.customPoliciesById.values()],
            assignments: [...this.assignmentsByKey.values()],
        };
    }

    /** Atomic write: a temporary file renamed over the state file, so that a reader never sees half a file. */
    persist(): void {
        if (!this.stateFile) return;
        const dir = path.dirname(path.resolve(this.stateFile));
        fs.mkdirSync(dir, { recursive: true });
        const tmp = path.join(dir, `.${path.basename(this.stateFile)}.${process.pid}.${randomHex(4)}.tmp`);
        fs.writeFileSync(tmp, JSON.stringify(this.serialize()));
        fs.renameSync(tmp, this.stateFile);
    }

    private load(state: EmulatorState): void {
        if (state.format !== 1) throw new Error(`unsupported emulator state format ${String(state.format)}`);
        this.data = { ...state };
        this.pending = false;
        for (const map of [this.productEnvironmentsById, this.productEnvironmentsByCloudName, this.apiKeysByKey, this.usersById, this.usersByEmail, this.groupsById, this.groupsByName, this.foldersById, this.foldersByPath, this.folderChildren, this.customRolesById, this.roleNames, this.customPoliciesById, this.assignmentsByKey, this.assignmentsByRole, this.assignmentsByPrincipal, this.assignmentsByFolder]) {
            (map as Map<unknown, unknown>).clear();
        }
        for (const pe of state.productEnvironments) this.indexProductEnvironment(pe);
        for (const u of state.users) this.indexUser(u);
        for (const g of state.groups) this.indexGroup(g);
        for (const f of state.folders) this.indexFolder(f);
        for (const r of this.systemRolesById.values()) this.countRoleName(r.name, 1);
        for (const r of state.customRoles) this.indexCustomRole(r);
        for (const p of state.customPolicies) this.customPoliciesById.set(p.id, p);
        for (const a of state.assignments) this.indexAssignment(a);
    }

    // ---- product environments and keys -----------------------------------------------------------------

    private indexProductEnvironment(pe: ProductEnvironmentRecord): void {
        this.productEnvironmentsById.set(pe.id, pe);
        this.productEnvironmentsByCloudName.set(pe.cloudName, pe);
        for (const key of pe.apiKeys) this.apiKeysByKey.set(key.key, { pe, key });
    }

    // ---- users and groups --------------------------------------------------------------------------------

    private indexUser(u: UserRecord): void {
        this.usersById.set(u.id, u);
        this.usersByEmail.set(u.email.toLowerCase(), u);
    }

    userByEmail(email: string): UserRecord | undefined {
        return this.usersByEmail.get(email.toLowerCase());
    }

    createUser(u: UserRecord): void {
        this.indexUser(u);
        this.changed();
    }

    updateUser(u: UserRecord, changes: Partial<UserRecord>): void {
        this.usersByEmail.delete(u.email.toLowerCase());
        Object.assign(u, changes, { updatedAt: nowIso() });
        this.usersByEmail.set(u.email.toLowerCase(), u);
        this.changed();
    }

    /** Removes the user, its group memberships and its role assignments. */
    deleteUser(u: UserRecord): void {
        this.usersById.delete(u.id);
        this.usersByEmail.delete(u.email.toLowerCase());
        for (const g of this.groupsById.values()) {
            const i = g.userIds.indexOf(u.id);
            if (i >= 0) g.userIds.splice(i, 1);
        }
        this.removeAssignmentsOfPrincipal("user", u.id);
        this.changed();
    }

    groupByName(name: string): GroupRecord | undefined {
        return this.groupsByName.get(name.toLowerCase());
    }

    private indexGroup(g: GroupRecord): void {
        this.groupsById.set(g.id, g);
        this.groupsByName.set(g.name.toLowerCase(), g);
    }

    createGroup(g: GroupRecord): void {
        this.indexGroup(g);
        this.changed();
    }

    renameGroup(g: GroupRecord, name: string): void {
        this.groupsByName.delete(g.name.toLowerCase());
        g.name = name;
        g.updatedAt = nowIso();
        this.groupsByName.set(name.toLowerCase(), g);
        this.changed();
    }

    /** Removes the group with its memberships and its role assignments: no orphans. */
    deleteGroup(g: GroupRecord): void {
        this.groupsById.delete(g.id);
        this.groupsByName.delete(g.name.toLowerCase());
        this.removeAssignmentsOfPrincipal("group", g.id);
        this.changed();
    }

    addGroupMember(g: GroupRecord, userId: string): void {
        g.userIds.push(userId);
        g.updatedAt = nowIso();
        this.changed();
    }

    removeGroupMember(g: GroupRecord, userId: string): void {
        g.userIds.splice(g.userIds.indexOf(userId), 1);
        g.updatedAt = nowIso();
        this.changed();
    }

    groupsOfUser(userId: string): GroupRecord[] {
        return [...this.groupsById.values()].filter((g) => g.userIds.includes(userId));
    }

    // ---- folders -------------------------------------------------------------------------------------------

    private indexFolder(f: FolderRecord): void {
        this.foldersById.set(f.externalId, f);
        this.foldersByPath.set(`${f.productEnvironmentId}|${f.path}`, f);
        addToIndex(this.folderChildren, `${f.productEnvironmentId}|${parentPath(f.path)}`, f.externalId);
    }

    folderByPath(peId: string, folderPath: string, caseSensitive = true): FolderRecord | undefined {
        const exact = this.foldersByPath.get(`${peId}|${folderPath}`);
        if (exact || caseSensitive) return exact;
        const wanted = folderPath.toLowerCase();
        for (const f of this.foldersById.values()) if (f.productEnvironmentId === peId && f.path.toLowerCase() === wanted) return f;
        return undefined;
    }

    childFolders(peId: string, folderPath: string): FolderRecord[] {
        const ids = this.folderChildren.get(`${peId}|${folderPath}`);
        return ids ? [...ids].map((id) => this.foldersById.get(id)!).sort((a, b) => a.path.localeCompare(b.path)) : [];
    }

    /** All folders below the folder, depth first. */
    descendantFolders(f: FolderRecord): FolderRecord[] {
        const out: FolderRecord[] = [];
        const walk = (p: string) => {
            for (const child of this.childFolders(f.productEnvironmentId, p)) {
                out.push(child);
                walk(child.path);
            }
        };
        walk(f.path);
        return out;
    }

    /** The folder's ancestors, from the root down to its parent. */
    ancestorFolders(f: FolderRecord): FolderRecord[] {
        const out: FolderRecord[] = [];
        for (let p = parentPath(f.path); p; p = parentPath(p)) {
            const a = this.foldersByPath.get(`${f.productEnvironmentId}|${p}`);
            if (a) out.unshift(a);
        }
        return out;
    }

    /** Creates the folder and any missing ancestors; returns the folders created, the requested one last. */
    createFolder(peId: string, folderPath: string): FolderRecord[] {
        const created: FolderRecord[] = [];
        const parts = folderPath.split("/");
        for (let i = 1; i <= parts.length; i++) {
            const p = parts.slice(0, i).join("/");
            if (this.foldersByPath.has(`${peId}|${p}`)) continue;
            const f: FolderRecord = { externalId: randomHex(16), productEnvironmentId: peId, path: p, createdAt: nowIso() };
            this.indexFolder(f);
            created.push(f);
        }
        if (created.length) this.changed();
        return created;
    }

    /** Deletes the folder and its descendants, with the folder-role assignments on them; returns their paths. */
    deleteFolder(f: FolderRecord): string[] {
        const doomed = [f, ...this.descendantFolders(f)];
        for (const d of doomed) {
            this.foldersById.delete(d.externalId);
            this.foldersByPath.delete(`${d.productEnvironmentId}|${d.path}`);
            removeFromIndex(this.folderChildren, `${d.productEnvironmentId}|${parentPath(d.path)}`, d.externalId);
            for (const key of [...(this.assignmentsByFolder.get(d.externalId) ?? [])]) this.removeAssignmentByKey(key);
        }
        this.changed();
        return doomed.map((d) => d.path);
    }

    // ---- roles ----------------------------------------------------------------------------------------------

    private countRoleName(name: string, delta: number): void {
        const key = name.trim().toLowerCase();
        const n = (this.roleNames.get(key) ?? 0) + delta;
        if (n <= 0) this.roleNames.delete(key);
        else this.roleNames.set(key, n);
    }

    /** Role names are unique among all roles, system and custom, compared without case. */
    roleNameTaken(name: string, exceptRoleId?: string): boolean {
        const key = name.trim().toLowerCase();
        const count = this.roleNames.get(key) ?? 0;
        if (count === 0) return false;
        const except = exceptRoleId ? this.customRolesById.get(exceptRoleId) : undefined;
        return !(except && except.name.trim().toLowerCase() === key && count === 1);
    }

    role(id: string): RoleView | undefined {
        const system = this.systemRolesById.get(id);
        if (system) {
            return {
                id: system.id,
                name: system.name,
                description: system.description,
                managementType: "system",
                permissionType: system.permission_type,
                scopeType: system.scope_type,
                policyParameters: system.policy_parameters,
                systemPolicyIds: system.system_policy_ids,
                createdAt: SYSTEM_EPOCH,
                updatedAt: SYSTEM_EPOCH,
            };
        }
        const custom = this.customRolesById.get(id);
        if (!custom) return undefined;
        return {
            id: custom.id,
            name: custom.name,
            description: custom.description,
            managementType: "custom",
            permissionType: custom.permissionType,
            scopeType: custom.scopeType,
            policyParameters: custom.policyParameters,
            systemPolicyIds: custom.systemPolicyIds,
            createdAt: custom.createdAt,
            updatedAt: custom.updatedAt,
        };
    }

    allRoles(): RoleView[] {
        return [...this.systemRolesById.keys(), ...this.customRolesById.keys()].map((id) => this.role(id)!);
    }

    private indexCustomRole(r: CustomRoleRecord): void {
        this.customRolesById.set(r.id, r);
        this.countRoleName(r.name, 1);
    }

    createRole(r: CustomRoleRecord): void {
        this.indexCustomRole(r);
        this.changed();
    }

    updateRole(r: CustomRoleRecord, changes: Partial<CustomRoleRecord>): void {
        this.countRoleName(r.name, -1);
        Object.assign(r, changes, { updatedAt: nowEpoch() });
        this.countRoleName(r.name, 1);
        this.changed();
    }

    /** Deletes the role and (force delete) its assignments. */
    deleteRole(r: CustomRoleRecord): void {
        for (const key of [...(this.assignmentsByRole.get(r.id) ?? [])]) this.removeAssignmentByKey(key);
        this.customRolesById.delete(r.id);
        this.countRoleName(r.name, -1);
        this.changed();
    }

    // ---- custom policies ------------------------------------------------------------------------------------

    createPolicy(p: CustomPolicyRecord): void {
        this.customPoliciesById.set(p.id, p);
        this.changed();
    }

    updatePolicy(p: CustomPolicyRecord, changes: Partial<CustomPolicyRecord>): void {
        Object.assign(p, changes, { updatedAt: nowEpoch() });
        this.changed();
    }

    deletePolicy(id: string): void {
        this.customPoliciesById.delete(id);
        this.changed();
    }

    // ---- assignments ----------------------------------------------------------------------------------------

    private indexAssignment(a: AssignmentRecord): void {
        const key = assignmentKey(a);
        this.assignmentsByKey.set(key, a);
        addToIndex(this.assignmentsByRole, a.roleId, key);
        addToIndex(this.assignmentsByPrincipal, `${a.principalType}|${a.principalId}`, key);
        if (a.policyParameters?.folder_id) addToIndex(this.assignmentsByFolder, a.policyParameters.folder_id, key);
    }

    private removeAssignmentByKey(key: string): void {
        const a = this.assignmentsByKey.get(key);
        if (!a) return;
        this.assignmentsByKey.delete(key);
        removeFromIndex(this.assignmentsByRole, a.roleId, key);
        removeFromIndex(this.assignmentsByPrincipal, `${a.principalType}|${a.principalId}`, key);
        if (a.policyParameters?.folder_id) removeFromIndex(this.assignmentsByFolder, a.policyParameters.folder_id, key);
    }

    private removeAssignmentsOfPrincipal(type: PrincipalType, id: string): void {
        for (const key of [...(this.assignmentsByPrincipal.get(`${type}|${id}`) ?? [])]) this.removeAssignmentByKey(key);
    }

    assignmentsOfRole(roleId: string): AssignmentRecord[] {
        return [...(this.assignmentsByRole.get(roleId) ?? [])].map((k) => this.assignmentsByKey.get(k)!);
    }

    assignmentsOfPrincipal(type: string, id: string): AssignmentRecord[] {
        return [...(this.assignmentsByPrincipal.get(`${type}|${id}`) ?? [])].map((k) => this.assignmentsByKey.get(k)!);
    }

    assignmentsOnFolder(folderId: string): AssignmentRecord[] {
        return [...(this.assignmentsByFolder.get(folderId) ?? [])].map((k) => this.assignmentsByKey.get(k)!);
    }

    principalExists(type: string, id: string): boolean {
        switch (type) {
            case "user":
                return this.usersById.has(id);
            case "group":
                return this.groupsById.has(id);
            case "apiKey":
                return this.apiKeysByKey.has(id);
            case "provisioningKey":
                return id === this.data.accountApiKey;
            default:
                return false;
        }
    }

    /**
     * Checks one assignment against Cloudinary's rules and returns it normalized. With `forRemoval`, only the
     * shape is checked (role, principal, keys): removing a grant that does not exist, or whose folder or scope
     * is gone, is a no-op.
     */
    checkAssignment(req: AssignmentRequest, forRemoval = false): AssignmentRecord {
        const fail = (p: Problem): never => {
            throw new ProblemError(p);
        };
        const role = this.role(req.roleId) ?? fail({ kind: "notFound", field: "role_id", value: req.roleId });
        if (!this.principalExists(req.principalType, req.principalId)) fail({ kind: "notFound", field: "principal_id", value: req.principalId });
        const scopeId = req.scopeId ?? null;
        const params = req.policyParameters ?? null;
        if (req.principalType === "provisioningKey" && role.scopeType !== "account") {
            // Account API keys act on the account APIs only.
            fail({ kind: "invalid", field: "principal_type", value: req.principalType });
        }
        if (role.scopeType === "account") {
            if (scopeId !== null) fail({ kind: "invalid", field: "scope_id", value: scopeId });
        } else {
            if (scopeId === null || scopeId === "") fail({ kind: "missing", fields: ["scope_id"] });
            if (!forRemoval && scopeId !== "all" && !this.productEnvironmentsById.has(scopeId!)) fail({ kind: "notFound", field: "scope_id", value: scopeId });
        }
        let policyParameters: AssignmentRecord["policyParameters"] = null;
        if (role.permissionType === "content") {
            const key = (role.policyParameters[0] ?? "folder_id") as PolicyParameterKey;
            const value = params?.[key];
            if (typeof value !== "string" || value === "") fail({ kind: "missing", fields: [`policy_parameters.${key}`] });
            const extra = Object.keys(params ?? {}).find((k) => k !== key);
            if (extra) fail({ kind: "invalid", field: "policy_parameters", value: params });
            if (key === "collection_id" && req.principalType === "apiKey") fail({ kind: "invalid", field: "principal_type", value: req.principalType });
            if (scopeId === "all") fail({ kind: "invalid", field: "scope_id", value: scopeId });
            if (key === "folder_id" && !forRemoval) {
                const folder = this.foldersById.get(value as string);
                if (!folder || folder.productEnvironmentId !== scopeId) fail({ kind: "notFound", field: "folder_id", value });
            }
            policyParameters = { [key]: value as string };
        } else if (params && Object.keys(params).length > 0) {
            fail({ kind: "invalid", field: "policy_parameters", value: params });
        }
        const now = nowEpoch();
        return {
            roleId: role.id,
            principalType: req.principalType,
            principalId: req.principalId,
            scopeType: role.scopeType,
            scopeId: role.scopeType === "account" ? null : scopeId,
            policyParameters,
            createdAt: now,
            updatedAt: now,
        };
    }

    /** Adds the assignments that do not exist yet; returns how many were added (set semantics). */
    addAssignments(list: AssignmentRecord[]): number {
        let added = 0;
        for (const a of list) {
            if (this.assignmentsByKey.has(assignmentKey(a))) continue;
            this.indexAssignment(a);
            added++;
        }
        if (added) this.changed();
        return added;
    }

    /** Removes the assignments that exist; returns how many were removed. */
    removeAssignments(list: AssignmentRecord[]): number {
        let removed = 0;
        for (const a of list) {
            const key = assignmentKey(a);
            if (!this.assignmentsByKey.has(key)) continue;
            this.removeAssignmentByKey(key);
            removed++;
        }
        if (removed) this.changed();
        return removed;
    }
}

// The emulated account in memory (the Store of store.ts): frozen records in maps by id, the indexes the queries
// need (by name, path, role, principal, folder) so that no request scans everything, and persistence to a JSON
// file. A change replaces the record it changes, so a record handed out never changes under its reader.
import * as fs from "node:fs";
import * as path from "node:path";
import { nowEpoch, nowIso, randomHex } from "./ids";
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
import { SYSTEM_EPOCH, seedState, systemCatalog } from "./seed";
import { GrantQuery, PolicyChanges, RoleChanges, Store, UserChanges, parentPath } from "./store";

function deepFreeze<T>(value: T): T {
    if (value && typeof value === "object" && !Object.isFrozen(value)) {
        for (const v of Object.values(value)) deepFreeze(v);
        Object.freeze(value);
    }
    return value;
}

/** A grant's identity: role, principal, scope and content instance. */
function grantKey(a: AssignmentRecord): string {
    const params = a.policyParameters ? Object.entries(a.policyParameters).map(([k, v]) => `${k}=${v}`).sort().join("&") : "";
    return `${a.roleId}|${a.principalType}|${a.principalId}|${a.scopeId ?? ""}|${params}`;
}

const principalKey = (p: PrincipalRef) => `${p.type}|${p.id}`;
const lower = (s: string) => s.trim().toLowerCase();

/** key -> set of values, with empty sets dropped. */
class MultiIndex {
    private readonly sets = new Map<string, Set<string>>();
    add(key: string, value: string): void {
        let set = this.sets.get(key);
        if (!set) this.sets.set(key, (set = new Set()));
        set.add(value);
    }
    remove(key: string, value: string): void {
        const set = this.sets.get(key);
        set?.delete(value);
        if (set?.size === 0) this.sets.delete(key);
    }
    get(key: string): readonly string[] {
        return [...(this.sets.get(key) ?? [])];
    }
    clear(): void {
        this.sets.clear();
    }
}

function systemRoleView(r: SystemRole): RoleView {
    return {
        id: r.id,
        name: r.name,
        description: r.description,
        managementType: "system",
        permissionType: r.permission_type,
        scopeType: r.scope_type,
        policyParameters: r.policy_parameters,
        systemPolicyIds: r.system_policy_ids,
        createdAt: SYSTEM_EPOCH,
        updatedAt: SYSTEM_EPOCH,
    };
}

function customRoleView(r: CustomRoleRecord): RoleView {
    return { ...r, managementType: "custom" };
}

export class MemoryStore implements Store {
    private data!: EmulatorState;
    /** Set by every change; the pipeline commits once per write route (see commit). */
    private pending = false;

    private readonly systemPoliciesById = new Map<string, SystemPolicy>();
    private readonly systemRolesById = new Map<string, RoleView>();
    private readonly systemRoleList: readonly SystemRole[];

    private readonly productEnvironmentsById = new Map<string, ProductEnvironmentRecord>();
    private readonly apiKeysByKey = new Map<string, { productEnvironment: ProductEnvironmentRecord; key: ApiKeyRecord }>();
    private readonly usersById = new Map<string, UserRecord>();
    private readonly userIdsByEmail = new Map<string, string>();
    private readonly groupsById = new Map<string, GroupRecord>();
    private readonly groupIdsByName = new Map<string, string>();
    private readonly foldersById = new Map<string, FolderRecord>();
    /** `${peId}|${path}` -> external id. */
    private readonly folderIdsByPath = new Map<string, string>();
    /** `${peId}|${parentPath}` -> external ids of the direct children. */
    private readonly folderChildren = new MultiIndex();
    private readonly customRolesById = new Map<string, CustomRoleRecord>();
    /** Trimmed lower-case name -> how many roles carry it. */
    private readonly roleNames = new Map<string, number>();
    private readonly customPoliciesById = new Map<string, CustomPolicyRecord>();
    private readonly grantsByKey = new Map<string, AssignmentRecord>();
    private readonly grantsByRole = new MultiIndex();
    private readonly grantsByPrincipal = new MultiIndex();
    private readonly grantsByFolder = new MultiIndex();

    constructor(
        readonly stateFile?: string,
        private readonly log: (m: string) => void = () => undefined,
    ) {
        const catalog = systemCatalog();
        for (const p of catalog.policies) this.systemPoliciesById.set(p.id, deepFreeze(p));
        this.systemRoleList = deepFreeze(catalog.roles);
        for (const r of catalog.roles) this.systemRolesById.set(r.id, deepFreeze(systemRoleView(r)));
        if (stateFile && fs.existsSync(stateFile)) {
            this.load(JSON.parse(fs.readFileSync(stateFile, "utf8")) as EmulatorState);
            this.log(`loaded state from ${stateFile}`);
        } else {
            this.load(seedState());
            this.persist();
        }
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

    // ---- lifecycle -------------------------------------------------------------------------------------------

    snapshot(): EmulatorState {
        return JSON.parse(JSON.stringify(this.serialize())) as EmulatorState;
    }

    reset(): void {
        this.load(seedState());
        this.persist();
    }

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
            assignments: [...this.grantsByKey.values()],
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
        for (const index of [this.productEnvironmentsById, this.apiKeysByKey, this.usersById, this.userIdsByEmail, this.groupsById, this.groupIdsByName, this.foldersById, this.folderIdsByPath, this.folderChildren, this.customRolesById, this.roleNames, this.customPoliciesById, this.grantsByKey, this.grantsByRole, this.grantsByPrincipal, this.grantsByFolder]) {
            index.clear();
        }
        for (const pe of state.productEnvironments) this.indexProductEnvironment(deepFreeze(pe));
        for (const u of state.users) this.indexUser(deepFreeze(u));
        for (const g of state.groups) this.indexGroup(deepFreeze(g));
        for (const f of state.folders) this.indexFolder(deepFreeze(f));
        for (const r of this.systemRolesById.values()) this.countRoleName(r.name, 1);
        for (const r of state.customRoles) this.indexRole(deepFreeze(r));
        for (const p of state.customPolicies) this.customPoliciesById.set(p.id, deepFreeze(p));
        for (const a of state.assignments) this.indexGrant(deepFreeze(a));
    }

    // ---- catalog and roles -----------------------------------------------------------------------------------

    systemPolicy(id: string): SystemPolicy | undefined {
        return this.systemPoliciesById.get(id);
    }

    systemPolicies(): readonly SystemPolicy[] {
        return [...this.systemPoliciesById.values()];
    }

    systemRoles(): readonly SystemRole[] {
        return this.systemRoleList;
    }

    role(id: string): RoleView | undefined {
        const system = this.systemRolesById.get(id);
        if (system) return system;
        const custom = this.customRolesById.get(id);
        return custom ? customRoleView(custom) : undefined;
    }

    roles(): readonly RoleView[] {
        return [...this.systemRolesById.values(), ...[...this.customRolesById.values()].map(customRoleView)];
    }

    customRole(id: string): CustomRoleRecord | undefined {
        return this.customRolesById.get(id);
    }

    private countRoleName(name: string, delta: number): void {
        const key = lower(name);
        const n = (this.roleNames.get(key) ?? 0) + delta;
        if (n <= 0) this.roleNames.delete(key);
        else this.roleNames.set(key, n);
    }

    roleNameTaken(name: string, exceptRoleId?: string): boolean {
        const count = this.roleNames.get(lower(name)) ?? 0;
        if (count === 0) return false;
        const except = exceptRoleId ? this.customRolesById.get(exceptRoleId) : undefined;
        return !(except && lower(except.name) === lower(name) && count === 1);
    }

    private indexRole(r: CustomRoleRecord): void {
        this.customRolesById.set(r.id, r);
        this.countRoleName(r.name, 1);
    }

    createRole(role: CustomRoleRecord): CustomRoleRecord {
        const frozen = deepFreeze({ ...role });
        this.indexRole(frozen);
        this.changed();
        return frozen;
    }

    updateRole(id: string, changes: RoleChanges): CustomRoleRecord {
        const old = this.existing(this.customRolesById, id);
        const updated = deepFreeze({ ...old, ...changes, updatedAt: nowEpoch() });
        this.countRoleName(old.name, -1);
        this.indexRole(updated);
        this.changed();
        return updated;
    }

    deleteRole(id: string): void {
        const role = this.existing(this.customRolesById, id);
        for (const key of this.grantsByRole.get(id)) this.unindexGrant(key);
        this.customRolesById.delete(id);
        this.countRoleName(role.name, -1);
        this.changed();
    }

    // ---- product environments ------------------------------------------------------------------------------

    private indexProductEnvironment(pe: ProductEnvironmentRecord): void {
        this.productEnvironmentsById.set(pe.id, pe);
        for (const key of pe.apiKeys) this.apiKeysByKey.set(key.key, { productEnvironment: pe, key });
    }

    productEnvironment(id: string): ProductEnvironmentRecord | undefined {
        return this.productEnvironmentsById.get(id);
    }

    productEnvironments(): readonly ProductEnvironmentRecord[] {
        return [...this.productEnvironmentsById.values()];
    }

    apiKey(key: string): { productEnvironment: ProductEnvironmentRecord; key: ApiKeyRecord } | undefined {
        return this.apiKeysByKey.get(key);
    }

    // ---- users -----------------------------------------------------------------------------------------------

    private indexUser(u: UserRecord): void {
        this.usersById.set(u.id, u);
        this.userIdsByEmail.set(lower(u.email), u.id);
    }

    user(id: string): UserRecord | undefined {
        return this.usersById.get(id);
    }

    users(): readonly UserRecord[] {
        return [...this.usersById.values()];
    }

    userByEmail(email: string): UserRecord | undefined {
        const id = this.userIdsByEmail.get(lower(email));
        return id === undefined ? undefined : this.usersById.get(id);
    }

    createUser(user: UserRecord): UserRecord {
        const frozen = deepFreeze({ ...user });
        this.indexUser(frozen);
        this.changed();
        return frozen;
    }

    updateUser(id: string, changes: UserChanges): UserRecord {
        const old = this.existing(this.usersById, id);
        const updated = deepFreeze({ ...old, ...changes, updatedAt: nowIso() });
        this.userIdsByEmail.delete(lower(old.email));
        this.indexUser(updated);
        this.changed();
        return updated;
    }

    deleteUser(id: string): void {
        const user = this.existing(this.usersById, id);
        this.usersById.delete(id);
        this.userIdsByEmail.delete(lower(user.email));
        for (const g of this.groupsOfUser(id)) this.groupsById.set(g.id, deepFreeze({ ...g, userIds: g.userIds.filter((u) => u !== id) }));
        this.removeGrantsOf({ type: "user", id });
        this.changed();
    }

    // ---- groups ----------------------------------------------------------------------------------------------

    private indexGroup(g: GroupRecord): void {
        this.groupsById.set(g.id, g);
        this.groupIdsByName.set(lower(g.name), g.id);
    }

    group(id: string): GroupRecord | undefined {
        return this.groupsById.get(id);
    }

    groups(): readonly GroupRecord[] {
        return [...this.groupsById.values()];
    }

    groupByName(name: string): GroupRecord | undefined {
        const id = this.groupIdsByName.get(lower(name));
        return id === undefined ? undefined : this.groupsById.get(id);
    }

    groupsOfUser(userId: string): readonly GroupRecord[] {
        return [...this.groupsById.values()].filter((g) => g.userIds.includes(userId));
    }

    members(groupId: string): readonly UserRecord[] {
        const group = this.groupsById.get(groupId);
        return (group?.userIds ?? []).map((id) => this.usersById.get(id)).filter((u): u is UserRecord => u !== undefined);
    }

    createGroup(group: GroupRecord): GroupRecord {
        const frozen = deepFreeze({ ...group });
        this.indexGroup(frozen);
        this.changed();
        return frozen;
    }

    private replaceGroup(old: GroupRecord, changes: Partial<GroupRecord>): GroupRecord {
        const updated = deepFreeze({ ...old, ...changes, updatedAt: nowIso() });
        this.groupIdsByName.delete(lower(old.name));
        this.indexGroup(updated);
        this.changed();
        return updated;
    }

    renameGroup(id: string, name: string): GroupRecord {
        return this.replaceGroup(this.existing(this.groupsById, id), { name });
    }

    deleteGroup(id: string): void {
        const group = this.existing(this.groupsById, id);
        this.groupsById.delete(id);
        this.groupIdsByName.delete(lower(group.name));
        this.removeGrantsOf({ type: "group", id });
        this.changed();
    }

    addMember(groupId: string, userId: string): GroupRecord {
        const group = this.existing(this.groupsById, groupId);
        return this.replaceGroup(group, { userIds: [...group.userIds, userId] });
    }

    removeMember(groupId: string, userId: string): GroupRecord {
        const group = this.existing(this.groupsById, groupId);
        return this.replaceGroup(group, { userIds: group.userIds.filter((u) => u !== userId) });
    }

    // ---- folders ---------------------------------------------------------------------------------------------

    private indexFolder(f: FolderRecord): void {
        this.foldersById.set(f.externalId, f);
        this.folderIdsByPath.set(`${f.productEnvironmentId}|${f.path}`, f.externalId);
        this.folderChildren.add(`${f.productEnvironmentId}|${parentPath(f.path)}`, f.externalId);
    }

    folder(externalId: string): FolderRecord | undefined {
        return this.foldersById.get(externalId);
    }

    folderByPath(productEnvironmentId: string, folderPath: string, caseSensitive = true): FolderRecord | undefined {
        const id = this.folderIdsByPath.get(`${productEnvironmentId}|${folderPath}`);
        if (id !== undefined || caseSensitive) return id === undefined ? undefined : this.foldersById.get(id);
        const wanted = folderPath.toLowerCase();
        return [...this.foldersById.values()].find((f) => f.productEnvironmentId === productEnvironmentId && f.path.toLowerCase() === wanted);
    }

    childFolders(productEnvironmentId: string, parent: string): readonly FolderRecord[] {
        return this.folderChildren
            .get(`${productEnvironmentId}|${parent}`)
            .map((id) => this.foldersById.get(id)!)
            .sort((a, b) => a.path.localeCompare(b.path));
    }

    descendantFolders(externalId: string): readonly FolderRecord[] {
        const root = this.foldersById.get(externalId);
        if (!root) return [];
        const out: FolderRecord[] = [];
        const walk = (p: string) => {
            for (const child of this.childFolders(root.productEnvironmentId, p)) {
                out.push(child);
                walk(child.path);
            }
        };
        walk(root.path);
        return out;
    }

    ancestorFolders(externalId: string): readonly FolderRecord[] {
        const folder = this.foldersById.get(externalId);
        const out: FolderRecord[] = [];
        for (let p = parentPath(folder?.path ?? ""); folder && p; p = parentPath(p)) {
            const ancestor = this.folderByPath(folder.productEnvironmentId, p);
            if (ancestor) out.unshift(ancestor);
        }
        return out;
    }

    createFolder(productEnvironmentId: string, folderPath: string): readonly FolderRecord[] {
        const created: FolderRecord[] = [];
        const parts = folderPath.split("/");
        for (let i = 1; i <= parts.length; i++) {
            const p = parts.slice(0, i).join("/");
            if (this.folderIdsByPath.has(`${productEnvironmentId}|${p}`)) continue;
            const f = deepFreeze({ externalId: randomHex(16), productEnvironmentId, path: p, createdAt: nowIso() });
            this.indexFolder(f);
            created.push(f);
        }
        if (created.length) this.changed();
        return created;
    }

    deleteFolder(externalId: string): readonly string[] {
        const doomed = [this.existing(this.foldersById, externalId), ...this.descendantFolders(externalId)];
        for (const d of doomed) {
            this.foldersById.delete(d.externalId);
            this.folderIdsByPath.delete(`${d.productEnvironmentId}|${d.path}`);
            this.folderChildren.remove(`${d.productEnvironmentId}|${parentPath(d.path)}`, d.externalId);
            for (const key of this.grantsByFolder.get(d.externalId)) this.unindexGrant(key);
        }
        this.changed();
        return doomed.map((d) => d.path);
    }

    // ---- custom policies -------------------------------------------------------------------------------------

    customPolicy(id: string): CustomPolicyRecord | undefined {
        return this.customPoliciesById.get(id);
    }

    customPolicies(): readonly CustomPolicyRecord[] {
        return [...this.customPoliciesById.values()];
    }

    createPolicy(policy: CustomPolicyRecord): CustomPolicyRecord {
        const frozen = deepFreeze({ ...policy });
        this.customPoliciesById.set(frozen.id, frozen);
        this.changed();
        return frozen;
    }

    updatePolicy(id: string, changes: PolicyChanges): CustomPolicyRecord {
        const updated = deepFreeze({ ...this.existing(this.customPoliciesById, id), ...changes, updatedAt: nowEpoch() });
        this.customPoliciesById.set(id, updated);
        this.changed();
        return updated;
    }

    deletePolicy(id: string): void {
        this.existing(this.customPoliciesById, id);
        this.customPoliciesById.delete(id);
        this.changed();
    }

    // ---- grants ----------------------------------------------------------------------------------------------

    private indexGrant(a: AssignmentRecord): void {
        const key = grantKey(a);
        this.grantsByKey.set(key, a);
        this.grantsByRole.add(a.roleId, key);
        this.grantsByPrincipal.add(principalKey({ type: a.principalType, id: a.principalId }), key);
        if (a.policyParameters?.folder_id) this.grantsByFolder.add(a.policyParameters.folder_id, key);
    }

    private unindexGrant(key: string): void {
        const a = this.grantsByKey.get(key);
        if (!a) return;
        this.grantsByKey.delete(key);
        this.grantsByRole.remove(a.roleId, key);
        this.grantsByPrincipal.remove(principalKey({ type: a.principalType, id: a.principalId }), key);
        if (a.policyParameters?.folder_id) this.grantsByFolder.remove(a.policyParameters.folder_id, key);
    }

    private removeGrantsOf(principal: PrincipalRef): void {
        for (const key of this.grantsByPrincipal.get(principalKey(principal))) this.unindexGrant(key);
    }

    grants(query: GrantQuery = {}): readonly AssignmentRecord[] {
        // The narrowest index given, then the other keys as filters.
        const keys = query.folderId !== undefined ? this.grantsByFolder.get(query.folderId) : query.principal ? this.grantsByPrincipal.get(principalKey(query.principal)) : query.roleId !== undefined ? this.grantsByRole.get(query.roleId) : [...this.grantsByKey.keys()];
        return keys
            .map((k) => this.grantsByKey.get(k)!)
            .filter((a) => query.roleId === undefined || a.roleId === query.roleId)
            .filter((a) => !query.principal || (a.principalType === query.principal.type && a.principalId === query.principal.id))
            .filter((a) => query.folderId === undefined || a.policyParameters?.folder_id === query.folderId);
    }

    grantExists(grant: AssignmentRecord): boolean {
        return this.grantsByKey.has(grantKey(grant));
    }

    principalExists(p: PrincipalRef): boolean {
        switch (p.type) {
            case "user":
                return this.usersById.has(p.id);
            case "group":
                return this.groupsById.has(p.id);
            case "apiKey":
                return this.apiKeysByKey.has(p.id);
            case "provisioningKey":
                return p.id === this.data.accountApiKey;
            default:
                return false;
        }
    }

    addGrants(grants: readonly AssignmentRecord[]): number {
        let added = 0;
        for (const a of grants) {
            if (this.grantsByKey.has(grantKey(a))) continue;
            this.indexGrant(deepFreeze({ ...a }));
            added++;
        }
        if (added) this.changed();
        return added;
    }

    removeGrants(grants: readonly AssignmentRecord[]): number {
        let removed = 0;
        for (const a of grants) {
            const key = grantKey(a);
            if (!this.grantsByKey.has(key)) continue;
            this.unindexGrant(key);
            removed++;
        }
        if (removed) this.changed();
        return removed;
    }

    /** A record the caller has already found: its absence here is an emulator bug, not a 404. */
    private existing<T>(map: ReadonlyMap<string, T>, id: string): T {
        const found = map.get(id);
        if (found === undefined) throw new Error(`emulator bug: no record ${id} to change`);
        return found;
    }
}

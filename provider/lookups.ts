// The per-run lookup cache behind plan-time checks: the system catalog, roles, users, groups, product
// environments and folders. A cache may answer yes; it never answers no on its own: a miss is asked again
// of the API (one fresh read, shared by concurrent misses), because during `pulumi up` the engine checks a
// resource again after the outputs it depends on resolve, when the group or role it names may have been
// created a moment ago. What this process creates itself is written through, so that case needs no re-read.
import { ApiClients } from "./api/clients";
import { CloudinaryApiError } from "./api/errors";
import { CatalogPolicy, CatalogRole, PermissionType, Role, ScopeType } from "./api/permissions";
import { ProductEnvironment, User, UserGroup } from "./api/provisioning";

/** What validation needs to know about a role, whichever API it came from. */
export interface RoleInfo {
    id: string;
    name: string;
    managementType: "system" | "custom";
    permissionType: PermissionType;
    scopeType: ScopeType;
    /** The content type the role applies to: ["folder_id"], ["collection_id"], or [] for global roles. */
    policyParameters: string[];
}

export interface CatalogIndex {
    policies: Map<string, CatalogPolicy>;
    roles: Map<string, RoleInfo>;
}

/**
 * A value read once per run (a listing, the catalog) that is read again when a lookup in it misses. A fresh
 * read starts after the miss that asked for it, and misses that arrive before it starts share it.
 */
export class Refreshable<T> {
    private current?: Promise<T>;
    private queued?: Promise<T>;

    constructor(private readonly read: () => Promise<T>) {}

    get(): Promise<T> {
        return (this.current ??= this.load());
    }

    /** A value read after this call. */
    refreshed(): Promise<T> {
        if (!this.queued) {
            const previous = this.current ?? Promise.resolve(undefined);
            const fresh = previous
                .catch(() => undefined)
                .then(() => {
                    this.queued = undefined;
                    return (this.current = this.load());
                });
            this.queued = fresh;
        }
        return this.queued;
    }

    /** `pick` on the cached value, or else on a fresh one: undefined only when a fresh read has it missing. */
    async find<R>(pick: (value: T) => R | undefined): Promise<R | undefined> {
        const cached = pick(await this.get());
        return cached !== undefined ? cached : pick(await this.refreshed());
    }

    /** Write-through: applies a change this process made to the cached value (loaded or in flight). */
    update(change: (value: T) => void): void {
        if (this.current) this.current = this.current.then((value) => (change(value), value));
    }

    private load(): Promise<T> {
        const pending = this.read();
        // A failed read is not remembered.
        pending.catch(() => {
            if (this.current === pending) this.current = undefined;
        });
        return pending;
    }
}

/** Reads of single objects by key: found objects are kept, misses are never kept, concurrent reads share one request. */
export class KeyedReads<T> {
    private readonly found = new Map<string, T>();
    private readonly inFlight = new Map<string, Promise<T | undefined>>();

    constructor(private readonly read: (key: string) => Promise<T | undefined>) {}

    get(key: string): Promise<T | undefined> {
        const hit = this.found.get(key);
        if (hit !== undefined) return Promise.resolve(hit);
        let pending = this.inFlight.get(key);
        if (!pending) {
            pending = this.read(key).then(
                (value) => {
                    this.inFlight.delete(key);
                    if (value !== undefined) this.found.set(key, value);
                    return value;
                },
                (e) => {
                    this.inFlight.delete(key);
                    throw e;
                },
            );
            this.inFlight.set(key, pending);
        }
        return pending;
    }

    remember(key: string, value: T): void {
        this.found.set(key, value);
    }

    forget(key: string): void {
        this.found.delete(key);
    }
}

const byId = <T extends { id?: string | null }>(items: T[]) => new Map(items.map((item) => [item.id as string, item]));

export class Lookups {
    readonly catalog: Refreshable<CatalogIndex>;
    readonly users: Refreshable<Map<string, User>>;
    readonly groups: Refreshable<Map<string, UserGroup>>;
    readonly productEnvironments: Refreshable<Map<string, ProductEnvironment>>;
    private readonly customRoles: KeyedReads<RoleInfo>;
    private readonly folders: KeyedReads<true>;

    constructor(private readonly api: ApiClients) {
        this.catalog = new Refreshable(() => loadCatalog(api));
        this.users = new Refreshable(async () => byId(await api.provisioning.listUsers()));
        this.groups = new Refreshable(async () => byId(await api.provisioning.listUserGroups()));
        this.productEnvironments = new Refreshable(async () => byId(await api.provisioning.listProductEnvironments()));
        this.customRoles = new KeyedReads((roleId) => api.permissions.getRole(roleId).then(toRoleInfo, undefinedWhenNotFound));
        this.folders = new KeyedReads((key) => {
            const [cloudName, folderId] = JSON.parse(key) as [string, string];
            return api.admin(cloudName).getFolderById(folderId).then(() => true as const, undefinedWhenNotFound);
        });
    }

    systemPolicy(policyId: string): Promise<CatalogPolicy | undefined> {
        return this.catalog.find((c) => c.policies.get(policyId));
    }

    /** A role by id: system roles from the catalog, custom roles from the API; undefined when it does not exist. */
    async role(roleId: string): Promise<RoleInfo | undefined> {
        const system = (await this.catalog.get()).roles.get(roleId);
        if (system) return system;
        const custom = await this.customRoles.get(roleId);
        // A system role id missing from the cached catalog is asked again of it.
        return custom ?? (roleId.startsWith("cld::") ? this.catalog.find((c) => c.roles.get(roleId)) : undefined);
    }

    user(userId: string): Promise<User | undefined> {
        return this.users.find((users) => users.get(userId));
    }

    group(groupId: string): Promise<UserGroup | undefined> {
        return this.groups.find((groups) => groups.get(groupId));
    }

    productEnvironment(id: string): Promise<ProductEnvironment | undefined> {
        return this.productEnvironments.find((environments) => environments.get(id));
    }

    async folderExists(cloudName: string, folderId: string): Promise<boolean> {
        return (await this.folders.get(JSON.stringify([cloudName, folderId]))) === true;
    }

    /** Write-through of what this process created or changed. */
    groupSaved(group: UserGroup): void {
        this.groups.update((groups) => groups.set(group.id as string, group));
    }

    groupDeleted(groupId: string): void {
        this.groups.update((groups) => groups.delete(groupId));
    }

    roleSaved(role: Role): void {
        this.customRoles.remember(role.id, toRoleInfo(role));
    }

    roleDeleted(roleId: string): void {
        this.customRoles.forget(roleId);
    }
}

function undefinedWhenNotFound(e: unknown): undefined {
    if (e instanceof CloudinaryApiError && e.isNotFound) return undefined;
    throw e;
}

async function loadCatalog(api: ApiClients): Promise<CatalogIndex> {
    const { system_policies, system_roles } = await api.publicPermissions.catalog();
    const policies = new Map(system_policies.map((p) => [p.id, p]));
    const roles = new Map(system_roles.map((r) => [r.id, catalogRoleInfo(r, policies)]));
    return { policies, roles };
}

export function toRoleInfo(role: Role): RoleInfo {
    return {
        id: role.id,
        name: role.name,
        managementType: role.management_type,
        permissionType: role.permission_type as PermissionType,
        scopeType: role.scope_type,
        policyParameters: role.policy_parameters ?? derivePolicyParameters(role.id, (role.policies ?? []).flatMap((p) => p.policy_parameters ?? [])),
    };
}

function catalogRoleInfo(role: CatalogRole, policies: Map<string, CatalogPolicy>): RoleInfo {
    const fromPolicies = (role.system_policy_ids ?? []).flatMap((id) => policies.get(id)?.policy_parameters ?? []);
    return {
        id: role.id,
        name: role.name,
        managementType: "system",
        permissionType: role.permission_type as PermissionType,
        scopeType: role.scope_type,
        policyParameters: role.policy_parameters ?? derivePolicyParameters(role.id, fromPolicies),
    };
}

/** Content roles name their content type in their policies, or failing that in their id (cld::role::folder::*). */
function derivePolicyParameters(roleId: string, fromPolicies: string[]): string[] {
    if (fromPolicies.length) return [...new Set(fromPolicies)];
    if (/::folder::/.test(roleId)) return ["folder_id"];
    if (/::collection::/.test(roleId)) return ["collection_id"];
    return [];
}

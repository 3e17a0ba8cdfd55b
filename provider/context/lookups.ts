// The per-run lookup cache behind plan-time checks: the system catalog, roles, users, groups, product
// environments and folders. A cache may answer yes; it never answers no on its own: a miss is asked again
// of the API (one fresh read, shared by concurrent misses), because during `pulumi up` the engine checks a
// resource again after the outputs it depends on resolve, when the group or role it names may have been
// created a moment ago. What this process creates itself is written through, so that case needs no re-read.
import type { ApiClients } from "../api/clients";
import type { Catalog, Group, ProductEnvironment, Role, SystemPolicy, User } from "../api/domain";

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
            this.queued = previous
                .catch(() => undefined)
                .then(() => {
                    this.queued = undefined;
                    return (this.current = this.load());
                });
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
            pending = this.read(key).finally(() => this.inFlight.delete(key));
            pending.then((value) => value !== undefined && this.found.set(key, value), () => undefined);
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

const byId = <T extends { id: string }>(items: T[]) => new Map(items.map((item) => [item.id, item]));

export class Lookups {
    readonly catalog: Refreshable<Catalog>;
    readonly users: Refreshable<Map<string, User>>;
    readonly groups: Refreshable<Map<string, Group>>;
    readonly productEnvironments: Refreshable<Map<string, ProductEnvironment>>;
    /** The account's Cedar schema; a statement it refuses is checked again against a fresh read before failing. */
    readonly cedarSchema: Refreshable<Record<string, unknown>>;
    private readonly customRoles: KeyedReads<Role>;
    private readonly folders: KeyedReads<true>;

    constructor(api: ApiClients) {
        this.catalog = new Refreshable(() => api.account.catalog());
        this.users = new Refreshable(async () => byId(await api.account.listUsers()));
        this.groups = new Refreshable(async () => byId(await api.account.listGroups()));
        this.productEnvironments = new Refreshable(async () => byId(await api.account.listProductEnvironments()));
        this.cedarSchema = new Refreshable(() => api.policies.cedarSchema());
        this.customRoles = new KeyedReads((roleId) => api.account.getRole(roleId));
        this.folders = new KeyedReads(async (key) => {
            const [cloudName, folderId] = JSON.parse(key) as [string, string];
            return (await api.folders(cloudName).folderExists(folderId)) || undefined;
        });
    }

    systemPolicy(policyId: string): Promise<SystemPolicy | undefined> {
        return this.catalog.find((c) => c.policies.get(policyId));
    }

    /** A role by id: system roles from the catalog, custom roles from the API; undefined when it does not exist. */
    async role(roleId: string): Promise<Role | undefined> {
        const system = (await this.catalog.get()).roles.get(roleId);
        if (system) return system;
        const custom = await this.customRoles.get(roleId);
        // A system role id missing from the cached catalog is asked again of it.
        return custom ?? (roleId.startsWith("cld::") ? this.catalog.find((c) => c.roles.get(roleId)) : undefined);
    }

    user(userId: string): Promise<User | undefined> {
        return this.users.find((users) => users.get(userId));
    }

    group(groupId: string): Promise<Group | undefined> {
        return this.groups.find((groups) => groups.get(groupId));
    }

    productEnvironment(id: string): Promise<ProductEnvironment | undefined> {
        return this.productEnvironments.find((environments) => environments.get(id));
    }

    async folderExists(cloudName: string, folderId: string): Promise<boolean> {
        return (await this.folders.get(JSON.stringify([cloudName, folderId]))) === true;
    }

    /** Write-through of what this process created or changed. */
    groupSaved(group: Group): void {
        this.groups.update((groups) => groups.set(group.id, { id: group.id, name: group.name }));
    }

    groupDeleted(groupId: string): void {
        this.groups.update((groups) => groups.delete(groupId));
    }

    roleSaved(role: Role): void {
        this.customRoles.remember(role.id, role);
    }

    roleDeleted(roleId: string): void {
        this.customRoles.forget(roleId);
    }
}

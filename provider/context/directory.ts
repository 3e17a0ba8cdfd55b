// The run's directory: the one place that knows, for one provider process (one engine run), the system catalog,
// the account's users, groups with their members, product environments, custom roles and who holds each role,
// and each product environment's folders and folder roles. Checks, refreshes, writes, `export` and `access` all
// go through it, so each listing is read once per run and every change this process makes is applied to it.
//
// Its rules (see api/runViews.ts for the freshness levels):
// - A cache may answer yes; it never answers no on its own: before it says something does not exist (an id or a
//   name), it reads again (one fresh read, shared by concurrent misses). During `pulumi up` the engine checks a
//   resource again once the outputs it depends on resolve, when the group or role it names may have just been made.
// - What this process writes is applied to what it read (write-through), so the next check needs no read; a
//   refresh after such a write reads again.
// - A write whose outcome is unknown (an error that is not a clear refusal) drops what the run knew of its target.
import type { ApiClients } from "../api/clients";
import { AccountApi, FolderApi, MAX_PRINCIPALS_PER_WRITE, sameHolder, withDirectRoles } from "../api/cloudinary";
import { Coalescer, PendingChange } from "../api/coalesce";
import type { Catalog, Folder, FolderPrincipal, FolderRoles, Grant, Group, Holder, PermissionType, Principal, ProductEnvironment, ProductEnvironmentAccess, Role, RoleDeclaration, SystemPolicy, User } from "../api/domain";
import { CloudinaryApiError } from "../api/errors";
import { Freshness, RunViews } from "../api/runViews";
import { PrincipalRefreshes } from "./principalRefreshes";

export type { Freshness };

/** The one key of a view that holds a whole listing. */
const ALL = "";

/** What a name matched: one object, or several (ambiguous), or none. */
export interface NameMatch<T> {
    found?: T;
    /** Every object the name could mean; more than one without `found` is ambiguous. */
    candidates: T[];
}

/**
 * The object a name means: the one spelled exactly so; else the one spelled so but for letter case, if only one
 * is. Names Cloudinary keeps unique (emails, group names, cloud names) then match at most one object.
 */
export function matchName<T>(items: Iterable<T>, name: string, nameOf: (item: T) => string | undefined): NameMatch<T> {
    const all = [...items];
    const exact = all.filter((item) => nameOf(item) === name);
    if (exact.length === 1) return { found: exact[0], candidates: exact };
    if (exact.length > 1) return { candidates: exact };
    const folded = all.filter((item) => nameOf(item)?.toLowerCase() === name.toLowerCase());
    return folded.length === 1 ? { found: folded[0], candidates: folded } : { candidates: folded };
}

const byId = <T extends { id: string }>(items: T[]) => new Map(items.map((item) => [item.id, item]));

/** The id wins: "the id still works" even where it happens to be another object's name. */
function byIdOr<T>(items: Map<string, T>, value: string, byName: () => NameMatch<T>): NameMatch<T> {
    const item = items.get(value);
    return item ? { found: item, candidates: [item] } : byName();
}

/** A name lookup that reads again before it reports nothing. */
async function lookUpName<V, T>(view: RunViews<V>, pick: (value: V) => NameMatch<T>): Promise<NameMatch<T>> {
    return (await view.find(ALL, (value) => {
        const match = pick(value);
        return match.candidates.length ? match : undefined;
    })) ?? { candidates: [] };
}

export class Directory {
    private readonly catalogView: RunViews<Catalog>;
    private readonly userView: RunViews<Map<string, User>>;
    private readonly groupView: RunViews<Map<string, Group>>;
    private readonly environmentView: RunViews<Map<string, ProductEnvironment>>;
    private readonly cedarSchemaView: RunViews<Record<string, unknown>>;
    /** Custom roles by id; a role that does not exist is undefined (and asked again before it is reported so). */
    private readonly roleView: RunViews<Role | undefined>;
    /** Every grant of a role, by role id. */
    private readonly holderView: RunViews<Grant[]>;
    /** The product environments each user may enter, by user id. */
    private readonly accessView: RunViews<ProductEnvironmentAccess | undefined>;
    /** Who may enter each product environment (user ids), by product environment id. */
    private readonly entrantView: RunViews<Set<string>>;
    /** Every role one principal holds, by principal and permission types (see principalKey). */
    private readonly principalView: RunViews<Grant[]>;
    /** Every role of the account, system and custom, of both permission types (two reads). */
    private readonly roleListView: RunViews<Role[]>;
    private readonly refreshes: PrincipalRefreshes;
    private readonly grantWrites: Coalescer<Holder>;
    private readonly folderDirectories = new Map<string, FolderDirectory>();

    constructor(private readonly api: ApiClients) {
        this.catalogView = new RunViews(() => this.account.catalog());
        this.userView = new RunViews(async () => byId(await this.account.listUsers()));
        this.groupView = new RunViews(async () => byId(await this.account.listGroups(true)));
        this.environmentView = new RunViews(async () => byId(await this.account.listProductEnvironments()));
        this.cedarSchemaView = new RunViews(() => api.policies.cedarSchema());
        this.roleView = new RunViews((roleId) => this.account.getRole(roleId));
        this.holderView = new RunViews((roleId) => this.account.holders(roleId));
        this.accessView = new RunViews((userId) => this.account.productEnvironmentAccess(userId));
        this.entrantView = new RunViews(async (environmentId) => new Set(await this.account.usersInProductEnvironment(environmentId)));
        this.principalView = new RunViews((key) => {
            const [principalType, principalId, types] = JSON.parse(key) as [Principal["principalType"], string, PermissionType[]];
            return this.account.principalGrants({ principalType, principalId }, types);
        });
        this.roleListView = new RunViews(async () => (await Promise.all((["global", "content"] as const).map((t) => this.account.listRoles(t)))).flat());
        this.refreshes = new PrincipalRefreshes({
            perPrincipal: (principal, types, reader) => this.principalView.get(principalKey(principal, types), "read", reader),
            roles: () => this.roleListView.get(ALL, "read"),
            holders: (roleId, reader) => this.holderView.get(roleId, "read", reader),
        });
        this.grantWrites = new Coalescer<Holder>((roleId, operation, holders) => this.writeHolders(roleId, operation as "add" | "remove", holders), {
            itemKey: (holder) => JSON.stringify([holder.principalType, holder.principalId, holder.scopeId ?? "", holder.policyParameters ?? {}]),
            maxBatch: MAX_PRINCIPALS_PER_WRITE,
        });
    }

    private get account(): AccountApi {
        return this.api.account;
    }

    // ---- the system catalog and roles ------------------------------------------------------------------

    catalog(): Promise<Catalog> {
        return this.catalogView.get(ALL, "known");
    }

    systemPolicy(policyId: string): Promise<SystemPolicy | undefined> {
        return this.catalogView.find(ALL, (c) => c.policies.get(policyId));
    }

    /** A role by id: system roles from the catalog, custom roles from the API; undefined when it does not exist. */
    async role(roleId: string): Promise<Role | undefined> {
        const system = (await this.catalog()).roles.get(roleId);
        if (system) return system;
        // A system role id missing from the cached catalog is asked again of it.
        if (roleId.startsWith("cld::")) return this.catalogView.find(ALL, (c) => c.roles.get(roleId));
        return this.roleView.find(roleId, (role) => role);
    }

    /** A custom role as a refresh reads it (see runViews.ts for `freshness` and `reader`). */
    customRole(roleId: string, freshness: Freshness, reader?: string): Promise<Role | undefined> {
        return this.roleView.get(roleId, freshness, reader);
    }

    async createRole(declaration: RoleDeclaration): Promise<Role> {
        const role = await this.written(this.account.createRole(declaration), () => this.roleListView.forget(ALL), (made) => {
            this.roleListView.update(ALL, (roles) => [...roles.filter((r) => r.id !== made.id), made]);
        });
        this.roleView.seed(role.id, role);
        // A role just created holds no one: its grants need no read.
        this.holderView.seed(role.id, []);
        return role;
    }

    async updateRole(roleId: string, change: Omit<RoleDeclaration, "id" | "permissionType" | "scopeType">): Promise<Role> {
        return this.written(this.account.updateRole(roleId, change), () => this.roleView.forget(roleId), (role) => this.roleView.seed(roleId, role));
    }

    async deleteRole(roleId: string, force: boolean): Promise<void> {
        await this.written(this.account.deleteRole(roleId, force), () => this.roleView.forget(roleId), () => {
            this.roleView.seed(roleId, undefined);
            this.roleListView.update(ALL, (roles) => roles.filter((r) => r.id !== roleId));
            this.holderView.seed(roleId, []);
        });
    }

    // ---- users and product environments -----------------------------------------------------------------

    users(): Promise<Map<string, User>> {
        return this.userView.get(ALL, "known");
    }

    user(userId: string): Promise<User | undefined> {
        return this.userView.find(ALL, (users) => users.get(userId));
    }

    /** Emails are matched regardless of letter case. */
    userByEmail(email: string): Promise<NameMatch<User>> {
        return lookUpName(this.userView, (users) => matchName(users.values(), email.toLowerCase(), (u) => u.email?.toLowerCase()));
    }

    /** A user by id, or else by email. */
    findUser(idOrEmail: string): Promise<NameMatch<User>> {
        return lookUpName(this.userView, (users) => byIdOr(users, idOrEmail, () => matchName(users.values(), idOrEmail.toLowerCase(), (u) => u.email?.toLowerCase())));
    }

    /** A group by id, or else by name. */
    findGroup(idOrName: string): Promise<NameMatch<Group>> {
        return lookUpName(this.groupView, (groups) => byIdOr(groups, idOrName, () => matchName(groups.values(), idOrName, (g) => g.name)));
    }

    /** A product environment by id, or else by cloud name. */
    findProductEnvironment(idOrCloudName: string): Promise<NameMatch<ProductEnvironment>> {
        return lookUpName(this.environmentView, (environments) => byIdOr(environments, idOrCloudName, () => matchName(environments.values(), idOrCloudName, (pe) => pe.cloudName)));
    }

    productEnvironments(): Promise<Map<string, ProductEnvironment>> {
        return this.environmentView.get(ALL, "known");
    }

    productEnvironment(id: string): Promise<ProductEnvironment | undefined> {
        return this.environmentView.find(ALL, (environments) => environments.get(id));
    }

    productEnvironmentByCloudName(cloudName: string): Promise<NameMatch<ProductEnvironment>> {
        return lookUpName(this.environmentView, (environments) => matchName(environments.values(), cloudName, (pe) => pe.cloudName));
    }

    /**
     * The product environments a user may enter (see runViews.ts for `freshness` and `reader`); undefined when the
     * user does not exist. A list of every product environment of the account counts as all: the API documents
     * no other way to give all back.
     */
    async productEnvironmentAccess(userId: string, freshness: Freshness, reader?: string): Promise<ProductEnvironmentAccess | undefined> {
        const access = await this.accessView.get(userId, freshness, reader);
        if (!access || access.all) return access;
        const every = [...(await this.productEnvironments()).keys()];
        return every.length > 0 && every.every((id) => access.productEnvironmentIds.includes(id)) ? { all: true } : access;
    }

    /** The ids of the users who may enter a product environment (one read per run, whatever the number of users). */
    usersInProductEnvironment(environmentId: string): Promise<Set<string>> {
        return this.entrantView.get(environmentId, "known");
    }

    /** Sets the product environments a user may enter; `all` sends every product environment of the account. */
    async setProductEnvironmentAccess(userId: string, access: ProductEnvironmentAccess): Promise<void> {
        const ids = access.all ? [...(await this.productEnvironments()).keys()] : access.productEnvironmentIds;
        await this.written(this.account.setProductEnvironments(userId, ids), () => this.accessView.forget(userId), (user) => {
            this.accessView.seed(userId, access.all ? { all: true } : { all: false, productEnvironmentIds: [...ids].sort() });
            this.entrantView.updateAll((users) => new Set([...users].filter((id) => id !== userId)));
            for (const environmentId of ids) this.entrantView.update(environmentId, (users) => new Set([...users, userId]));
            this.userView.update(ALL, (users) => users.set(userId, { ...users.get(userId), ...user }));
        });
    }

    /** The account's Cedar schema; `fresh` for a statement it refused, which is checked again before it fails. */
    cedarSchema(freshness: "known" | "fresh" = "known"): Promise<Record<string, unknown>> {
        return this.cedarSchemaView.get(ALL, freshness);
    }

    // ---- groups and their members -----------------------------------------------------------------------

    /** Every group with its members (one listing serves every Group's refresh; see runViews.ts). */
    groups(freshness: Freshness = "known", reader?: string): Promise<Map<string, Group>> {
        return this.groupView.get(ALL, freshness, reader);
    }

    group(groupId: string): Promise<Group | undefined> {
        return this.groupView.find(ALL, (groups) => groups.get(groupId));
    }

    groupByName(name: string): Promise<NameMatch<Group>> {
        return lookUpName(this.groupView, (groups) => matchName(groups.values(), name, (g) => g.name));
    }

    /** The group with this exact name as a fresh read of the listing has it (to take over what a lost reply left). */
    async groupNamed(name: string): Promise<Group | undefined> {
        return [...(await this.groups("fresh")).values()].find((g) => g.name === name);
    }

    async createGroup(name: string): Promise<Group> {
        const group = await this.groupWrite(this.account.createGroup(name), (groups, made) => groups.set(made.id, { ...made, memberIds: [] }));
        return { ...group, memberIds: [] };
    }

    renameGroup(groupId: string, name: string): Promise<Group> {
        return this.groupWrite(this.account.renameGroup(groupId, name), (groups, renamed) => {
            const current = groups.get(groupId);
            return groups.set(groupId, { ...current, ...renamed });
        });
    }

    /** A group already gone (404) counts as deleted here too; its grants go with it. */
    async deleteGroup(groupId: string): Promise<void> {
        const gone = () => {
            this.groupView.update(ALL, (groups) => (groups.delete(groupId), groups));
            this.holderView.updateAll((grants) => grants.filter((g) => !(g.principalType === "group" && g.principalId === groupId)));
        };
        try {
            await this.written(this.account.deleteGroup(groupId), () => this.groupView.forget(ALL), gone);
        } catch (e) {
            if (e instanceof CloudinaryApiError && e.isNotFound) gone();
            throw e;
        }
    }

    addMember(groupId: string, userId: string): Promise<void> {
        return this.groupWrite(this.account.addMember(groupId, userId), (groups) => withMembers(groups, groupId, (ids) => [...new Set([...ids, userId])]));
    }

    removeMember(groupId: string, userId: string): Promise<void> {
        return this.groupWrite(this.account.removeMember(groupId, userId), (groups) => withMembers(groups, groupId, (ids) => ids.filter((id) => id !== userId)));
    }

    private groupWrite<T>(write: Promise<T>, apply: (groups: Map<string, Group>, result: T) => Map<string, Group>): Promise<T> {
        return this.written(write, () => this.groupView.forget(ALL), (result) => this.groupView.update(ALL, (groups) => apply(groups, result)));
    }

    // ---- who holds which role -----------------------------------------------------------------------------

    /** Every grant of a role; one read per role serves the run (see runViews.ts for `freshness` and `reader`). */
    holders(roleId: string, freshness: Freshness, reader?: string): Promise<Grant[]> {
        return this.holderView.get(roleId, freshness, reader);
    }

    /** Starts the run's read of a role's grants, for refreshes to come; a failed one is read again when asked for. */
    readAhead(roleId: string): void {
        this.holderView.get(roleId, "read").catch(() => undefined);
    }

    /** Coalesced with other changes to the role asked for at the same time (see api/coalesce.ts). */
    async changeHolders(roleId: string, operation: "add" | "remove", holders: Holder[]): Promise<void> {
        await Promise.all(holders.map((h) => this.grantWrites.change(roleId, operation, h)));
    }

    /** A change of the role's holders to announce, when it will be asked for in moments: a write to the role may wait for it (see api/coalesce.ts). */
    pendingHoldersChange(roleId: string, operation: "add" | "remove", holder: Holder): PendingChange {
        return this.grantWrites.pending(roleId, operation, holder);
    }

    private writeHolders(roleId: string, operation: "add" | "remove", holders: Holder[]): Promise<void> {
        const forget = () => holders.forEach((h) => this.forgetPrincipal(h));
        return this.written(this.account.changeHolders(roleId, operation, holders), () => (this.holderView.forget(roleId), forget()), () => {
            this.holderView.update(roleId, (grants) => withHolders(grants, holders.map((h) => ({ ...h, roleId })), operation));
            forget();
        });
    }

    /**
     * Every role one principal holds, of both permission types or the ones asked for (one read each; see
     * runViews.ts for `freshness`). Changes to its roles made through this directory are applied to it.
     */
    principalGrants(principal: Principal, freshness: Freshness, types: PermissionType[] = ["global", "content"]): Promise<Grant[]> {
        // Refreshes of many principals at once are served role by role (see PrincipalRefreshes).
        if (freshness === "read") return this.refreshes.grants(principal, types, principalKey(principal, types));
        return this.principalView.get(principalKey(principal, types), freshness);
    }

    /** Adds or removes several roles of one principal in one write, and applies it to what the run knows of each role. */
    changePrincipalGrants(principal: Principal, operation: "add" | "remove", grants: Omit<Grant, keyof Principal>[]): Promise<void> {
        const roleIds = [...new Set(grants.map((g) => g.roleId))];
        const forget = () => {
            roleIds.forEach((r) => this.holderView.forget(r));
            this.forgetPrincipal(principal);
        };
        return this.written(this.account.changePrincipalGrants(principal, operation, grants), forget, () => {
            for (const roleId of roleIds) {
                const changed = grants.filter((g) => g.roleId === roleId).map((g) => ({ ...g, ...principal }));
                this.holderView.update(roleId, (held) => withHolders(held, changed, operation));
            }
            // A principal's roles by permission type: read again when next asked for.
            this.forgetPrincipal(principal);
        });
    }

    private forgetPrincipal(principal: Principal): void {
        for (const types of PERMISSION_TYPE_SETS) this.principalView.forget(principalKey(principal, types));
    }

    /** Every grant in the account: the roles of both permission types (two reads), then each role's holders. */
    async accountGrants(freshness: Freshness): Promise<{ roles: Role[]; grants: Grant[] }> {
        const roles = await this.roleListView.get(ALL, freshness);
        const grants = await Promise.all(roles.map((r) => this.holders(r.id, freshness)));
        return { roles, grants: grants.flat() };
    }

    // ---- folders -----------------------------------------------------------------------------------------

    /** A product environment's folders (needs its Admin API credentials). */
    folders(cloudName: string): FolderDirectory {
        let folders = this.folderDirectories.get(cloudName);
        if (!folders) this.folderDirectories.set(cloudName, (folders = new FolderDirectory(this.api.folders(cloudName))));
        return folders;
    }

    /**
     * Applies a write's outcome: `done` when it succeeded, `unknown` when it failed in a way that may have changed
     * something (a refusal, 4xx but 404, changed nothing; a 404 is left to the caller).
     */
    private async written<T>(write: Promise<T>, unknown: () => void, done: (result: T) => void): Promise<T> {
        let result: T;
        try {
            result = await write;
        } catch (e) {
            if (!(e instanceof CloudinaryApiError && e.status >= 400 && e.status < 500)) unknown();
            throw e;
        }
        done(result);
        return result;
    }
}

/** One product environment's folders: by id and by path, their subfolders, and the folder roles on each. */
export class FolderDirectory {
    private readonly byId: RunViews<Folder | undefined>;
    private readonly byPath: RunViews<Folder | undefined>;
    private readonly children: RunViews<Folder[]>;
    private readonly roles: RunViews<FolderRoles[]>;

    constructor(private readonly api: FolderApi) {
        // A folder read by id is then known by path too, and the other way round.
        this.byId = new RunViews(async (id) => this.alsoSeed(this.byPath, await api.folderById(id), (f) => f.path));
        this.byPath = new RunViews(async (path) => this.alsoSeed(this.byId, await api.folderByPath(path), (f) => f.id));
        this.children = new RunViews((path) => api.subfolders(path));
        this.roles = new RunViews((folderId) => api.folderRoles(folderId));
    }

    /** A folder by external id; undefined when a fresh read does not find it. */
    folder(folderId: string): Promise<Folder | undefined> {
        return this.byId.find(folderId, (f) => f);
    }

    /** A folder by path (`a/b/c`, without leading or trailing '/'); undefined when a fresh read does not find it. */
    folderAt(path: string): Promise<Folder | undefined> {
        return this.byPath.find(normalPath(path), (f) => f);
    }

    /**
     * A folder by external id, or else by path (a top folder's path has no '/', like an id). The id wins. What the
     * run knows answers yes under either; a no comes only from fresh reads of both.
     */
    async folderByIdOrPath(value: string): Promise<Folder | undefined> {
        const known = (await this.byId.known(value)) ?? (await this.byPath.known(normalPath(value)));
        return known ?? (await this.folder(value)) ?? (await this.folderAt(value));
    }

    async folderExists(folderId: string): Promise<boolean> {
        return (await this.folder(folderId)) !== undefined;
    }

    /** The folders directly inside a path ("" for the root folders). */
    subfolders(path: string): Promise<Folder[]> {
        return this.children.get(normalPath(path), "known");
    }

    /** The folder and every folder below it, each with its ancestors (one read); undefined when it does not exist. */
    subtree(folderId: string): Promise<Folder[] | undefined> {
        return this.api.subtree(folderId);
    }

    /** The folder's roles: its own grants and those inherited from its ancestors (see runViews.ts for `freshness`). */
    rolesOn(folderId: string, freshness: Freshness, reader?: string): Promise<FolderRoles[]> {
        return this.roles.get(folderId, freshness, reader);
    }

    async changeFolderRoles(folderId: string, principal: FolderPrincipal, operation: "add" | "remove", roles: string[]): Promise<void> {
        try {
            await this.api.changeFolderRoles(folderId, principal, operation, roles);
        } catch (e) {
            this.roles.forget(folderId);
            throw e;
        }
        if (roles.length) this.roles.update(folderId, (holders) => withDirectRoles(holders, folderId, principal, operation, roles));
    }

    ping(): Promise<void> {
        return this.api.ping();
    }

    private alsoSeed(other: RunViews<Folder | undefined>, folder: Folder | undefined, keyOf: (f: Folder) => string): Folder | undefined {
        if (folder) other.seed(keyOf(folder), folder);
        return folder;
    }
}

/** The permission-type sets a principal's roles are read by. */
const PERMISSION_TYPE_SETS: PermissionType[][] = [["global", "content"], ["global"], ["content"]];

function principalKey(principal: Principal, types: PermissionType[]): string {
    return JSON.stringify([principal.principalType, principal.principalId, types]);
}

function normalPath(path: string): string {
    return path.replace(/^\/+|\/+$/g, "");
}

function withMembers(groups: Map<string, Group>, groupId: string, change: (memberIds: string[]) => string[]): Map<string, Group> {
    const group = groups.get(groupId);
    if (group) groups.set(groupId, { ...group, memberIds: change(group.memberIds ?? []) });
    return groups;
}

/** A role's grants after holders were added or removed (idempotent). */
function withHolders(grants: Grant[], changed: Grant[], operation: "add" | "remove"): Grant[] {
    const kept = grants.filter((g) => !changed.some((c) => sameHolder(g, c)));
    return operation === "add" ? [...kept, ...changed] : kept;
}

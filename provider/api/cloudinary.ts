// The domain face of the API layer: the account's roles, grants, groups, users and product environments, and a
// product environment's folder roles, in domain types. The wire (snake_case, optional ids) is mapped here once.
import type { AdminApi, FolderRoleAssignment } from "./admin";
import type { Catalog, FolderPrincipal, FolderRoles, Grant, Group, Holder, PermissionType, PolicyParameters, Principal, ProductEnvironment, Role, RoleDeclaration, SystemPolicy, User } from "./domain";
import { Coalescer, PendingChange } from "./coalesce";
import { CloudinaryApiError } from "./errors";
import type { CatalogPolicy, CatalogRole, PermissionsApi, PolicyParameterMap, PrincipalRole, Role as WireRole, RolePrincipal, RolePrincipalChange, RoleToManage } from "./permissions";
import type { ProductEnvironment as WireProductEnvironment, ProvisioningApi, User as WireUser, UserGroup } from "./provisioning";
import { Freshness, RunViews } from "./runViews";

export type { Freshness };

/** The account's wire clients, built when first used (the public catalog needs no credentials). */
export interface AccountClients {
    readonly permissions: PermissionsApi;
    readonly provisioning: ProvisioningApi;
    readonly publicPermissions: PermissionsApi;
}

/** The object is gone (404): undefined instead of an error, for reads that ask whether something exists. */
export function unlessNotFound<T>(read: Promise<T>): Promise<T | undefined> {
    return read.catch((e) => {
        if (e instanceof CloudinaryApiError && e.isNotFound) return undefined;
        throw e;
    });
}

/** An error status that means the change is already in place (added twice, removed twice). */
async function converged(change: Promise<unknown>, status: number): Promise<void> {
    try {
        await change;
    } catch (e) {
        if (!(e instanceof CloudinaryApiError && e.status === status)) throw e;
    }
}

/** The most principals one roles/{id}/principals write carries. */
const MAX_PRINCIPALS_PER_WRITE = 100;
const ALL_GROUPS = "";

export class AccountApi {
    /** Every grant of a role, as this run knows it (see runViews.ts). */
    private readonly grants = new RunViews<Grant[]>((roleId) => this.holders(roleId));
    private readonly grantWrites = new Coalescer<Holder>((roleId, operation, holders) => this.writeHolders(roleId, operation as "add" | "remove", holders), {
        itemKey: (holder) => JSON.stringify(changeOf(holder)),
        maxBatch: MAX_PRINCIPALS_PER_WRITE,
    });
    /** The account's groups with their members: one listing serves every Group's refresh. */
    private readonly groups = new RunViews<Map<string, Group>>(async () => new Map((await this.provisioning.listUserGroups(true)).map((g) => [g.id as string, groupOf(g, true)])));

    constructor(private readonly clients: AccountClients) {}

    private get permissions() {
        return this.clients.permissions;
    }

    private get provisioning() {
        return this.clients.provisioning;
    }

    /** System policies and roles (public: no credentials needed). */
    async catalog(): Promise<Catalog> {
        const { system_policies, system_roles } = await this.clients.publicPermissions.catalog();
        const policies = new Map(system_policies.map((p) => [p.id, policyOf(p)]));
        const roles = new Map(system_roles.map((r) => [r.id, catalogRoleOf(r, policies)]));
        return { policies, roles };
    }

    getRole(roleId: string): Promise<Role | undefined> {
        return unlessNotFound(this.permissions.getRole(roleId).then(roleOf));
    }

    async listRoles(permissionType: PermissionType, managementType?: Role["managementType"]): Promise<Role[]> {
        const roles = await this.permissions.listRoles({ permission_type: permissionType, ...(managementType ? { management_type: managementType } : {}) });
        return roles.map(roleOf);
    }

    async createRole(role: RoleDeclaration): Promise<Role> {
        const request = { ...(role.id ? { id: role.id } : {}), permission_type: role.permissionType, scope_type: role.scopeType, ...roleChange(role) };
        const created = roleOf(await this.permissions.createRole(request));
        // A role just created holds no one: its grants need no read.
        this.grants.seed(created.id, []);
        return created;
    }

    async updateRole(roleId: string, role: Omit<RoleDeclaration, "id" | "permissionType" | "scopeType">): Promise<Role> {
        return roleOf(await this.permissions.updateRole(roleId, roleChange(role)));
    }

    async deleteRole(roleId: string, force: boolean): Promise<void> {
        this.grants.forget(roleId);
        await this.permissions.deleteRole(roleId, force);
    }

    /** Who holds a role, optionally only in one scope or on one folder or collection. */
    async holders(roleId: string, where: Pick<Holder, "scopeId" | "policyParameters"> = {}): Promise<Grant[]> {
        const principals = await this.permissions.listRolePrincipals(roleId, { ...(where.scopeId ? { scope_id: where.scopeId } : {}), ...wireParameters(where.policyParameters) });
        return principals.map((p) => grantOf(roleId, p));
    }

    /** Every grant of a role; one read per role serves the run (see runViews.ts for `freshness` and `reader`). */
    grantsOf(roleId: string, freshness: Freshness, reader?: string): Promise<Grant[]> {
        return this.grants.get(roleId, freshness, reader);
    }

    /** Starts the run's read of a role's grants, for refreshes to come; a failed one is read again when asked for. */
    readAhead(roleId: string): void {
        this.grants.get(roleId, "read").catch(() => undefined);
    }

    /** Coalesced with other changes to the role asked for at the same time (see coalesce.ts). */
    async changeHolders(roleId: string, operation: "add" | "remove", holders: Holder[]): Promise<void> {
        await Promise.all(holders.map((h) => this.grantWrites.change(roleId, operation, h)));
    }

    /** A change of the role's holders to announce, when it will be asked for in moments: a write to the role may wait for it (see coalesce.ts). */
    pendingHoldersChange(roleId: string, operation: "add" | "remove", holder: Holder): PendingChange {
        return this.grantWrites.pending(roleId, operation, holder);
    }

    private async writeHolders(roleId: string, operation: "add" | "remove", holders: Holder[]): Promise<void> {
        try {
            await this.permissions.updateRolePrincipals(roleId, operation, holders.map(changeOf));
        } catch (e) {
            // Refused as a whole, or not known to have happened: the run's view of the role is read again.
            this.grants.forget(roleId);
            throw e;
        }
        const written = holders.map((h) => ({ roleId, ...h }));
        this.grants.update(roleId, (grants) => [...grants.filter((g) => !written.some((w) => sameHolder(g, w))), ...(operation === "add" ? written : [])]);
    }

    async listGroups(): Promise<Group[]> {
        return (await this.provisioning.listUserGroups()).map((g) => groupOf(g));
    }

    /** A group with its members. */
    getGroup(groupId: string): Promise<Group | undefined> {
        return unlessNotFound(this.provisioning.getUserGroup(groupId).then((g) => groupOf(g, true)));
    }

    /** A group with its members, from the run's one listing (see runViews.ts for `freshness`); the group id is the reader. */
    async groupFromListing(groupId: string, freshness: Freshness): Promise<Group | undefined> {
        return (await this.groups.get(ALL_GROUPS, freshness, groupId)).get(groupId);
    }

    async createGroup(name: string): Promise<Group> {
        return groupOf(await this.groupWrite(this.provisioning.createUserGroup(name)));
    }

    async renameGroup(groupId: string, name: string): Promise<Group> {
        return groupOf(await this.groupWrite(this.provisioning.updateUserGroup(groupId, name)));
    }

    async deleteGroup(groupId: string): Promise<void> {
        await this.groupWrite(this.provisioning.deleteUserGroup(groupId));
    }

    /** "Already a member" is done. */
    addMember(groupId: string, userId: string): Promise<void> {
        return converged(this.groupWrite(this.provisioning.addUserToGroup(groupId, userId)), 409);
    }

    /** "Not a member" is done. */
    removeMember(groupId: string, userId: string): Promise<void> {
        return converged(this.groupWrite(this.provisioning.removeUserFromGroup(groupId, userId)), 404);
    }

    /** A write to groups: the run's listing is read again when next asked for. */
    private groupWrite<T>(write: Promise<T>): Promise<T> {
        this.groups.forget(ALL_GROUPS);
        return write;
    }

    async listUsers(): Promise<User[]> {
        return (await this.provisioning.listUsers()).map(userOf);
    }

    async listProductEnvironments(): Promise<ProductEnvironment[]> {
        return (await this.provisioning.listProductEnvironments()).map(productEnvironmentOf);
    }

    /** Every role one principal holds, of both permission types (one read each). */
    async principalGrants(principal: Principal): Promise<Grant[]> {
        const types: PermissionType[] = ["global", "content"];
        const lists = await Promise.all(types.map((t) => this.permissions.listPrincipalRoles(principal.principalType, principal.principalId, t)));
        return lists.flat().map((r) => principalGrantOf(principal, r));
    }

    /** Adds or removes several roles of one principal in one write. */
    async changePrincipalGrants(principal: Principal, operation: "add" | "remove", grants: Omit<Grant, keyof Principal>[]): Promise<void> {
        if (grants.length === 0) return;
        await this.permissions.updatePrincipalRoles({ type: principal.principalType, id: principal.principalId }, operation, grants.map(roleToManageOf));
    }

    /** Every grant in the account: the roles of both permission types (two reads), then one read per role. */
    async accountGrants(): Promise<{ roles: Role[]; grants: Grant[] }> {
        const roles = (await Promise.all((["global", "content"] as const).map((t) => this.listRoles(t)))).flat();
        const grants = await Promise.all(roles.map((r) => this.holders(r.id)));
        return { roles, grants: grants.flat() };
    }
}

/** One product environment's folders and folder roles (Admin API). */
export class FolderApi {
    /** Each folder's roles as this run knows them: one read per folder serves every share of it. */
    private readonly views = new RunViews<FolderRoles[]>((folderId) => this.folderRoles(folderId));

    constructor(private readonly admin: AdminApi) {}

    /** Principals with roles on the folder, including roles inherited from ancestor folders. */
    async folderRoles(folderId: string): Promise<FolderRoles[]> {
        return (await this.admin.getFolderRoles(folderId)).map(folderRolesOf);
    }

    /** The folder's roles from the run's view (see runViews.ts for `freshness` and `reader`). */
    rolesOn(folderId: string, freshness: Freshness, reader?: string): Promise<FolderRoles[]> {
        return this.views.get(folderId, freshness, reader);
    }

    async changeFolderRoles(folderId: string, principal: FolderPrincipal, operation: "add" | "remove", roles: string[]): Promise<void> {
        if (roles.length === 0) return;
        try {
            await this.admin.changeFolderRoles(folderId, { type: principal.principalType, id: principal.principalId }, operation, roles);
        } catch (e) {
            this.views.forget(folderId);
            throw e;
        }
        this.views.update(folderId, (holders) => withDirectRoles(holders, folderId, principal, operation, roles));
    }

    async folderExists(folderId: string): Promise<boolean> {
        return (await unlessNotFound(this.admin.getFolderById(folderId))) !== undefined;
    }

    /** The folder's path (`marketing/campaigns`), or undefined when it does not exist. */
    async folderPath(folderId: string): Promise<string | undefined> {
        return (await unlessNotFound(this.admin.getFolderById(folderId)))?.path ?? undefined;
    }

    /** The cheapest authenticated read of the Admin API. */
    async ping(): Promise<void> {
        await this.admin.listRootFolders();
    }
}

/** The folder's holders after this process added or removed direct roles of one principal on it. */
function withDirectRoles(holders: FolderRoles[], folderId: string, principal: FolderPrincipal, operation: "add" | "remove", roles: string[]): FolderRoles[] {
    const mine = (h: FolderRoles) => h.folderId === folderId && h.principalType === principal.principalType && h.principalId === principal.principalId;
    const current = holders.find(mine)?.roles ?? [];
    const kept = current.filter((r) => r.inherited || !roles.includes(r.roleId));
    const next = operation === "add" ? [...kept, ...roles.map((roleId) => ({ roleId, inherited: false }))] : kept;
    const others = holders.filter((h) => !mine(h));
    return next.length ? [...others, { ...principal, folderId, roles: next }] : others;
}

function sameHolder(a: Holder, b: Holder): boolean {
    const parameters = (h: Holder) => JSON.stringify(wireParameters(h.policyParameters));
    return a.principalType === b.principalType && a.principalId === b.principalId && (a.scopeId ?? "") === (b.scopeId ?? "") && parameters(a) === parameters(b);
}

// ---- wire → domain ------------------------------------------------------------------------------------

function policyOf(p: CatalogPolicy): SystemPolicy {
    return { id: p.id, name: p.name, permissionType: p.permission_type as PermissionType, scopeType: p.scope_type, ...contentTypeOf(p.policy_parameters ?? []) };
}

function roleOf(role: WireRole): Role {
    const policies = role.policies ?? [];
    const parameters = role.policy_parameters ?? policies.flatMap((p) => p.policy_parameters ?? []);
    return {
        id: role.id,
        name: role.name,
        ...(role.description ? { description: role.description } : {}),
        managementType: role.management_type,
        permissionType: role.permission_type as PermissionType,
        scopeType: role.scope_type,
        systemPolicyIds: policies.map((p) => p.id).sort(),
        ...contentTypeOf(parameters, role.id),
    };
}

function catalogRoleOf(role: CatalogRole, policies: Map<string, SystemPolicy>): Role {
    const systemPolicyIds = [...(role.system_policy_ids ?? [])].sort();
    const fromPolicies = systemPolicyIds.map((id) => policies.get(id)?.contentType).find((t) => t !== undefined);
    return {
        id: role.id,
        name: role.name,
        managementType: "system",
        permissionType: role.permission_type as PermissionType,
        scopeType: role.scope_type,
        systemPolicyIds,
        ...(role.policy_parameters ? contentTypeOf(role.policy_parameters, role.id) : fromPolicies ? { contentType: fromPolicies } : contentTypeOf([], role.id)),
    };
}

/** Content roles name their content type in their policy parameters, or failing that in their id (cld::role::folder::*). */
function contentTypeOf(parameters: string[], roleId?: string): Pick<Role, "contentType"> {
    if (parameters.includes("folder_id")) return { contentType: "folder" };
    if (parameters.includes("collection_id")) return { contentType: "collection" };
    if (roleId && /::folder::/.test(roleId)) return { contentType: "folder" };
    if (roleId && /::collection::/.test(roleId)) return { contentType: "collection" };
    return {};
}

function roleChange(role: Pick<RoleDeclaration, "name" | "description" | "systemPolicyIds">) {
    return { name: role.name, description: role.description ?? null, system_policy_ids: role.systemPolicyIds };
}

function wireParameters(parameters: PolicyParameters | undefined): PolicyParameterMap {
    if (!parameters) return {};
    return "folderId" in parameters ? { folder_id: parameters.folderId } : { collection_id: parameters.collectionId };
}

function parametersOf(map: PolicyParameterMap | null | undefined): PolicyParameters | undefined {
    if (map?.folder_id) return { folderId: map.folder_id };
    if (map?.collection_id) return { collectionId: map.collection_id };
    return undefined;
}

function grantOf(roleId: string, p: RolePrincipal): Grant {
    const policyParameters = parametersOf(p.policy_parameters);
    return { roleId, principalType: p.type, principalId: p.id, ...(p.scope_id ? { scopeId: p.scope_id } : {}), ...(policyParameters ? { policyParameters } : {}) };
}

function principalGrantOf(principal: Principal, r: PrincipalRole): Grant {
    return grantOf(r.id, { type: principal.principalType, id: principal.principalId, scope_id: r.scope_id ?? undefined, policy_parameters: r.policy_parameters });
}

function roleToManageOf(grant: Omit<Grant, keyof Principal>): RoleToManage {
    const parameters = wireParameters(grant.policyParameters);
    return { id: grant.roleId, ...(grant.scopeId ? { scope_id: grant.scopeId } : {}), ...(Object.keys(parameters).length ? { policy_parameters: parameters } : {}) };
}

function changeOf(holder: Holder): RolePrincipalChange {
    const parameters = wireParameters(holder.policyParameters);
    return {
        principal_type: holder.principalType,
        principal_id: holder.principalId,
        ...(holder.scopeId ? { scope_id: holder.scopeId } : {}),
        ...(Object.keys(parameters).length ? { policy_parameters: parameters } : {}),
    };
}

function groupOf(group: UserGroup, withMembers = false): Group {
    return { id: group.id as string, name: group.name as string, ...(withMembers ? { memberIds: (group.users ?? []).map((u) => u.id as string) } : {}) };
}

function userOf(user: WireUser): User {
    return { id: user.id as string, ...(user.name ? { name: user.name } : {}), ...(user.email ? { email: user.email } : {}) };
}

function productEnvironmentOf(pe: WireProductEnvironment): ProductEnvironment {
    return { id: pe.id as string, cloudName: pe.cloud_name as string, ...(pe.name ? { name: pe.name } : {}) };
}

function folderRolesOf(a: FolderRoleAssignment): FolderRoles {
    return { principalType: a.type, principalId: a.id, folderId: a.folder_id, roles: a.roles.map((r) => ({ roleId: r.id, inherited: r.inherited === true })) };
}

// The domain face of the API layer: the account's roles, grants, groups, users and product environments, and a
// product environment's folder roles, in domain types. The wire (snake_case, optional ids) is mapped here once.
import type { AdminApi, Folder as WireFolder, FolderRoleAssignment } from "./admin";
import type { Catalog, Folder, FolderPrincipal, FolderRoles, Grant, Group, Holder, PermissionType, PolicyParameters, Principal, ProductEnvironment, ProductEnvironmentAccess, Role, RoleDeclaration, SystemPolicy, User } from "./domain";
import { CloudinaryApiError } from "./errors";
import type { CatalogPolicy, CatalogRole, PermissionsApi, PolicyParameterMap, PrincipalRole, Role as WireRole, RolePrincipal, RolePrincipalChange, RoleToManage } from "./permissions";
import type { ProductEnvironment as WireProductEnvironment, ProvisioningApi, User as WireUser, UserGroup } from "./provisioning";

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
export const MAX_PRINCIPALS_PER_WRITE = 100;

/**
 * The account's roles, grants, groups, users and product environments in domain types. It keeps nothing: what a
 * run knows of them, and the writes it coalesces, live in the run's directory (context/directory.ts). Calls made
 * here directly are what another process would do (tests use them to change the account behind a stack's back).
 */
export class AccountApi {
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
        return roleOf(await this.permissions.createRole(request));
    }

    async updateRole(roleId: string, role: Omit<RoleDeclaration, "id" | "permissionType" | "scopeType">): Promise<Role> {
        return roleOf(await this.permissions.updateRole(roleId, roleChange(role)));
    }

    async deleteRole(roleId: string, force: boolean): Promise<void> {
        await this.permissions.deleteRole(roleId, force);
    }

    /** Who holds a role, optionally only in one scope or on one folder or collection. */
    async holders(roleId: string, where: Pick<Holder, "scopeId" | "policyParameters"> = {}): Promise<Grant[]> {
        const principals = await this.permissions.listRolePrincipals(roleId, { ...(where.scopeId ? { scope_id: where.scopeId } : {}), ...wireParameters(where.policyParameters) });
        return principals.map((p) => grantOf(roleId, p));
    }

    /** Adds or removes holders of a role, at most MAX_PRINCIPALS_PER_WRITE per request. */
    async changeHolders(roleId: string, operation: "add" | "remove", holders: Holder[]): Promise<void> {
        for (let i = 0; i < holders.length; i += MAX_PRINCIPALS_PER_WRITE) {
            await this.permissions.updateRolePrincipals(roleId, operation, holders.slice(i, i + MAX_PRINCIPALS_PER_WRITE).map(changeOf));
        }
    }

    /** The account's groups; with members, each comes with its users (still one request). */
    async listGroups(withMembers = false): Promise<Group[]> {
        return (await this.provisioning.listUserGroups(withMembers)).map((g) => groupOf(g, withMembers));
    }

    /** A group with its members. */
    getGroup(groupId: string): Promise<Group | undefined> {
        return unlessNotFound(this.provisioning.getUserGroup(groupId).then((g) => groupOf(g, true)));
    }

    async createGroup(name: string): Promise<Group> {
        return groupOf(await this.provisioning.createUserGroup(name));
    }

    async renameGroup(groupId: string, name: string): Promise<Group> {
        return groupOf(await this.provisioning.updateUserGroup(groupId, name));
    }

    async deleteGroup(groupId: string): Promise<void> {
        await this.provisioning.deleteUserGroup(groupId);
    }

    /** "Already a member" is done. */
    addMember(groupId: string, userId: string): Promise<void> {
        return converged(this.provisioning.addUserToGroup(groupId, userId), 409);
    }

    /** "Not a member" is done. */
    removeMember(groupId: string, userId: string): Promise<void> {
        return converged(this.provisioning.removeUserFromGroup(groupId, userId), 404);
    }

    /** Every user of the account (every page). */
    async listUsers(): Promise<User[]> {
        return (await this.provisioning.listUsers()).map(userOf);
    }

    /** The ids of the users who can enter a product environment (one read, whatever the number of users). */
    async usersInProductEnvironment(productEnvironmentId: string): Promise<string[]> {
        return (await this.provisioning.listUsers({ sub_account_id: productEnvironmentId })).map((u) => u.id as string);
    }

    async listProductEnvironments(): Promise<ProductEnvironment[]> {
        return (await this.provisioning.listProductEnvironments()).map(productEnvironmentOf);
    }

    /** One user, read now (its role and whether it may enter every product environment). */
    getUser(userId: string): Promise<User | undefined> {
        return unlessNotFound(this.provisioning.getUser(userId).then(userOf));
    }

    /**
     * The product environments a user may enter, as Cloudinary says: one read of the user, and one of its product
     * environments unless it may enter all (a master admin always may).
     */
    async productEnvironmentAccess(userId: string): Promise<ProductEnvironmentAccess | undefined> {
        const user = await this.getUser(userId);
        if (!user) return undefined;
        if (user.accountRole === "master_admin" || user.allProductEnvironments) return { all: true };
        const ids = (await this.provisioning.listUserProductEnvironments(userId)).map((pe) => pe.id as string).sort();
        return { all: false, productEnvironmentIds: ids };
    }

    /** Sets the product environments a user may enter (Cloudinary ignores this for master admins). */
    async setProductEnvironments(userId: string, productEnvironmentIds: string[]): Promise<User> {
        return userOf(await this.provisioning.updateUser(userId, { sub_account_ids: productEnvironmentIds }));
    }

    /** Every role one principal holds, of both permission types or the ones asked for (one read each). */
    async principalGrants(principal: Principal, types: PermissionType[] = ["global", "content"]): Promise<Grant[]> {
        const lists = await Promise.all(types.map((t) => this.permissions.listPrincipalRoles(principal.principalType, principal.principalId, t)));
        return lists.flat().map((r) => principalGrantOf(principal, r));
    }

    /** Adds or removes several roles of one principal in one write. */
    async changePrincipalGrants(principal: Principal, operation: "add" | "remove", grants: Omit<Grant, keyof Principal>[]): Promise<void> {
        if (grants.length === 0) return;
        await this.permissions.updatePrincipalRoles({ type: principal.principalType, id: principal.principalId }, operation, grants.map(roleToManageOf));
    }
}

/** One product environment's folders and folder roles (Admin API), in domain types; it keeps nothing (see context/directory.ts). */
export class FolderApi {
    constructor(private readonly admin: AdminApi) {}

    /** Principals with roles on the folder, including roles inherited from ancestor folders. */
    async folderRoles(folderId: string): Promise<FolderRoles[]> {
        return (await this.admin.getFolderRoles(folderId)).map(folderRolesOf);
    }

    async changeFolderRoles(folderId: string, principal: FolderPrincipal, operation: "add" | "remove", roles: string[]): Promise<void> {
        if (roles.length === 0) return;
        await this.admin.changeFolderRoles(folderId, { type: principal.principalType, id: principal.principalId }, operation, roles);
    }

    /** A folder by its external id, or undefined when there is none. */
    async folderById(folderId: string): Promise<Folder | undefined> {
        const folder = await unlessNotFound(this.admin.getFolderById(folderId));
        return folder && folderOf(folder);
    }

    /** A folder by its path (`marketing/campaigns`), or undefined when there is none. */
    async folderByPath(path: string): Promise<Folder | undefined> {
        const folder = await unlessNotFound(this.admin.getFolderByPath(path));
        return folder && folderOf(folder);
    }

    /** The folders directly inside a path ("" for the root), every page. */
    async subfolders(path: string): Promise<Folder[]> {
        return (await this.admin.listSubfolders(path)).map(folderOf);
    }

    /** The folder and every folder below it, each with its ancestors (one read); undefined when it does not exist. */
    async subtree(folderId: string): Promise<Folder[] | undefined> {
        return (await unlessNotFound(this.admin.getFolderDescendants(folderId, true)))?.map(folderOf);
    }

    /** The cheapest authenticated read of the Admin API. */
    async ping(): Promise<void> {
        await this.admin.listRootFolders();
    }
}

/** The folder's holders after this process added or removed direct roles of one principal on it. */
export function withDirectRoles(holders: FolderRoles[], folderId: string, principal: FolderPrincipal, operation: "add" | "remove", roles: string[]): FolderRoles[] {
    const mine = (h: FolderRoles) => h.folderId === folderId && h.principalType === principal.principalType && h.principalId === principal.principalId;
    const current = holders.find(mine)?.roles ?? [];
    const kept = current.filter((r) => r.inherited || !roles.includes(r.roleId));
    const next = operation === "add" ? [...kept, ...roles.map((roleId) => ({ roleId, inherited: false }))] : kept;
    const others = holders.filter((h) => !mine(h));
    return next.length ? [...others, { ...principal, folderId, roles: next }] : others;
}

export function sameHolder(a: Holder, b: Holder): boolean {
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
    return {
        id: user.id as string,
        ...(user.name ? { name: user.name } : {}),
        ...(user.email ? { email: user.email } : {}),
        ...(user.role ? { accountRole: user.role } : {}),
        ...(typeof user.all_sub_accounts === "boolean" ? { allProductEnvironments: user.all_sub_accounts } : {}),
    };
}

function folderOf(folder: Pick<WireFolder, "external_id" | "path"> & { ancestors?: WireFolder["ancestors"] }): Folder {
    return { id: folder.external_id as string, path: folder.path as string, ...(folder.ancestors ? { ancestorIds: folder.ancestors.map((a) => a.external_id) } : {}) };
}

function productEnvironmentOf(pe: WireProductEnvironment): ProductEnvironment {
    return { id: pe.id as string, cloudName: pe.cloud_name as string, ...(pe.name ? { name: pe.name } : {}) };
}

function folderRolesOf(a: FolderRoleAssignment): FolderRoles {
    return { principalType: a.type, principalId: a.id, folderId: a.folder_id, roles: a.roles.map((r) => ({ roleId: r.id, inherited: r.inherited === true })) };
}



// Provisioning API (/v1_1/provisioning/accounts/{account_id}/...): users, user groups and their members, and
// product environments (sub_accounts), per provisioning.yml.
import type { components } from "../../wire/provisioning";
import { nowIso, randomHex } from "../ids";
import type { GroupRecord, ProductEnvironmentRecord, UserRecord } from "../model";
import { numberedPage, positive } from "../paging";
import { conflict, missing, notFound } from "../problems";
import type { AccountReader, UserChanges } from "../store";
import type { RouteContext, RouteDef, RouteMaker, RouteResult } from "./types";

type S = components["schemas"];

const BASE = "/v1_1/provisioning/accounts/{account_id}";

// ---- views ---------------------------------------------------------------------------------------------------

/** The product environments a user can access: all of them when its list is null. */
function accessibleProductEnvironments(store: AccountReader, u: UserRecord): readonly ProductEnvironmentRecord[] {
    return u.subAccountIds === null ? store.productEnvironments() : u.subAccountIds.flatMap((id) => store.productEnvironment(id) ?? []);
}

function userData(store: AccountReader, u: UserRecord): S["User"] {
    return {
        id: u.id,
        name: u.name,
        role: u.role,
        email: u.email,
        pending: u.pending,
        enabled: u.enabled,
        created_at: u.createdAt,
        updated_at: u.updatedAt,
        ...(u.lastLogin ? { last_login: u.lastLogin } : {}),
        all_sub_accounts: u.subAccountIds === null,
        account_id: store.accountId,
        group_count: store.groupsOfUser(u.id).length,
        sub_account_count: accessibleProductEnvironments(store, u).length,
    };
}

const memberData = (u: UserRecord): S["UserGroupUser"] => ({ id: u.id, name: u.name, email: u.email });

function groupData(store: AccountReader, g: GroupRecord, extended: boolean): S["UserGroup"] {
    if (!extended) return { id: g.id, name: g.name };
    return { id: g.id, name: g.name, users: store.members(g.id).map(memberData), created_at: g.createdAt, updated_at: g.updatedAt };
}

function productEnvironmentData(pe: ProductEnvironmentRecord): S["ProductEnvironment"] {
    return {
        cloud_name: pe.cloudName,
        name: pe.name,
        enabled: pe.enabled,
        id: pe.id,
        api_access_keys: pe.apiKeys.map((k) => ({ key: k.key, secret: k.secret, enabled: k.enabled })),
        created_at: pe.createdAt,
        updated_at: pe.updatedAt,
    };
}

function requireUser(store: AccountReader, id: string): UserRecord {
    const u = store.user(id);
    if (!u) throw notFound("user", "user_id", id);
    return u;
}

function requireGroup(store: AccountReader, id: string): GroupRecord {
    const g = store.group(id);
    if (!g) throw notFound("group", "group_id", id);
    return g;
}

function requireProductEnvironment(store: AccountReader, id: string): ProductEnvironmentRecord {
    const pe = store.productEnvironment(id);
    if (!pe) throw notFound("productEnvironment", "sub_account_id", id);
    return pe;
}

function asArray(value: unknown): string[] | undefined {
    if (value === undefined) return undefined;
    const list = Array.isArray(value) ? value : [value];
    // Cloudinary also accepts comma-separated lists.
    return list.flatMap((v) => String(v).split(",")).map((v) => v.trim()).filter(Boolean);
}

// ---- users ---------------------------------------------------------------------------------------------------

/** The spec's filters; with ids or emails "other parameters are ignored" (the other filters: sort and paging still apply). */
function filterUsers(store: AccountReader, query: Record<string, unknown>): UserRecord[] {
    const users = [...store.users()];
    const ids = asArray(query.ids);
    const emails = asArray(query.emails)?.map((e) => e.toLowerCase());
    if (ids) return users.filter((u) => ids.includes(u.id));
    if (emails) return users.filter((u) => emails.includes(u.email.toLowerCase()));
    const filters: Array<(u: UserRecord) => boolean> = [];
    // "Whether to return pending users. Default: false (all users)": true keeps the pending ones only.
    if (query.pending === true) filters.push((u) => u.pending);
    if (typeof query.prefix === "string") {
        const prefix = query.prefix.toLowerCase();
        filters.push((u) => u.name.toLowerCase().startsWith(prefix));
    }
    if (typeof query.sub_account_id === "string") {
        const pe = requireProductEnvironment(store, query.sub_account_id);
        filters.push((u) => u.subAccountIds === null || u.subAccountIds.includes(pe.id));
    }
    if (query.last_login === true) {
        // Last logins in [from, to] (whole days); union_type=exclude keeps the others.
        const from = typeof query.from === "string" ? Date.parse(query.from) : -Infinity;
        const to = typeof query.to === "string" ? Date.parse(query.to) + 86_400_000 : Infinity;
        const inRange = (u: UserRecord) => u.lastLogin !== null && Date.parse(u.lastLogin) >= from && Date.parse(u.lastLogin) < to;
        filters.push((u) => (query.union_type === "exclude" ? !inRange(u) : inRange(u)));
    }
    return users.filter((u) => filters.every((f) => f(u)));
}

const SORT_KEYS: Record<string, (u: UserRecord) => string> = {
    name: (u) => u.name.toLowerCase(),
    role: (u) => u.role,
    status: (u) => String(u.enabled),
    activity: (u) => u.lastLogin ?? "",
    created_at: (u) => u.createdAt,
};

/** Sorted by sort_by (created_at when absent), sort_order desc unless asc (the spec's default); ties by id. */
function listUsers({ store, query, pageSize }: RouteContext): RouteResult {
    const keyOf = SORT_KEYS[(query.sort_by as string | undefined) ?? "created_at"];
    const dir = query.sort_order === "asc" ? 1 : -1;
    const users = filterUsers(store, query).sort((a, b) => dir * (keyOf(a).localeCompare(keyOf(b)) || a.id.localeCompare(b.id)));
    const page = numberedPage(users, positive("page", query.page) ?? 1, positive("page_size", query.page_size) ?? pageSize);
    return { status: 200, body: { users: page.map((u) => userData(store, u)) } };
}

/** The product environments a user may access: ignored for master_admin, who has them all (the spec). */
function subAccountsFor(store: AccountReader, role: string, ids: readonly string[] | null | undefined): readonly string[] | null | undefined {
    for (const id of ids ?? []) requireProductEnvironment(store, id);
    return role === "master_admin" ? null : ids;
}

function createUser({ store, body }: RouteContext): RouteResult {
    const b = body as S["UserRequest"];
    const name = b.name?.trim();
    const email = b.email?.trim();
    if (!name || !email) throw missing(...(!name ? ["name"] : []), ...(!email ? ["email"] : []));
    if (store.userByEmail(email)) throw conflict("user", "email", email);
    const role = b.role ?? "media_library_user";
    const now = nowIso();
    const user = store.createUser({
        id: randomHex(15),
        name,
        email,
        role,
        enabled: b.enabled ?? true,
        pending: true,
        createdAt: now,
        updatedAt: now,
        lastLogin: null,
        // "Default: all product environments."
        subAccountIds: subAccountsFor(store, role, b.sub_account_ids) ?? null,
    });
    return { status: 200, body: userData(store, user) };
}

function updateUser({ store, params, body }: RouteContext): RouteResult {
    const user = requireUser(store, params.user_id);
    const b = (body ?? {}) as S["UserRequest"];
    if (b.email !== undefined) {
        const other = store.userByEmail(b.email);
        if (other && other.id !== user.id) throw conflict("user", "email", b.email);
    }
    const role = b.role ?? user.role;
    const subAccountIds = subAccountsFor(store, role, b.sub_account_ids ?? user.subAccountIds);
    const changes: UserChanges = {
        ...(b.name !== undefined ? { name: b.name.trim() } : {}),
        ...(b.email !== undefined ? { email: b.email.trim() } : {}),
        ...(b.role !== undefined ? { role: b.role } : {}),
        ...(b.enabled !== undefined ? { enabled: b.enabled } : {}),
        subAccountIds: subAccountIds ?? null,
    };
    return { status: 200, body: userData(store, store.updateUser(user.id, changes)) };
}

// ---- groups ----------------------------------------------------------------------------------------------------

function groupName(store: AccountReader, body: unknown, exceptGroupId?: string): string {
    const name = ((body ?? {}) as S["UserGroupRequest"]).name?.trim();
    if (!name) throw missing("name");
    const other = store.groupByName(name);
    if (other && other.id !== exceptGroupId) throw conflict("group", "name", name);
    return name;
}

function createGroup({ store, body }: RouteContext): RouteResult {
    const now = nowIso();
    const group = store.createGroup({ id: randomHex(16), name: groupName(store, body), createdAt: now, updatedAt: now, userIds: [] });
    return { status: 200, body: groupData(store, group, (body as S["UserGroupRequest"]).extended_details === true) };
}

function updateGroup({ store, params, body }: RouteContext): RouteResult {
    const group = requireGroup(store, params.group_id);
    const name = groupName(store, body, group.id);
    const renamed = group.name === name ? group : store.renameGroup(group.id, name);
    return { status: 200, body: groupData(store, renamed, (body as S["UserGroupRequest"]).extended_details === true) };
}

function addMember({ store, params }: RouteContext): RouteResult {
    const group = requireGroup(store, params.group_id);
    const user = requireUser(store, params.user_id);
    // The spec lists 409 AlreadyExists for this operation: adding a member twice is a conflict.
    if (group.userIds.includes(user.id)) throw conflict("user", "user_id", user.id, { entity: "group", id: group.id });
    store.addMember(group.id, user.id);
    return { status: 200, body: memberData(user) };
}

function removeMember({ store, params }: RouteContext): RouteResult {
    const group = requireGroup(store, params.group_id);
    if (!group.userIds.includes(params.user_id)) throw notFound("user", "user_id", params.user_id, { entity: "group", id: group.id });
    store.removeMember(group.id, params.user_id);
    return { status: 200, body: { users: store.members(group.id).map(memberData) } };
}

// ---- product environments --------------------------------------------------------------------------------------

function listProductEnvironments({ store, query }: RouteContext): RouteResult {
    const ids = asArray(query.ids);
    const cloudNames = asArray(query.cloud_names);
    const prefix = typeof query.prefix === "string" ? query.prefix.toLowerCase() : undefined;
    // "ids: When provided, other parameters are ignored."
    const list = store
        .productEnvironments()
        .filter((pe) => (ids ? ids.includes(pe.id) : true))
        .filter((pe) => ids !== undefined || typeof query.enabled !== "boolean" || pe.enabled === query.enabled)
        .filter((pe) => ids !== undefined || !cloudNames || cloudNames.includes(pe.cloudName))
        .filter((pe) => ids !== undefined || !prefix || pe.name.toLowerCase().startsWith(prefix));
    return { status: 200, body: { sub_accounts: list.map(productEnvironmentData) } };
}

// ---- routes ----------------------------------------------------------------------------------------------------

const route: RouteMaker = (method, path, write, handler, options = {}) => ({ spec: "provisioning", family: "provisioning", method, specPath: `${BASE}${path}`, auth: "account", write, handler, ...options });

export function provisioningRoutes(): RouteDef[] {
    const ok = (body: unknown): RouteResult => ({ status: 200, body });
    return [
        route("GET", "/users", false, listUsers),
        route("POST", "/users", true, createUser),
        route("GET", "/users/{user_id}", false, ({ store, params }) => ok(userData(store, requireUser(store, params.user_id)))),
        route("PUT", "/users/{user_id}", true, updateUser),
        route("DELETE", "/users/{user_id}", true, ({ store, params }) => {
            store.deleteUser(requireUser(store, params.user_id).id);
            return ok({ message: "ok" });
        }),
        route("GET", "/users/{user_id}/groups", false, ({ store, params }) => ok({ groups: store.groupsOfUser(requireUser(store, params.user_id).id).map((g) => ({ id: g.id, name: g.name })) })),
        route("GET", "/users/{user_id}/sub_accounts", false, ({ store, params }) => {
            const pes = accessibleProductEnvironments(store, requireUser(store, params.user_id));
            return ok({ sub_accounts: pes.map((pe) => ({ id: pe.id, name: pe.name, cloud_name: pe.cloudName, enabled: pe.enabled })) });
        }),
        route("GET", "/user_groups", false, ({ store, query }) => {
            const groups = [...store.groups()].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
            return ok({ user_groups: groups.map((g) => groupData(store, g, query.extended_details === true)) });
        }),
        route("POST", "/user_groups", true, createGroup),
        route("GET", "/user_groups/{group_id}", false, ({ store, params, query }) => ok(groupData(store, requireGroup(store, params.group_id), query.extended_details === true))),
        route("PUT", "/user_groups/{group_id}", true, updateGroup),
        route("DELETE", "/user_groups/{group_id}", true, ({ store, params }) => {
            store.deleteGroup(requireGroup(store, params.group_id).id);
            return ok({ message: "ok" });
        }),
        route("GET", "/user_groups/{group_id}/users", false, ({ store, params }) => ok({ users: store.members(requireGroup(store, params.group_id).id).map(memberData) })),
        route("POST", "/user_groups/{group_id}/users/{user_id}", true, addMember),
        route("DELETE", "/user_groups/{group_id}/users/{user_id}", true, removeMember),
        route("GET", "/sub_accounts", false, listProductEnvironments),
        route("GET", "/sub_accounts/{sub_account_id}", false, ({ store, params }) => ok(productEnvironmentData(requireProductEnvironment(store, params.sub_account_id)))),
    ];
}

// Provisioning API (/v1_1/provisioning/accounts/{account_id}/...): users, user groups and their members, and
// product environments (sub_accounts), per provisioning.yml. Errors are `{ error: { message } }`.
import type { components } from "../../wire/provisioning";
import { provisioningErrors as E } from "../errors";
import type { GroupRecord, ProductEnvironmentRecord, UserRecord } from "../model";
import { Store, nowIso, randomHex } from "../state";
import type { RouteContext, RouteDef, RouteResult } from "./types";

type S = components["schemas"];

const BASE = "/v1_1/provisioning/accounts/{account_id}";

function userData(store: Store, u: UserRecord): S["User"] {
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
        sub_account_count: u.subAccountIds === null ? store.productEnvironments.size : u.subAccountIds.length,
    };
}

function memberData(u: UserRecord): S["UserGroupUser"] {
    return { id: u.id, name: u.name, email: u.email };
}

function groupData(store: Store, g: GroupRecord, extended: boolean): S["UserGroup"] {
    if (!extended) return { id: g.id, name: g.name };
    return { id: g.id, name: g.name, users: members(store, g).map(memberData), created_at: g.createdAt, updated_at: g.updatedAt };
}

function members(store: Store, g: GroupRecord): UserRecord[] {
    return g.userIds.map((id) => store.users.get(id)).filter((u): u is UserRecord => Boolean(u));
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

function requireUser(store: Store, id: string): UserRecord {
    const u = store.users.get(id);
    if (!u) throw E.notFound(`User ${id} not found`);
    return u;
}

function requireGroup(store: Store, id: string): GroupRecord {
    const g = store.groups.get(id);
    if (!g) throw E.notFound(`User group ${id} not found`);
    return g;
}

function asArray(value: unknown): string[] | undefined {
    if (value === undefined) return undefined;
    const list = Array.isArray(value) ? value : [value];
    // Cloudinary also accepts comma-separated lists.
    return list.flatMap((v) => String(v).split(",")).map((v) => v.trim()).filter(Boolean);
}

function listUsers({ store, query }: RouteContext): RouteResult {
    let users = [...store.users.values()];
    const ids = asArray(query.ids);
    const emails = asArray(query.emails)?.map((e) => e.toLowerCase());
    if (typeof query.pending === "boolean") users = users.filter((u) => u.pending === query.pending);
    if (ids) users = users.filter((u) => ids.includes(u.id));
    if (emails) users = users.filter((u) => emails.includes(u.email.toLowerCase()));
    if (typeof query.prefix === "string") {
        const prefix = query.prefix.toLowerCase();
        users = users.filter((u) => u.name.toLowerCase().startsWith(prefix) || u.email.toLowerCase().startsWith(prefix));
    }
    if (typeof query.sub_account_id === "string") {
        const pe = query.sub_account_id;
        users = users.filter((u) => u.subAccountIds === null || u.subAccountIds.includes(pe));
    }
    if (query.last_login === true) {
        // Users whose last login falls in [from, to]; union_type=exclude returns the others.
        const from = typeof query.from === "string" ? Date.parse(query.from) : -Infinity;
        const to = typeof query.to === "string" ? Date.parse(query.to) + 86_400_000 : Infinity;
        const inRange = (u: UserRecord) => u.lastLogin !== null && Date.parse(u.lastLogin) >= from && Date.parse(u.lastLogin) < to;
        users = users.filter((u) => (query.union_type === "exclude" ? !inRange(u) : inRange(u)));
    }
    const sortBy = (query.sort_by as string | undefined) ?? "created_at";
    const dir = query.sort_order === "desc" ? -1 : 1;
    const keyOf = (u: UserRecord): string =>
        sortBy === "name" ? u.name.toLowerCase() : sortBy === "role" ? u.role : sortBy === "status" ? String(u.enabled) : sortBy === "activity" ? (u.lastLogin ?? "") : `${u.createdAt}|${u.id}`;
    users.sort((a, b) => dir * keyOf(a).localeCompare(keyOf(b)) || a.id.localeCompare(b.id));
    const pageSize = typeof query.page_size === "number" && query.page_size > 0 ? query.page_size : users.length || 1;
    const page = typeof query.page === "number" && query.page > 0 ? query.page : 1;
    users = users.slice((page - 1) * pageSize, page * pageSize);
    return { status: 200, body: { users: users.map((u) => userData(store, u)) } };
}

function checkSubAccounts(store: Store, ids: string[] | undefined): void {
    for (const id of ids ?? []) if (!store.productEnvironments.has(id)) throw E.notFound(`Product environment ${id} not found`);
}

function createUser({ store, body }: RouteContext): RouteResult {
    const b = body as S["UserRequest"];
    if (!b.name?.trim() || !b.email?.trim()) throw E.invalid("Missing required parameter - name, email");
    if (store.userByEmail(b.email)) throw E.conflict(`User with email ${b.email} already exists`);
    checkSubAccounts(store, b.sub_account_ids);
    const now = nowIso();
    const user: UserRecord = {
        id: randomHex(15),
        name: b.name.trim(),
        email: b.email.trim(),
        role: b.role ?? "media_library_user",
        enabled: b.enabled ?? true,
        pending: true,
        createdAt: now,
        updatedAt: now,
        lastLogin: null,
        subAccountIds: b.role === "master_admin" || !b.sub_account_ids ? null : b.sub_account_ids,
    };
    store.createUser(user);
    return { status: 200, body: userData(store, user) };
}

function updateUser({ store, params, body }: RouteContext): RouteResult {
    const user = requireUser(store, params.user_id);
    const b = (body ?? {}) as S["UserRequest"];
    if (b.email !== undefined) {
        const other = store.userByEmail(b.email);
        if (other && other.id !== user.id) throw E.conflict(`User with email ${b.email} already exists`);
    }
    checkSubAccounts(store, b.sub_account_ids);
    const changes: Partial<UserRecord> = {};
    if (b.name !== undefined) changes.name = b.name.trim();
    if (b.email !== undefined) changes.email = b.email.trim();
    if (b.role !== undefined) changes.role = b.role;
    if (b.enabled !== undefined) changes.enabled = b.enabled;
    if (b.sub_account_ids !== undefined) changes.subAccountIds = b.sub_account_ids;
    if ((b.role ?? user.role) === "master_admin") changes.subAccountIds = null;
    store.updateUser(user, changes);
    return { status: 200, body: userData(store, user) };
}

function createGroup({ store, body }: RouteContext): RouteResult {
    const b = (body ?? {}) as S["UserGroupRequest"];
    const name = b.name?.trim();
    if (!name) throw E.invalid("Missing required parameter - name");
    if (store.groupByName(name)) throw E.conflict(`User group ${name} already exists`);
    const now = nowIso();
    const group: GroupRecord = { id: randomHex(16), name, createdAt: now, updatedAt: now, userIds: [] };
    store.createGroup(group);
    return { status: 200, body: groupData(store, group, b.extended_details === true) };
}

function updateGroup({ store, params, body }: RouteContext): RouteResult {
    const group = requireGroup(store, params.group_id);
    const b = (body ?? {}) as S["UserGroupRequest"];
    const name = b.name?.trim();
    if (!name) throw E.invalid("Missing required parameter - name");
    const other = store.groupByName(name);
    if (other && other.id !== group.id) throw E.conflict(`User group ${name} already exists`);
    if (group.name !== name) store.renameGroup(group, name);
    return { status: 200, body: groupData(store, group, b.extended_details === true) };
}

export function provisioningRoutes(): RouteDef[] {
    const route = (method: RouteDef["method"], path: string, write: boolean, handler: RouteDef["handler"]): RouteDef => ({
        spec: "provisioning",
        family: "provisioning",
        method,
        specPath: `${BASE}${path}`,
        auth: "account",
        write,
        handler,
    });
    const ok = (body: unknown): RouteResult => ({ status: 200, body });
    return [
        route("GET", "/users", false, listUsers),
        route("POST", "/users", true, createUser),
        route("GET", "/users/{user_id}", false, ({ store, params }) => ok(userData(store, requireUser(store, params.user_id)))),
        route("PUT", "/users/{user_id}", true, updateUser),
        route("DELETE", "/users/{user_id}", true, ({ store, params }) => {
            store.deleteUser(requireUser(store, params.user_id));
            return ok({ message: "ok" });
        }),
        route("GET", "/users/{user_id}/groups", false, ({ store, params }) => {
            requireUser(store, params.user_id);
            return ok({ groups: store.groupsOfUser(params.user_id).map((g) => ({ id: g.id, name: g.name })) });
        }),
        route("GET", "/users/{user_id}/sub_accounts", false, ({ store, params }) => {
            const user = requireUser(store, params.user_id);
            const pes = user.subAccountIds === null ? [...store.productEnvironments.values()] : user.subAccountIds.map((id) => store.productEnvironments.get(id)!).filter(Boolean);
            return ok({ sub_accounts: pes.map((pe) => ({ id: pe.id, name: pe.name, cloud_name: pe.cloudName, enabled: pe.enabled })) });
        }),

        route("GET", "/user_groups", false, ({ store, query }) =>
            ok({ user_groups: [...store.groups.values()].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id)).map((g) => groupData(store, g, query.extended_details === true)) }),
        ),
        route("POST", "/user_groups", true, createGroup),
        route("GET", "/user_groups/{group_id}", false, ({ store, params, query }) => ok(groupData(store, requireGroup(store, params.group_id), query.extended_details === true))),
        route("PUT", "/user_groups/{group_id}", true, updateGroup),
        route("DELETE", "/user_groups/{group_id}", true, ({ store, params }) => {
            store.deleteGroup(requireGroup(store, params.group_id));
            return ok({ message: "ok" });
        }),
        route("GET", "/user_groups/{group_id}/users", false, ({ store, params }) => ok({ users: members(store, requireGroup(store, params.group_id)).map(memberData) })),
        route("POST", "/user_groups/{group_id}/users/{user_id}", true, ({ store, params }) => {
            const group = requireGroup(store, params.group_id);
            const user = requireUser(store, params.user_id);
            // The spec lists 409 AlreadyExists for this operation: adding a member twice is a conflict.
            if (group.userIds.includes(user.id)) throw E.conflict(`User ${user.id} is already a member of user group ${group.id}`);
            store.addGroupMember(group, user.id);
            return ok(memberData(user));
        }),
        route("DELETE", "/user_groups/{group_id}/users/{user_id}", true, ({ store, params }) => {
            const group = requireGroup(store, params.group_id);
            if (!group.userIds.includes(params.user_id)) throw E.notFound(`User ${params.user_id} is not a member of user group ${group.id}`);
            store.removeGroupMember(group, params.user_id);
            return ok({ users: members(store, group).map(memberData) });
        }),

        route("GET", "/sub_accounts", false, ({ store, query }) => {
            const ids = asArray(query.ids);
            const cloudNames = asArray(query.cloud_names);
            const prefix = typeof query.prefix === "string" ? query.prefix.toLowerCase() : undefined;
            const list = [...store.productEnvironments.values()]
                .filter((pe) => typeof query.enabled !== "boolean" || pe.enabled === query.enabled)
                .filter((pe) => !ids || ids.includes(pe.id))
                .filter((pe) => !cloudNames || cloudNames.includes(pe.cloudName))
                .filter((pe) => !prefix || pe.name.toLowerCase().startsWith(prefix) || pe.cloudName.toLowerCase().startsWith(prefix));
            return ok({ sub_accounts: list.map(productEnvironmentData) });
        }),
        route("GET", "/sub_accounts/{sub_account_id}", false, ({ store, params }) => {
            const pe = store.productEnvironments.get(params.sub_account_id);
            if (!pe) throw E.notFound(`Product environment ${params.sub_account_id} not found`);
            return ok(productEnvironmentData(pe));
        }),
    ];
}

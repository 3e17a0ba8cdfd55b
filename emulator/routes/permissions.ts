// Permissions API (/v2/accounts/{account_id}/permissions/...) and its public endpoints, per permissions.yml:
// roles, grants (both assignment endpoints), inspect and the route table. Policies are in policies.ts.
import type { components } from "../../wire/permissions";
import { Holding, inspect } from "../access";
import { checkGrant, GrantRequest } from "../grants";
import { nowEpoch, randomHex } from "../ids";
import type { AssignmentRecord, CustomRoleRecord, PrincipalRef, PrincipalType, RoleView, ScopeType } from "../model";
import { cursorPage } from "../paging";
import { conflict, forbidden, invalid, missing, notFound, stillHeld } from "../problems";
import type { AccountReader, Store } from "../store";
import { policyData, policyRoutes, principalOf } from "./policies";
import type { RouteContext, RouteDef, RouteMaker, RouteResult } from "./types";

type S = components["schemas"];
type GrantData = S["PrincipalRolesData"];

const BASE = "/v2/accounts/{account_id}/permissions";

// ---- views ---------------------------------------------------------------------------------------------------

function roleData(r: RoleView): S["RoleResponseData"] {
    return {
        id: r.id,
        name: r.name,
        description: r.description,
        management_type: r.managementType,
        permission_type: r.permissionType,
        ...(r.policyParameters.length ? { policy_parameters: [...r.policyParameters] } : {}),
        scope_type: r.scopeType,
        created_at: r.createdAt,
        updated_at: r.updatedAt,
    };
}

function roleWithPolicies(store: AccountReader, r: RoleView, instance: Record<string, string> = {}): S["RoleResponse"] {
    const policies = r.systemPolicyIds.flatMap((id) => store.systemPolicy(id) ?? []);
    return { data: { policies: policies.map((p) => policyData(p, instance)), ...roleData(r) } };
}

function grantData(role: RoleView, a: AssignmentRecord): GrantData {
    return {
        id: role.id,
        name: role.name,
        description: role.description,
        management_type: role.managementType,
        permission_type: role.permissionType,
        scope_type: role.scopeType,
        ...(a.scopeId !== null ? { scope_id: a.scopeId } : {}),
        ...(a.policyParameters ? { policy_parameters: { ...a.policyParameters } as GrantData["policy_parameters"] } : {}),
        created_at: a.createdAt,
        updated_at: a.updatedAt,
    };
}

const holdingData = (store: AccountReader, h: Holding): S["PrincipalRolesInspectData"] => ({
    type: h.principal.type,
    id: h.principal.id,
    roles: h.grants.map((a) => grantData(store.role(a.roleId)!, a)),
});

// ---- query filters -------------------------------------------------------------------------------------------

/** folder_id / asset_id / collection_id / param_key+param_value: the content instances a grant must be on. */
export function contentFilter(query: Record<string, unknown>): Record<string, string> {
    const filter: Record<string, string> = {};
    for (const key of ["folder_id", "asset_id", "collection_id"]) if (typeof query[key] === "string") filter[key] = query[key] as string;
    const keys = (query.param_key as string[] | undefined) ?? [];
    const values = (query.param_value as string[] | undefined) ?? [];
    if (keys.length !== values.length) throw invalid("param_value", values, "one value per param_key");
    keys.forEach((k, i) => (filter[k] = values[i]));
    return filter;
}

/** `all` matches any grant on that kind of instance (folder_id=all: every folder grant). */
function onInstances(a: AssignmentRecord, filter: Record<string, string>): boolean {
    return Object.entries(filter).every(([key, value]) => {
        const actual = (a.policyParameters as Record<string, string> | null)?.[key];
        return actual !== undefined && (value === "all" || actual === value);
    });
}

function requireRole(store: AccountReader, roleId: string): RoleView {
    const role = store.role(roleId);
    if (!role) throw notFound("role", "role_id", roleId);
    return role;
}

// ---- custom roles ----------------------------------------------------------------------------------------------

type RolePolicies = Pick<CustomRoleRecord, "systemPolicyIds" | "policyParameters">;

/** The policies of a custom role must exist and fit its scope and permission type; folder roles only, no collection roles. */
function rolePolicies(store: AccountReader, ids: unknown, permissionType: string, scopeType: string): RolePolicies {
    if (!Array.isArray(ids) || ids.length === 0) throw missing("system_policy_ids");
    const unique = [...new Set(ids as string[])];
    const keys = new Set<string>();
    for (const id of unique) {
        const p = store.systemPolicy(id);
        if (!p || p.permission_type !== permissionType || p.scope_type !== scopeType) throw invalid("system_policy_ids", id, `no ${permissionType} ${scopeType} policy has this id`);
        // Custom roles can be global or folder roles (docs: "You can create custom roles that apply globally and to folders").
        if (p.policy_parameters.includes("collection_id")) throw invalid("system_policy_ids", id, "custom collection roles are not offered");
        for (const k of p.policy_parameters) keys.add(k);
    }
    return { systemPolicyIds: unique, policyParameters: [...keys] };
}

const ROLE_ID = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,199}$/;

function slug(name: string): string {
    return name.toLowerCase().replace(/[^a-z0-9]+/g, "_").replace(/^_+|_+$/g, "").slice(0, 60) || "role";
}

function createRole({ store, body }: RouteContext): RouteResult {
    const b = body as S["CreateRole"];
    if (b.permission_type !== "global" && b.permission_type !== "content") throw invalid("permission_type", b.permission_type);
    if (b.permission_type === "content" && b.scope_type !== "prodenv") throw invalid("scope_type", b.scope_type, "content roles are prodenv roles");
    const name = b.name.trim();
    if (!name) throw missing("name");
    if (b.id !== undefined) {
        if (store.role(b.id)) throw conflict("role", "id", b.id);
        // The cld:: prefix is Cloudinary's (system roles).
        if (!ROLE_ID.test(b.id) || b.id.startsWith("cld::")) throw invalid("id", b.id);
    }
    const policies = rolePolicies(store, b.system_policy_ids, b.permission_type, b.scope_type);
    if (store.roleNameTaken(name)) throw conflict("role", "name", b.name);
    let id = b.id;
    while (!id || store.role(id)) id = `${slug(name)}_${randomHex(4)}`;
    const now = nowEpoch();
    store.createRole({ id, name, description: b.description ?? null, permissionType: b.permission_type, scopeType: b.scope_type, ...policies, createdAt: now, updatedAt: now });
    return { status: 201, body: roleWithPolicies(store, store.role(id)!) };
}

function customRoleFor(store: AccountReader, roleId: string): CustomRoleRecord {
    const role = requireRole(store, roleId);
    // System roles are Cloudinary's and read-only.
    if (role.managementType === "system") throw forbidden("system roles are read-only");
    return store.customRole(roleId)!;
}

function updateRole({ store, params, body }: RouteContext): RouteResult {
    const role = customRoleFor(store, params.role_id);
    const b = body as S["UpdateRole"] & Record<string, unknown>;
    // id, permission_type and scope_type are immutable: sending them with another value is an error.
    const immutable: Array<[string, unknown]> = [["id", role.id], ["permission_type", role.permissionType], ["scope_type", role.scopeType]];
    for (const [field, current] of immutable) if (b[field] !== undefined && b[field] !== current) throw invalid(field, b[field], "cannot change");
    const name = b.name.trim();
    if (!name) throw missing("name");
    const policies = b.system_policy_ids === undefined ? {} : rolePolicies(store, b.system_policy_ids, role.permissionType, role.scopeType);
    if (store.roleNameTaken(name, role.id)) throw conflict("role", "name", b.name);
    store.updateRole(role.id, { name, ...policies, ...(b.description !== undefined ? { description: b.description } : {}) });
    return { status: 200, body: roleWithPolicies(store, store.role(role.id)!) };
}

function deleteRole({ store, params, query }: RouteContext): RouteResult {
    const role = customRoleFor(store, params.role_id);
    const holders = store.grants({ roleId: role.id }).length;
    if (holders > 0 && query.force !== true) throw stillHeld(role.id, holders);
    store.deleteRole(role.id);
    return { status: 204 };
}

function listRoles({ store, query }: RouteContext): RouteResult {
    const wanted = (query.policy_parameters as string[] | undefined) ?? [];
    const data = store
        .roles()
        .filter((r) => r.permissionType === query.permission_type)
        .filter((r) => !query.scope_type || r.scopeType === query.scope_type)
        .filter((r) => !query.management_type || r.managementType === query.management_type)
        .filter((r) => wanted.every((k) => r.policyParameters.includes(k)))
        .map(roleData);
    return { status: 200, body: { data } };
}

// ---- grants ----------------------------------------------------------------------------------------------------

function operationOf(operation: unknown): "add" | "remove" {
    if (operation === undefined) throw missing("operation");
    if (operation !== "add" && operation !== "remove") throw invalid("operation", operation, "add or remove");
    return operation;
}

/** Checks every change first, then applies them all: a request is applied whole or not at all. */
function applyGrants(store: Store, operation: "add" | "remove", requests: GrantRequest[]): RouteResult {
    const grants = requests.map((req) => checkGrant(store, req, operation === "remove"));
    if (operation === "add") store.addGrants(grants);
    else store.removeGrants(grants);
    return { status: 200 };
}

function updateRolePrincipals({ store, params, body }: RouteContext): RouteResult {
    const role = requireRole(store, params.role_id);
    const b = (body ?? {}) as S["UpdateRolePrincipalsRequest"];
    const operation = operationOf(b.operation);
    if (!b.principals || b.principals.length === 0) throw missing("principals");
    const requests = b.principals.map((p) => ({ roleId: role.id, principalType: p.principal_type, principalId: p.principal_id, scopeId: p.scope_id, policyParameters: p.policy_parameters as Record<string, unknown> | undefined }));
    return applyGrants(store, operation, requests);
}

function updatePrincipalRoles({ store, body }: RouteContext): RouteResult {
    const b = (body ?? {}) as S["UpdatePrincipalRolesRequest"];
    const operation = operationOf(b.operation);
    const principal = b.principal;
    if (!principal) throw missing("principal");
    if (!b.roles || b.roles.length === 0) throw missing("roles");
    if (!store.principalExists(principal)) throw notFound("principal", "principal_id", principal.id);
    const requests = b.roles.map((r) => ({ roleId: r.id, principalType: principal.type, principalId: principal.id, scopeId: r.scope_id, policyParameters: r.policy_parameters as Record<string, unknown> | undefined }));
    return applyGrants(store, operation, requests);
}

function getRolePrincipals({ store, params, query }: RouteContext): RouteResult {
    const role = requireRole(store, params.role_id);
    const filter = contentFilter(query);
    const grants = store
        .grants({ roleId: role.id })
        .filter((a) => onInstances(a, filter))
        .filter((a) => !query.scope_type || a.scopeType === query.scope_type)
        .filter((a) => typeof query.scope_id !== "string" || a.scopeId === query.scope_id)
        .sort((a, b) => a.createdAt - b.createdAt || a.principalId.localeCompare(b.principalId));
    if (query.verbose !== true) {
        // Without verbose only id and type are returned, once per principal.
        const seen = new Map(grants.map((a) => [`${a.principalType}|${a.principalId}`, { id: a.principalId, type: a.principalType }]));
        return { status: 200, body: { data: [...seen.values()] } };
    }
    const data: S["PrincipalResponseData"][] = grants.map((a) => ({
        id: a.principalId,
        type: a.principalType,
        role_id: a.roleId,
        ...(a.policyParameters ? { policy_parameters: { ...a.policyParameters } as S["PrincipalResponseData"]["policy_parameters"] } : {}),
        scope_type: a.scopeType,
        scope_id: a.scopeId,
        created_at: a.createdAt,
        updated_at: a.updatedAt,
    }));
    return { status: 200, body: { data } };
}

/** The principal's own grants (not those it gets through groups). */
function getPrincipalRoles({ store, query }: RouteContext): RouteResult {
    const principal: PrincipalRef = { type: query.principal_type as PrincipalType, id: query.principal_id as string };
    if (!store.principalExists(principal)) throw notFound("principal", "principal_id", principal.id);
    if (query.scope_type === "prodenv" && typeof query.scope_id === "string" && query.scope_id !== "all" && !store.productEnvironment(query.scope_id)) throw notFound("scope", "scope_id", query.scope_id);
    const filter = contentFilter(query);
    const data = store
        .grants({ principal })
        .map((a) => ({ a, role: store.role(a.roleId) }))
        .filter(({ a, role }) => role !== undefined && role.permissionType === query.permission_type && (!query.management_type || role.managementType === query.management_type))
        .filter(({ a }) => (!query.scope_type || a.scopeType === query.scope_type) && (typeof query.scope_id !== "string" || a.scopeId === query.scope_id) && onInstances(a, filter))
        .map(({ a, role }) => grantData(role!, a))
        .sort((x, y) => x.created_at - y.created_at || x.id.localeCompare(y.id));
    return { status: 200, body: { data } };
}

// ---- inspect ---------------------------------------------------------------------------------------------------

/** One page of inspect, GET or POST: a page holds `pageSize` principals (all when unset); next_cursor when more. */
function inspectPage(ctx: RouteContext, q: Parameters<typeof inspect>[1], cursor: string | undefined): RouteResult {
    const page = cursorPage(inspect(ctx.store, q), cursor, ctx.pageSize);
    const principals = page.items.map((h) => holdingData(ctx.store, h));
    return { status: 200, body: { data: { principals }, ...(page.nextCursor ? { next_cursor: page.nextCursor } : {}) } };
}

function inspectGet(ctx: RouteContext): RouteResult {
    const { query } = ctx;
    const principal = principalOf(query);
    const q = { scopeType: query.scope_type as ScopeType, scopeId: query.scope_id as string | undefined, principals: principal ? [principal] : undefined, content: contentFilter(query) };
    return inspectPage(ctx, q, query.cursor as string | undefined);
}

function inspectPost(ctx: RouteContext): RouteResult {
    const b = ctx.body as S["InspectRequest"];
    const content: Record<string, string> = {};
    for (const [k, v] of Object.entries(b.policy_parameters ?? {})) {
        if (typeof v !== "string") throw invalid("policy_parameters", b.policy_parameters, "values are instance ids");
        content[k] = v;
    }
    return inspectPage(ctx, { scopeType: b.scope_type, scopeId: b.scope_id, principals: b.principals, content }, b.cursor);
}

// ---- routes --------------------------------------------------------------------------------------------------------

const route: RouteMaker = (method, specPath, write, handler, options = {}) => ({ spec: "permissions", family: "permissions", method, specPath, auth: "account", write, handler, ...options });

export function permissionsRoutes(): RouteDef[] {
    const ok = (body: unknown): RouteResult => ({ status: 200, body });
    return [
        ...policyRoutes(route, BASE),
        route("GET", `${BASE}/roles`, false, listRoles),
        route("POST", `${BASE}/roles`, true, createRole),
        route("GET", `${BASE}/roles/{role_id}`, false, ({ store, params, query }) => ok(roleWithPolicies(store, requireRole(store, params.role_id), contentFilter(query)))),
        route("PUT", `${BASE}/roles/{role_id}`, true, updateRole),
        route("DELETE", `${BASE}/roles/{role_id}`, true, deleteRole),
        route("GET", `${BASE}/roles/{role_id}/principals`, false, getRolePrincipals),
        route("PUT", `${BASE}/roles/{role_id}/principals`, true, updateRolePrincipals),
        route("GET", `${BASE}/principal_roles`, false, getPrincipalRoles),
        route("PUT", `${BASE}/principal_roles`, true, updatePrincipalRoles),
        route("GET", `${BASE}/principal_roles/inspect`, false, inspectGet),
        route("POST", `${BASE}/principal_roles/inspect`, false, inspectPost),
    ];
}

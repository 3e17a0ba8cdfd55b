// Permissions API (/v2/accounts/{account_id}/permissions/...) and its public endpoints, per permissions.yml.
import type { components } from "../../wire/permissions";
import { permissionsErrors as E } from "../errors";
import { appliesToPrincipal, CedarSchema, cedarPrincipalType, cedarProblems, describeProblem, isInvalidPrincipal, principalScopes } from "../../provider/validation/cedar";
import { CEDAR_SCHEMA } from "../cedarSchema";
import { SYSTEM_EPOCH } from "../seed";
import type { AssignmentRecord, CustomPolicyRecord, CustomRoleRecord, PrincipalType, RoleView, SystemPolicy } from "../model";
import { Store, nowEpoch, randomHex } from "../state";
import type { RouteContext, RouteDef, RouteResult } from "./types";

type S = components["schemas"];
type RoleData = S["RoleResponseData"];
type PolicyData = S["SystemPolicyResponseData"];
type PrincipalRolesData = S["PrincipalRolesData"];

const BASE = "/v2/accounts/{account_id}/permissions";
const PUBLIC = "/v2/accounts/permissions/public";
/** Principals per page of the inspect endpoints (the spec paginates them with next_cursor). */
const INSPECT_PAGE_SIZE = 100;

// ---- Cedar ---------------------------------------------------------------------------------------------------

/**
 * The Cedar messages of a statement, checked by the Cedar engine against the schema the emulator serves (strict
 * mode). An unknown principal type is "invalid_principal", as in the spec's CedarErrorExample; other problems
 * give the engine's message with its line and column inside the statement.
 */
export function cedarMessages(statement: string): string[] {
    const messages = cedarProblems(statement, CEDAR_SCHEMA as CedarSchema).map((p) => (isInvalidPrincipal(statement, p) ? "invalid_principal" : describeProblem(p)));
    return [...new Set(messages)];
}

// ---- views ---------------------------------------------------------------------------------------------------

function substitute(statement: string, values: Record<string, string>): string {
    return statement.replace(/<(folder_id|collection_id)>/g, (whole, key: string) => values[key] ?? whole);
}

function policyData(p: SystemPolicy, values: Record<string, string> = {}): PolicyData {
    return {
        id: p.id,
        name: p.name,
        description: p.description,
        scope_type: p.scope_type,
        permission_type: p.permission_type,
        policy_statement: substitute(p.policy_statement, values),
        ...(p.policy_parameters.length ? { policy_parameters: p.policy_parameters } : {}),
        ...(p.category ? { category: p.category } : {}),
        ...(p.sub_category ? { sub_category: p.sub_category } : {}),
        created_at: SYSTEM_EPOCH - 1,
        updated_at: SYSTEM_EPOCH - 1,
    };
}

function roleData(r: RoleView): RoleData {
    return {
        id: r.id,
        name: r.name,
        description: r.description,
        management_type: r.managementType,
        permission_type: r.permissionType,
        ...(r.policyParameters.length ? { policy_parameters: r.policyParameters } : {}),
        scope_type: r.scopeType,
        created_at: r.createdAt,
        updated_at: r.updatedAt,
    };
}

function roleWithPolicies(store: Store, r: RoleView, values: Record<string, string> = {}): S["RoleResponse"] {
    const policies = r.systemPolicyIds.map((id) => store.systemPolicies.get(id)).filter((p): p is SystemPolicy => Boolean(p));
    return { data: { policies: policies.map((p) => policyData(p, values)), ...roleData(r) } };
}

function principalRoleData(role: RoleView, a: AssignmentRecord): PrincipalRolesData {
    return {
        id: role.id,
        name: role.name,
        description: role.description,
        management_type: role.managementType,
        permission_type: role.permissionType,
        scope_type: role.scopeType,
        ...(a.scopeId !== null ? { scope_id: a.scopeId } : {}),
        ...(a.policyParameters ? { policy_parameters: a.policyParameters as PrincipalRolesData["policy_parameters"] } : {}),
        created_at: a.createdAt,
        updated_at: a.updatedAt,
    };
}

function customPolicyData(p: CustomPolicyRecord): S["CustomPolicyResponseData"] {
    return {
        id: p.id,
        policy_statement: p.policyStatement,
        description: p.description,
        scope_type: p.scopeType,
        ...(p.scopeType === "prodenv" ? { scope_id: p.scopeId } : {}),
        name: p.name,
        enabled: p.enabled,
        created_at: p.createdAt,
        updated_at: p.updatedAt,
    };
}

// ---- filters -------------------------------------------------------------------------------------------------

/** folder_id / collection_id / param_key+param_value query filters, as { key: value } pairs an assignment must match. */
function contentFilter(query: Record<string, unknown>): Record<string, string> {
    const filter: Record<string, string> = {};
    if (typeof query.folder_id === "string") filter.folder_id = query.folder_id;
    if (typeof query.collection_id === "string") filter.collection_id = query.collection_id;
    const keys = (query.param_key as string[] | undefined) ?? [];
    const values = (query.param_value as string[] | undefined) ?? [];
    if (keys.length !== values.length) throw E.invalid([{ param_value: values }]);
    keys.forEach((k, i) => (filter[k] = values[i]));
    return filter;
}

/** `all` matches any assignment that has the key (for example folder_id=all: every folder-role assignment). */
function matchesContent(a: AssignmentRecord, filter: Record<string, string>): boolean {
    for (const [key, value] of Object.entries(filter)) {
        const actual = (a.policyParameters as Record<string, string> | null)?.[key];
        if (actual === undefined || (value !== "all" && actual !== value)) return false;
    }
    return true;
}

function requireScope(store: Store, scopeId: unknown, allowAll: boolean): void {
    if (typeof scopeId !== "string") return;
    if (allowAll && scopeId === "all") return;
    if (!store.productEnvironments.has(scopeId)) throw E.notFound("scope_id", scopeId);
}

function requirePrincipal(store: Store, type: string, id: string): void {
    if (!store.principalExists(type, id)) throw E.notFound("principal_id", id);
}

function requireRole(store: Store, roleId: string): RoleView {
    const role = store.role(roleId);
    if (!role) throw E.notFound("role_id", roleId);
    return role;
}

// ---- custom roles ----------------------------------------------------------------------------------------------

type PolicyCheck = { systemPolicyIds: string[]; policyParameters: string[] };

/** The policies of a custom role must exist and fit its scope and permission type; folder roles only, no collection roles. */
function checkRolePolicies(store: Store, ids: unknown, permissionType: string, scopeType: string): PolicyCheck {
    if (!Array.isArray(ids) || ids.length === 0) throw E.missingFields(["system_policy_ids"]);
    const unique = [...new Set(ids as string[])];
    const keys = new Set<string>();
    for (const id of unique) {
        const p = store.systemPolicies.get(id);
        if (!p || p.permission_type !== permissionType || p.scope_type !== scopeType) throw E.invalid([{ system_policy_ids: id }]);
        for (const k of p.policy_parameters) keys.add(k);
        // Custom roles can be global or folder roles (docs: "You can create custom roles that apply globally and to folders").
        if (p.policy_parameters.includes("collection_id")) throw E.invalid([{ system_policy_ids: id }]);
    }
    return { systemPolicyIds: unique, policyParameters: [...keys] };
}

const ROLE_ID = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,199}$/;

function slug(name: string): string {
    return name.toLowerCase().replace(/[^a-z0-9]+/g, "_").replace(/^_+|_+$/g, "").slice(0, 60) || "role";
}

function createRole(ctx: RouteContext): RouteResult {
    const { store } = ctx;
    const body = ctx.body as S["CreateRole"] & Record<string, unknown>;
    if (body.permission_type !== "global" && body.permission_type !== "content") throw E.invalid([{ permission_type: body.permission_type }]);
    if (body.permission_type === "content" && body.scope_type !== "prodenv") throw E.invalid([{ scope_type: body.scope_type }]);
    const name = body.name.trim();
    if (!name) throw E.missingFields(["name"]);
    if (body.id !== undefined) {
        if (store.role(body.id)) throw E.alreadyExists("id", body.id);
        // The cld:: prefix is Cloudinary's (system roles).
        if (!ROLE_ID.test(body.id) || body.id.startsWith("cld::")) throw E.invalid([{ id: body.id }]);
    }
    const policies = checkRolePolicies(store, body.system_policy_ids, body.permission_type, body.scope_type);
    if (store.roleNameTaken(name)) throw E.alreadyExists("name", body.name);
    let id = body.id;
    while (!id || store.role(id)) id = `${slug(name)}_${randomHex(4)}`;
    const now = nowEpoch();
    const role: CustomRoleRecord = {
        id,
        name,
        description: body.description ?? null,
        permissionType: body.permission_type,
        scopeType: body.scope_type,
        ...policies,
        createdAt: now,
        updatedAt: now,
    };
    store.createRole(role);
    return { status: 201, body: roleWithPolicies(store, store.role(id)!) };
}

function customRoleFor(store: Store, roleId: string): CustomRoleRecord {
    const role = requireRole(store, roleId);
    // System roles are Cloudinary's and read-only.
    if (role.managementType === "system") throw E.forbidden();
    return store.customRoles.get(roleId)!;
}

function updateRole(ctx: RouteContext): RouteResult {
    const { store } = ctx;
    const role = customRoleFor(store, ctx.params.role_id);
    const body = ctx.body as S["UpdateRole"] & Record<string, unknown>;
    // id, permission_type and scope_type are immutable: sending them with another value is an error.
    const immutable: Array<[string, unknown]> = [["id", role.id], ["permission_type", role.permissionType], ["scope_type", role.scopeType]];
    for (const [field, current] of immutable) {
        if (body[field] !== undefined && body[field] !== current) throw E.invalid([{ [field]: body[field] }]);
    }
    const name = body.name.trim();
    if (!name) throw E.missingFields(["name"]);
    const changes: Partial<CustomRoleRecord> = { name };
    if (body.system_policy_ids !== undefined) Object.assign(changes, checkRolePolicies(store, body.system_policy_ids, role.permissionType, role.scopeType));
    if (store.roleNameTaken(name, role.id)) throw E.alreadyExists("name", body.name);
    if (body.description !== undefined) changes.description = body.description;
    store.updateRole(role, changes);
    return { status: 200, body: roleWithPolicies(store, store.role(role.id)!) };
}

function deleteRole(ctx: RouteContext): RouteResult {
    const { store } = ctx;
    const role = customRoleFor(store, ctx.params.role_id);
    const holders = store.assignmentsOfRole(role.id).length;
    if (holders > 0 && ctx.query.force !== true) throw E.roleHasPrincipals(role.id, holders);
    store.deleteRole(role);
    return { status: 204 };
}

// ---- assignments -------------------------------------------------------------------------------------------------

function requireOperation(operation: unknown): "add" | "remove" {
    if (operation === undefined) throw E.missingFields(["operation"]);
    if (operation !== "add" && operation !== "remove") throw E.invalid([{ operation }]);
    return operation;
}

/** Checks every change first, then applies them all: a request is applied whole or not at all. */
function applyAssignments(store: Store, operation: "add" | "remove", list: Array<Parameters<Store["checkAssignment"]>[0]>): RouteResult {
    const checked = list.map((req) => store.checkAssignment(req, operation === "remove"));
    if (operation === "add") store.addAssignments(checked);
    else store.removeAssignments(checked);
    return { status: 200 };
}

function updateRolePrincipals(ctx: RouteContext): RouteResult {
    const { store } = ctx;
    const role = requireRole(store, ctx.params.role_id);
    const body = (ctx.body ?? {}) as S["UpdateRolePrincipalsRequest"];
    const operation = requireOperation(body.operation);
    if (!body.principals || body.principals.length === 0) throw E.missingFields(["principals"]);
    return applyAssignments(
        store,
        operation,
        body.principals.map((p) => ({
            roleId: role.id,
            principalType: p.principal_type,
            principalId: p.principal_id,
            scopeId: p.scope_id,
            policyParameters: p.policy_parameters as Record<string, unknown> | undefined,
        })),
    );
}

function updatePrincipalRoles(ctx: RouteContext): RouteResult {
    const { store } = ctx;
    const body = (ctx.body ?? {}) as S["UpdatePrincipalRolesRequest"];
    const operation = requireOperation(body.operation);
    if (!body.principal) throw E.missingFields(["principal"]);
    if (!body.roles || body.roles.length === 0) throw E.missingFields(["roles"]);
    requirePrincipal(store, body.principal.type, body.principal.id);
    return applyAssignments(
        store,
        operation,
        body.roles.map((r) => ({
            roleId: r.id,
            principalType: body.principal!.type,
            principalId: body.principal!.id,
            scopeId: r.scope_id,
            policyParameters: r.policy_parameters as Record<string, unknown> | undefined,
        })),
    );
}

function getRolePrincipals(ctx: RouteContext): RouteResult {
    const { store, query } = ctx;
    const role = requireRole(store, ctx.params.role_id);
    const filter = contentFilter(query);
    let list = store.assignmentsOfRole(role.id).filter((a) => matchesContent(a, filter));
    if (query.scope_type) list = list.filter((a) => a.scopeType === query.scope_type);
    if (typeof query.scope_id === "string") list = list.filter((a) => a.scopeId === query.scope_id);
    list.sort((a, b) => a.createdAt - b.createdAt || a.principalId.localeCompare(b.principalId));
    if (query.verbose !== true) {
        // Without verbose only id and type are returned, once per principal.
        const seen = new Set<string>();
        const data: S["PrincipalResponseData"][] = [];
        for (const a of list) {
            const key = `${a.principalType}|${a.principalId}`;
            if (seen.has(key)) continue;
            seen.add(key);
            data.push({ id: a.principalId, type: a.principalType });
        }
        return { status: 200, body: { data } };
    }
    const data: S["PrincipalResponseData"][] = list.map((a) => ({
        id: a.principalId,
        type: a.principalType,
        role_id: a.roleId,
        ...(a.policyParameters ? { policy_parameters: a.policyParameters as S["PrincipalResponseData"]["policy_parameters"] } : {}),
        scope_type: a.scopeType,
        scope_id: a.scopeId,
        created_at: a.createdAt,
        updated_at: a.updatedAt,
    }));
    return { status: 200, body: { data } };
}

function getPrincipalRoles(ctx: RouteContext): RouteResult {
    const { store, query } = ctx;
    const type = query.principal_type as PrincipalType;
    const id = query.principal_id as string;
    requirePrincipal(store, type, id);
    if (query.scope_type === "prodenv") requireScope(store, query.scope_id, true);
    const filter = contentFilter(query);
    const data: PrincipalRolesData[] = [];
    for (const a of store.assignmentsOfPrincipal(type, id)) {
        const role = store.role(a.roleId);
        if (!role || role.permissionType !== query.permission_type) continue;
        if (query.management_type && role.managementType !== query.management_type) continue;
        if (query.scope_type && a.scopeType !== query.scope_type) continue;
        if (typeof query.scope_id === "string" && a.scopeId !== query.scope_id) continue;
        if (!matchesContent(a, filter)) continue;
        data.push(principalRoleData(role, a));
    }
    data.sort((x, y) => x.created_at - y.created_at || x.id.localeCompare(y.id));
    return { status: 200, body: { data } };
}

interface InspectInput {
    scopeType: string;
    scopeId?: string;
    principals?: Array<{ type: string; id: string }>;
    filter: Record<string, string>;
    cursor?: string;
}

/** A user's principal and the groups it belongs to: what holds roles on its behalf. */
function withGroups(store: Store, p: { type: string; id: string }): Array<{ type: PrincipalType; id: string }> {
    const groups = p.type === "user" ? store.groupsOfUser(p.id).map((g) => ({ type: "group" as PrincipalType, id: g.id })) : [];
    return [{ type: p.type as PrincipalType, id: p.id }, ...groups];
}

/**
 * The content filter an assignment must match in inspect: a folder's own grants and those on its ancestors, which
 * the folder inherits (the Admin API's folder roles say the same, with `inherited: true`).
 */
function inspectFilter(store: Store, filter: Record<string, string>): (a: AssignmentRecord) => boolean {
    const folder = filter.folder_id && filter.folder_id !== "all" ? store.folders.get(filter.folder_id) : undefined;
    if (!folder) return (a) => matchesContent(a, filter);
    const folderIds = new Set([folder.externalId, ...store.ancestorFolders(folder).map((f) => f.externalId)]);
    const rest = { ...filter };
    delete rest.folder_id;
    return (a) => folderIds.has((a.policyParameters as Record<string, string> | null)?.folder_id ?? "") && matchesContent(a, rest);
}

/** Whether a grant applies in the scope asked about; for one product environment, grants to "all" apply there too. */
function inScope(a: AssignmentRecord, scopeType: string, scopeId: string | undefined): boolean {
    return a.scopeType === scopeType && (scopeId === undefined || a.scopeId === scopeId || (a.scopeId === "all" && scopeId !== "all"));
}

/**
 * Role assignments in a scope, grouped by principal. For one product environment, assignments made to "all"
 * product environments apply there too and are included. For a folder, so are the grants on its ancestors. A user
 * asked about comes with the groups it belongs to, each an entry of its own.
 */
function inspect(store: Store, input: InspectInput): RouteResult {
    if (input.scopeType === "prodenv") requireScope(store, input.scopeId, true);
    else if (input.scopeId !== undefined) throw E.invalid([{ scope_id: input.scopeId }]);
    const groups = new Map<string, { type: PrincipalType; id: string; roles: PrincipalRolesData[] }>();
    const matches = inspectFilter(store, input.filter);
    const keep = (a: AssignmentRecord) => inScope(a, input.scopeType, input.scopeId) && matches(a);
    const addAssignment = (a: AssignmentRecord) => {
        const role = store.role(a.roleId);
        if (!role) return;
        const key = `${a.principalType}|${a.principalId}`;
        let entry = groups.get(key);
        if (!entry) groups.set(key, (entry = { type: a.principalType, id: a.principalId, roles: [] }));
        entry.roles.push(principalRoleData(role, a));
    };
    if (input.principals) {
        for (const p of input.principals) {
            requirePrincipal(store, p.type, p.id);
            groups.set(`${p.type}|${p.id}`, { type: p.type as PrincipalType, id: p.id, roles: [] });
            for (const holder of withGroups(store, p)) for (const a of store.assignmentsOfPrincipal(holder.type, holder.id)) if (keep(a)) addAssignment(a);
        }
    } else {
        for (const a of store.assignments.values()) if (keep(a)) addAssignment(a);
    }
    const all = [...groups.values()].sort((a, b) => a.type.localeCompare(b.type) || a.id.localeCompare(b.id));
    for (const p of all) p.roles.sort((x, y) => x.id.localeCompare(y.id) || String(x.scope_id).localeCompare(String(y.scope_id)));
    const start = input.cursor ? Number.parseInt(input.cursor, 10) : 0;
    if (!Number.isInteger(start) || start < 0 || start > all.length) throw E.invalid([{ cursor: input.cursor }]);
    const page = all.slice(start, start + INSPECT_PAGE_SIZE);
    const next = start + INSPECT_PAGE_SIZE < all.length ? String(start + INSPECT_PAGE_SIZE) : undefined;
    return { status: 200, body: { data: { principals: page }, ...(next ? { next_cursor: next } : {}) } };
}

// ---- effective policies ------------------------------------------------------------------------------------------

/** A role's statements as they apply to one principal: `principal` bound to it, placeholders filled in. */
function boundStatement(statement: string, type: string, id: string, values: Record<string, string>): string {
    const bound = statement.replace(/(permit|forbid)\s*\(\s*principal\s*,/g, `$1(principal == Cloudinary::${cedarPrincipalType(type)}::"${id}",`);
    return substitute(bound, values);
}

/**
 * The roles (with their system policies' statements) of the principals in a scope, and the enabled custom
 * policies there. For one principal: its own roles and those of its groups (an entry per group), and the custom
 * policies that apply to it (no principal constraint, or one naming it or one of its groups).
 */
function effectivePolicies(ctx: RouteContext): RouteResult {
    const { store, query } = ctx;
    const scopeType = (query.scope_type as string | undefined) ?? "account";
    const scopeId = query.scope_id as string | undefined;
    if (scopeType === "prodenv") requireScope(store, scopeId, true);
    if (query.principal_type && !query.principal_id) throw E.missingFields(["principal_id"]);
    if (query.principal_id && !query.principal_type) throw E.missingFields(["principal_type"]);
    const principal = query.principal_type ? { type: query.principal_type as string, id: query.principal_id as string } : undefined;
    if (principal) requirePrincipal(store, principal.type, principal.id);
    const holders = principal ? withGroups(store, principal) : undefined;
    const candidates = holders ? holders.flatMap((h) => store.assignmentsOfPrincipal(h.type, h.id)) : [...store.assignments.values()];
    const principals = new Map<string, S["PrincipalRole"]>();
    for (const a of candidates) {
        if (!inScope(a, scopeType, scopeId)) continue;
        const role = store.role(a.roleId);
        if (!role) continue;
        const key = `${a.principalType}|${a.principalId}`;
        let entry = principals.get(key);
        if (!entry) principals.set(key, (entry = { principal_type: a.principalType, principal_id: a.principalId, roles: [] }));
        const values = (a.policyParameters ?? {}) as Record<string, string>;
        entry.roles!.push({
            id: role.id,
            system_policies: role.systemPolicyIds
                .map((id) => store.systemPolicies.get(id))
                .filter((p): p is SystemPolicy => Boolean(p))
                .map((p) => ({ id: p.id, policy_statement: boundStatement(p.policy_statement, a.principalType, a.principalId, values) })),
        });
    }
    const groupIds = (holders ?? []).filter((h) => h.type === "group").map((h) => h.id);
    const customPolicies = [...store.customPolicies.values()]
        .filter((p) => p.enabled && p.scopeType === scopeType && (scopeId === undefined || p.scopeId === scopeId || p.scopeId === "all"))
        .filter((p) => !principal || appliesToPrincipal(principalScopes(p.policyStatement), principal.type, principal.id, groupIds))
        .map((p) => ({ id: p.id, policy_statement: p.policyStatement }));
    return { status: 200, body: { data: { principals: [...principals.values()], custom_policies: customPolicies } } };
}

// ---- custom policies -----------------------------------------------------------------------------------------------

function checkPolicyBody(store: Store, body: S["CustomPolicy"]): { scopeId: string | null; statement: string } {
    const statement = body.policy_statement;
    if (!statement.trim()) throw E.missingFields(["policy_statement"]);
    if (!body.name.trim()) throw E.missingFields(["name"]);
    let scopeId: string | null = null;
    if (body.scope_type === "prodenv") {
        if (!body.scope_id) throw E.missingFields(["scope_id"]);
        requireScope(store, body.scope_id, true);
        scopeId = body.scope_id;
    } else if (body.scope_id) {
        throw E.invalid([{ scope_id: body.scope_id }]);
    }
    const problems = cedarMessages(statement);
    if (problems.length) throw E.cedar(statement, problems);
    for (const p of store.customPolicies.values()) {
        // The spec: the same statement in the same scope is a conflict, and so is an update that leaves it unchanged.
        if (p.policyStatement.trim() === statement.trim() && p.scopeType === body.scope_type && p.scopeId === scopeId) {
            throw E.alreadyExistsForScope(statement);
        }
    }
    return { scopeId, statement };
}

function requirePolicy(store: Store, id: string): CustomPolicyRecord {
    const p = store.customPolicies.get(id);
    if (!p) throw E.notFound("policy_id", id);
    return p;
}

function listCustomPolicies(ctx: RouteContext): RouteResult {
    const { store, query } = ctx;
    const scopeType = (query.scope_type as string | undefined) ?? "account";
    if (scopeType === "prodenv") {
        if (typeof query.scope_id !== "string") throw E.missingFields(["scope_id"]);
        requireScope(store, query.scope_id, true);
    }
    const data = [...store.customPolicies.values()]
        .filter((p) => p.scopeType === scopeType)
        .filter((p) => scopeType !== "prodenv" || p.scopeId === query.scope_id || p.scopeId === "all")
        .filter((p) => query.enabled === undefined || query.enabled === null || p.enabled === query.enabled)
        .sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id))
        .map(customPolicyData);
    return { status: 200, body: { data } };
}

type PolicyFields = Pick<CustomPolicyRecord, "name" | "description" | "scopeType" | "scopeId" | "policyStatement" | "enabled">;

/** The fields a create or an update sets, once the body has passed checkPolicyBody. */
function policyFields(store: Store, body: S["CustomPolicy"]): PolicyFields {
    const { scopeId, statement } = checkPolicyBody(store, body);
    return {
        name: body.name.trim(),
        description: body.description ?? null,
        scopeType: body.scope_type,
        scopeId,
        policyStatement: statement,
        enabled: body.enabled ?? true,
    };
}

function createCustomPolicy(ctx: RouteContext): RouteResult {
    const fields = policyFields(ctx.store, ctx.body as S["CreateCustomPolicy"]);
    const now = nowEpoch();
    const policy: CustomPolicyRecord = { id: randomHex(12), ...fields, createdAt: now, updatedAt: now };
    ctx.store.createPolicy(policy);
    return { status: 201, body: { data: customPolicyData(policy) } };
}

function updateCustomPolicy(ctx: RouteContext): RouteResult {
    const policy = requirePolicy(ctx.store, ctx.params.policy_id);
    ctx.store.updatePolicy(policy, policyFields(ctx.store, ctx.body as S["UpdateCustomPolicy"]));
    return { status: 200, body: { data: customPolicyData(policy) } };
}

// ---- catalog -------------------------------------------------------------------------------------------------------

function catalog(store: Store): RouteResult {
    const system_policies = [...store.systemPolicies.values()].map((p) => ({
        id: p.id,
        name: p.name,
        description: p.description,
        ...(p.category ? { category: p.category } : {}),
        ...(p.sub_category ? { sub_category: p.sub_category } : {}),
        permission_type: p.permission_type,
        scope_type: p.scope_type,
        ...(p.policy_parameters.length ? { policy_parameters: p.policy_parameters } : {}),
        policy: p.policy_statement,
    }));
    const system_roles = [...store.systemRoles.values()].map((r) => ({
        id: r.id,
        name: r.name,
        description: r.description,
        permission_type: r.permission_type,
        scope_type: r.scope_type,
        ...(r.policy_parameters.length ? { policy_parameters: r.policy_parameters } : {}),
        system_policy_ids: r.system_policy_ids,
        ...(r.emulator_only ? { emulator_only: true } : {}),
    }));
    return { status: 200, body: { catalog: { system_policies, system_roles } } };
}

function cedarSchema(): RouteResult {
    return { status: 200, body: { schema: CEDAR_SCHEMA } };
}

function validatePolicy(ctx: RouteContext): RouteResult {
    const body = ctx.body as S["ValidateCedarPolicyRequest"];
    const problems = cedarMessages(body.policy);
    const result: S["ValidateCedarPolicyResponse"] = problems.length
        ? { valid: false, errors: problems.map((m) => ({ cedar_message: m, cedar_code: "ACCOUNTS_00002" })) }
        : { valid: true };
    return { status: 200, body: result };
}

// ---- routes --------------------------------------------------------------------------------------------------------

export function permissionsRoutes(): RouteDef[] {
    const route = (method: RouteDef["method"], specPath: string, write: boolean, handler: RouteDef["handler"], auth: RouteDef["auth"] = "account"): RouteDef => ({
        spec: "permissions",
        family: "permissions",
        method,
        specPath,
        auth,
        write,
        handler,
    });
    const ok = (body: unknown): RouteResult => ({ status: 200, body });
    return [
        route("GET", `${PUBLIC}/catalog`, false, (ctx) => catalog(ctx.store), "none"),
        route("GET", `${PUBLIC}/schema`, false, () => cedarSchema(), "none"),
        route("POST", `${PUBLIC}/validate`, false, validatePolicy, "none"),

        route("GET", `${BASE}/policies/system`, false, ({ store, query }) => {
            // The spec: unless scope_type is prodenv, the account-level policies are returned.
            const scopeType = query.scope_type === "prodenv" ? "prodenv" : "account";
            const data = [...store.systemPolicies.values()]
                .filter((p) => p.scope_type === scopeType && (!query.permission_type || p.permission_type === query.permission_type))
                .map((p) => policyData(p));
            return ok({ data });
        }),
        route("GET", `${BASE}/policies/custom`, false, listCustomPolicies),
        route("POST", `${BASE}/policies/custom`, true, createCustomPolicy),
        route("GET", `${BASE}/policies/custom/{policy_id}`, false, ({ store, params }) => ok({ data: customPolicyData(requirePolicy(store, params.policy_id)) })),
        route("PUT", `${BASE}/policies/custom/{policy_id}`, true, updateCustomPolicy),
        route("DELETE", `${BASE}/policies/custom/{policy_id}`, true, ({ store, params }) => {
            requirePolicy(store, params.policy_id);
            store.deletePolicy(params.policy_id);
            return { status: 204 };
        }),
        route("GET", `${BASE}/policies/effective`, false, effectivePolicies),

        route("GET", `${BASE}/roles`, false, ({ store, query }) => {
            const wanted = (query.policy_parameters as string[] | undefined) ?? [];
            const data = store
                .allRoles()
                .filter((r) => r.permissionType === query.permission_type)
                .filter((r) => !query.scope_type || r.scopeType === query.scope_type)
                .filter((r) => !query.management_type || r.managementType === query.management_type)
                .filter((r) => wanted.every((k) => r.policyParameters.includes(k)))
                .map(roleData);
            return ok({ data });
        }),
        route("POST", `${BASE}/roles`, true, createRole),
        route("GET", `${BASE}/roles/{role_id}`, false, ({ store, params, query }) => {
            const role = requireRole(store, params.role_id);
            return ok(roleWithPolicies(store, role, contentFilter(query)));
        }),
        route("PUT", `${BASE}/roles/{role_id}`, true, updateRole),
        route("DELETE", `${BASE}/roles/{role_id}`, true, deleteRole),
        route("GET", `${BASE}/roles/{role_id}/principals`, false, getRolePrincipals),
        route("PUT", `${BASE}/roles/{role_id}/principals`, true, updateRolePrincipals),

        route("GET", `${BASE}/principal_roles`, false, getPrincipalRoles),
        route("PUT", `${BASE}/principal_roles`, true, updatePrincipalRoles),
        route("GET", `${BASE}/principal_roles/inspect`, false, ({ store, query }) => {
            if (query.principal_type && !query.principal_id) throw E.missingFields(["principal_id"]);
            if (query.principal_id && !query.principal_type) throw E.missingFields(["principal_type"]);
            return inspect(store, {
                scopeType: query.scope_type as string,
                scopeId: query.scope_id as string | undefined,
                principals: query.principal_type ? [{ type: query.principal_type as string, id: query.principal_id as string }] : undefined,
                filter: contentFilter(query),
                cursor: query.cursor as string | undefined,
            });
        }),
        route("POST", `${BASE}/principal_roles/inspect`, false, ({ store, body }) => {
            const b = body as S["InspectRequest"];
            const filter: Record<string, string> = {};
            for (const [k, v] of Object.entries(b.policy_parameters ?? {})) {
                if (typeof v !== "string") throw E.invalid([{ policy_parameters: b.policy_parameters }]);
                filter[k] = v;
            }
            return inspect(store, { scopeType: b.scope_type, scopeId: b.scope_id, principals: b.principals, filter, cursor: b.cursor });
        }),
    ];
}


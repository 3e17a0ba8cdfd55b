// Permissions API policies, per permissions.yml: system policies, custom policies (checked by the Cedar engine),
// effective policies, and the public catalog, Cedar schema and validation endpoints.
import type { components } from "../../wire/permissions";
import { boundStatement, effective, fillPlaceholders, requireScope } from "../access";
import { statementProblems } from "../cedar";
import { CEDAR_SCHEMA } from "../cedarSchema";
import { nowEpoch, randomHex } from "../ids";
import type { CustomPolicyRecord, PrincipalRef, PrincipalType, ScopeType, SystemPolicy } from "../model";
import { cursorPage } from "../paging";
import { cedarRefused, conflict, invalid, missing, notFound } from "../problems";
import { SYSTEM_EPOCH } from "../seed";
import type { AccountReader } from "../store";
import type { RouteContext, RouteDef, RouteMaker, RouteResult } from "./types";

type S = components["schemas"];

const PUBLIC = "/v2/accounts/permissions/public";

export function policyData(p: SystemPolicy, instance: Record<string, string> = {}): S["SystemPolicyResponseData"] {
    return {
        id: p.id,
        name: p.name,
        description: p.description,
        scope_type: p.scope_type,
        permission_type: p.permission_type,
        policy_statement: fillPlaceholders(p.policy_statement, instance),
        ...(p.policy_parameters.length ? { policy_parameters: [...p.policy_parameters] } : {}),
        ...(p.category ? { category: p.category } : {}),
        ...(p.sub_category ? { sub_category: p.sub_category } : {}),
        created_at: SYSTEM_EPOCH - 1,
        updated_at: SYSTEM_EPOCH - 1,
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

/** A list page in the Permissions API's shape: `data`, and `next_cursor` unless it is the last page. */
function dataPage<T, W>(items: readonly T[], cursor: string | undefined, pageSize: number | undefined, view: (item: T) => W): RouteResult {
    const page = cursorPage(items, cursor, pageSize);
    return { status: 200, body: { data: page.items.map(view), ...(page.nextCursor ? { next_cursor: page.nextCursor } : {}) } };
}

// ---- system policies -------------------------------------------------------------------------------------------

/** The spec: unless scope_type is prodenv, the account-level policies are returned. */
function listSystemPolicies({ store, query, extraQuery, pageSize }: RouteContext): RouteResult {
    const scopeType = query.scope_type === "prodenv" ? "prodenv" : "account";
    const policies = store.systemPolicies().filter((p) => p.scope_type === scopeType && (!query.permission_type || p.permission_type === query.permission_type));
    return dataPage(policies, extraQuery.cursor, pageSize, (p) => policyData(p));
}

// ---- custom policies -------------------------------------------------------------------------------------------

function requirePolicy(store: AccountReader, id: string): CustomPolicyRecord {
    const p = store.customPolicy(id);
    if (!p) throw notFound("policy", "policy_id", id);
    return p;
}

type PolicyFields = Pick<CustomPolicyRecord, "name" | "description" | "scopeType" | "scopeId" | "policyStatement" | "enabled">;

/** The fields a create or an update sets, once the body is checked: scope, Cedar, and no twin in the scope. */
function policyFields(store: AccountReader, body: S["CustomPolicy"]): PolicyFields {
    const statement = body.policy_statement;
    if (!statement.trim()) throw missing("policy_statement");
    if (!body.name.trim()) throw missing("name");
    let scopeId: string | null = null;
    if (body.scope_type === "prodenv") {
        if (!body.scope_id) throw missing("scope_id");
        requireScope(store, { scopeType: "prodenv", scopeId: body.scope_id });
        scopeId = body.scope_id;
    } else if (body.scope_id) {
        throw invalid("scope_id", body.scope_id, "account policies take no scope");
    }
    const problems = statementProblems(statement);
    if (problems.length) throw cedarRefused(statement, problems);
    // The spec: the same statement in the same scope is a conflict, and so is an update that leaves it unchanged.
    const twin = store.customPolicies().some((p) => p.policyStatement.trim() === statement.trim() && p.scopeType === body.scope_type && p.scopeId === scopeId);
    if (twin) throw conflict("policy", "policy_statement", statement);
    return { name: body.name.trim(), description: body.description ?? null, scopeType: body.scope_type, scopeId, policyStatement: statement, enabled: body.enabled ?? true };
}

/** Without scope_type the account's policies; prodenv needs scope_id, and lists the policies for "all" too. */
function listCustomPolicies({ store, query, pageSize }: RouteContext): RouteResult {
    const scopeType = (query.scope_type as ScopeType | undefined) ?? "account";
    if (scopeType === "prodenv") {
        if (typeof query.scope_id !== "string") throw missing("scope_id");
        requireScope(store, { scopeType, scopeId: query.scope_id });
    }
    const policies = store
        .customPolicies()
        .filter((p) => p.scopeType === scopeType && (scopeType !== "prodenv" || p.scopeId === query.scope_id || p.scopeId === "all"))
        .filter((p) => typeof query.enabled !== "boolean" || p.enabled === query.enabled)
        // Creation order: the store's order, which a stable sort by creation time keeps within one second.
        .sort((a, b) => a.createdAt - b.createdAt);
    return dataPage(policies, query.cursor as string | undefined, pageSize, customPolicyData);
}

function createCustomPolicy({ store, body }: RouteContext): RouteResult {
    const now = nowEpoch();
    const policy = store.createPolicy({ id: randomHex(12), ...policyFields(store, body as S["CreateCustomPolicy"]), createdAt: now, updatedAt: now });
    return { status: 201, body: { data: customPolicyData(policy) } };
}

function updateCustomPolicy({ store, params, body }: RouteContext): RouteResult {
    const policy = requirePolicy(store, params.policy_id);
    return { status: 200, body: { data: customPolicyData(store.updatePolicy(policy.id, policyFields(store, body as S["UpdateCustomPolicy"]))) } };
}

// ---- effective policies ----------------------------------------------------------------------------------------

/** `principal_type` and `principal_id` come together or not at all. */
export function principalOf(query: Record<string, unknown>): PrincipalRef | undefined {
    if (query.principal_type && !query.principal_id) throw missing("principal_id");
    if (query.principal_id && !query.principal_type) throw missing("principal_type");
    return query.principal_type ? { type: query.principal_type as PrincipalType, id: query.principal_id as string } : undefined;
}

function effectivePolicies({ store, query }: RouteContext): RouteResult {
    const principal = principalOf(query);
    const result = effective(store, { scopeType: (query.scope_type as ScopeType | undefined) ?? "account", scopeId: query.scope_id as string | undefined, principal });
    const principals: S["PrincipalRole"][] = result.holdings.map((h) => ({
        principal_type: h.principal.type,
        principal_id: h.principal.id,
        roles: h.grants.map((a) => ({
            id: a.roleId,
            system_policies: store
                .role(a.roleId)!
                .systemPolicyIds.flatMap((id) => store.systemPolicy(id) ?? [])
                .map((p) => ({ id: p.id, policy_statement: boundStatement(p.policy_statement, h.principal, a.policyParameters) })),
        })),
    }));
    const custom_policies = result.customPolicies.map((p) => ({ id: p.id, policy_statement: p.policyStatement }));
    return { status: 200, body: { data: { principals, custom_policies } } };
}

// ---- public endpoints --------------------------------------------------------------------------------------------

function catalog({ store }: RouteContext): RouteResult {
    const system_policies = store.systemPolicies().map((p) => ({
        id: p.id,
        name: p.name,
        description: p.description,
        ...(p.category ? { category: p.category } : {}),
        ...(p.sub_category ? { sub_category: p.sub_category } : {}),
        permission_type: p.permission_type,
        scope_type: p.scope_type,
        ...(p.policy_parameters.length ? { policy_parameters: [...p.policy_parameters] } : {}),
        policy: p.policy_statement,
    }));
    const system_roles = store.systemRoles().map((r) => ({
        id: r.id,
        name: r.name,
        description: r.description,
        permission_type: r.permission_type,
        scope_type: r.scope_type,
        ...(r.policy_parameters.length ? { policy_parameters: [...r.policy_parameters] } : {}),
        system_policy_ids: [...r.system_policy_ids],
        ...(r.emulator_only ? { emulator_only: true } : {}),
    }));
    return { status: 200, body: { catalog: { system_policies, system_roles } } };
}

function validatePolicy({ body }: RouteContext): RouteResult {
    const problems = statementProblems((body as S["ValidateCedarPolicyRequest"]).policy);
    const result: S["ValidateCedarPolicyResponse"] = problems.length ? { valid: false, errors: problems.map((m) => ({ cedar_message: m, cedar_code: "ACCOUNTS_00002" })) } : { valid: true };
    return { status: 200, body: result };
}

export function policyRoutes(route: RouteMaker, base: string): RouteDef[] {
    const ok = (body: unknown): RouteResult => ({ status: 200, body });
    return [
        route("GET", `${PUBLIC}/catalog`, false, catalog, { auth: "none" }),
        route("GET", `${PUBLIC}/schema`, false, () => ok({ schema: CEDAR_SCHEMA }), { auth: "none" }),
        route("POST", `${PUBLIC}/validate`, false, validatePolicy, { auth: "none" }),
        // The spec gives the response a next_cursor but the request no cursor: the one its description names.
        route("GET", `${base}/policies/system`, false, listSystemPolicies, { extraQuery: ["cursor"] }),
        route("GET", `${base}/policies/custom`, false, listCustomPolicies),
        route("POST", `${base}/policies/custom`, true, createCustomPolicy),
        route("GET", `${base}/policies/custom/{policy_id}`, false, ({ store, params }) => ok({ data: customPolicyData(requirePolicy(store, params.policy_id)) })),
        route("PUT", `${base}/policies/custom/{policy_id}`, true, updateCustomPolicy),
        route("DELETE", `${base}/policies/custom/{policy_id}`, true, ({ store, params }) => {
            store.deletePolicy(requirePolicy(store, params.policy_id).id);
            return { status: 204 };
        }),
        route("GET", `${base}/policies/effective`, false, effectivePolicies),
    ];
}

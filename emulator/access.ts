// Who holds which role where (principal_roles/inspect) and what applies to whom (policies/effective), computed
// from the account's grants as the spec and the docs in shared/seeds describe them; the README's "Where the specs
// are silent" lists the emulator's reading where they say nothing.
import { appliesTo, CEDAR_PRINCIPAL_TYPE } from "./cedar";
import type { AssignmentRecord, CustomPolicyRecord, PrincipalRef, ScopeType } from "./model";
import { invalid, notFound } from "./problems";
import type { AccountReader } from "./store";

/** A principal and the grants it holds that match a query. */
export interface Holding {
    principal: PrincipalRef;
    grants: AssignmentRecord[];
}

export interface ScopeQuery {
    scopeType: ScopeType;
    /** A product environment id or "all"; absent: every product environment. */
    scopeId?: string;
}

export interface InspectQuery extends ScopeQuery {
    /** The principals asked about; absent: every principal with a matching grant. */
    principals?: readonly PrincipalRef[];
    /** Content instances a grant must be on: folder_id, collection_id, asset_id or any key; "all": any instance. */
    content: Readonly<Record<string, string>>;
}

export function requireScope(store: AccountReader, q: ScopeQuery): void {
    if (q.scopeType === "account" && q.scopeId !== undefined) throw invalid("scope_id", q.scopeId, "the account scope has no id");
    if (q.scopeId !== undefined && q.scopeId !== "all" && !store.productEnvironment(q.scopeId)) throw notFound("scope", "scope_id", q.scopeId);
}

export function requirePrincipal(store: AccountReader, p: PrincipalRef): void {
    if (!store.principalExists(p)) throw notFound("principal", "principal_id", p.id);
}

/** Whether a grant applies in the scope asked about; in one product environment, grants to "all" apply too. */
function inScope(a: AssignmentRecord, q: ScopeQuery): boolean {
    if (a.scopeType !== q.scopeType) return false;
    return q.scopeId === undefined || a.scopeId === q.scopeId || (a.scopeId === "all" && q.scopeId !== "all");
}

/**
 * Whether a grant is on the content asked about. A folder inherits its ancestors' grants (the Admin API's folder
 * roles say so with `inherited: true`), so folder_id=X matches grants on X and on every folder above it.
 */
function onContent(store: AccountReader, content: Readonly<Record<string, string>>): (a: AssignmentRecord) => boolean {
    const checks = Object.entries(content).map(([key, wanted]): ((a: AssignmentRecord) => boolean) => {
        const actual = (a: AssignmentRecord) => (a.policyParameters as Record<string, string> | null)?.[key];
        if (wanted === "all") return (a) => actual(a) !== undefined;
        if (key !== "folder_id") return (a) => actual(a) === wanted;
        const folder = store.folder(wanted);
        const lineage = new Set([wanted, ...(folder ? store.ancestorFolders(wanted).map((f) => f.externalId) : [])]);
        return (a) => lineage.has(actual(a) ?? "");
    });
    return (a) => checks.every((check) => check(a));
}

/** A principal and, for a user, the groups it belongs to: each holds roles of its own on the user's behalf. */
export function withGroups(store: AccountReader, p: PrincipalRef): PrincipalRef[] {
    const groups = p.type === "user" ? store.groupsOfUser(p.id).map((g): PrincipalRef => ({ type: "group", id: g.id })) : [];
    return [p, ...groups];
}

const keyOf = (p: PrincipalRef) => `${p.type}|${p.id}`;

/** Holdings by principal (type, then id), each one's grants by role id, then scope. */
function holdingsOf(grants: readonly AssignmentRecord[], asked: readonly PrincipalRef[] = []): Holding[] {
    const byPrincipal = new Map<string, Holding>(asked.map((p) => [keyOf(p), { principal: p, grants: [] }]));
    for (const a of grants) {
        const principal: PrincipalRef = { type: a.principalType, id: a.principalId };
        let holding = byPrincipal.get(keyOf(principal));
        if (!holding) byPrincipal.set(keyOf(principal), (holding = { principal, grants: [] }));
        holding.grants.push(a);
    }
    const holdings = [...byPrincipal.values()].sort((x, y) => x.principal.type.localeCompare(y.principal.type) || x.principal.id.localeCompare(y.principal.id));
    for (const h of holdings) h.grants.sort((x, y) => x.roleId.localeCompare(y.roleId) || String(x.scopeId).localeCompare(String(y.scopeId)));
    return holdings;
}

/** The grants of the principals (with a user's groups), or of everyone, that apply in a scope. */
function grantsInScope(store: AccountReader, q: ScopeQuery, principals?: readonly PrincipalRef[]): AssignmentRecord[] {
    const holders = principals?.flatMap((p) => withGroups(store, p));
    const candidates = holders ? holders.flatMap((h) => store.grants({ principal: h })) : store.grants();
    return candidates.filter((a) => inScope(a, q) && store.role(a.roleId) !== undefined);
}

/**
 * Inspect: the principals with roles in a scope, and those roles. Principals asked about are listed even when they
 * hold nothing; a user comes with each of its groups that holds a matching role, as an entry of its own. Without
 * principals, grants are listed as made (a group's members are not repeated).
 */
export function inspect(store: AccountReader, q: InspectQuery): Holding[] {
    requireScope(store, q);
    for (const p of q.principals ?? []) requirePrincipal(store, p);
    const matches = onContent(store, q.content);
    return holdingsOf(grantsInScope(store, q, q.principals).filter(matches), q.principals);
}

export interface Effective {
    holdings: Holding[];
    /** The enabled custom policies of the scope that apply (to the principal asked about, if any). */
    customPolicies: CustomPolicyRecord[];
}

/** A custom policy is in the scope asked about; in one product environment, policies for "all" apply too. */
function policyInScope(p: CustomPolicyRecord, q: ScopeQuery): boolean {
    return p.scopeType === q.scopeType && (q.scopeId === undefined || p.scopeId === q.scopeId || p.scopeId === "all");
}

/**
 * Effective policies: the roles held in a scope, by principal, and the enabled custom policies there. For one
 * principal: its roles and its groups' (an entry per group, as inspect gives them), and the custom policies whose
 * principal constraint holds for it or one of its groups (read by the Cedar engine).
 */
export function effective(store: AccountReader, q: ScopeQuery & { principal?: PrincipalRef }): Effective {
    requireScope(store, q);
    if (q.principal) requirePrincipal(store, q.principal);
    const principal = q.principal;
    const groupIds = principal ? withGroups(store, principal).filter((h) => h.type === "group").map((h) => h.id) : [];
    const customPolicies = store
        .customPolicies()
        .filter((p) => p.enabled && policyInScope(p, q))
        .filter((p) => !principal || appliesTo(p.policyStatement, principal, groupIds));
    return { holdings: holdingsOf(grantsInScope(store, q, principal ? [principal] : undefined)), customPolicies };
}

/**
 * A system policy's statement as it applies to one holder: `principal` bound to it and the grant's content
 * instance filled in for `<folder_id>` / `<collection_id>`, like the spec's EffectivePoliciesExample.
 */
export function boundStatement(statement: string, holder: PrincipalRef, instance: Readonly<Record<string, string>> | null): string {
    const bound = statement.replace(/\b(permit|forbid)\s*\(\s*principal\s*,/g, `$1(principal == ${CEDAR_PRINCIPAL_TYPE[holder.type]}::"${holder.id}",`);
    return fillPlaceholders(bound, instance ?? {});
}

/** `<folder_id>` and `<collection_id>` replaced by the values given; others left as they are. */
export function fillPlaceholders(statement: string, values: Readonly<Record<string, string>>): string {
    return statement.replace(/<(folder_id|collection_id)>/g, (whole, key: string) => values[key] ?? whole);
}

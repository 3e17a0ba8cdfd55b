// What the authoritative resources (PrincipalRoles, RolePrincipals, the exclusive guard) share: a grant's
// identity as a string, a readable description for previews and errors, and the difference of two grant sets.
import type { Grant } from "../api/domain";

/** id → the name a person knows it by (see names.ts). */
type Names = Record<string, string>;

/** A grant's identity: role, principal, scope, folder or collection. */
export function grantKey(grant: Grant): string {
    const { roleId, principalType, principalId, scopeId, policyParameters } = grant;
    return canonical({ roleId, principalType, principalId, scopeId, policyParameters });
}

/**
 * "group Platform (g1) holds cld::role::account::master_admin (account)", as a preview shows it: each id with its
 * name where `names` has it.
 */
export function describeGrant(grant: Grant, names: Names = {}): string {
    const named = (id: string) => (names[id] ? `${names[id]} (${id})` : id);
    const scope = grant.scopeId ? `in ${grant.scopeId === "all" ? "all product environments" : `product environment ${named(grant.scopeId)}`}` : "(account)";
    const parameters = grant.policyParameters;
    const content = !parameters ? "" : "folderId" in parameters ? ` on folder ${named(parameters.folderId)}` : ` on collection ${parameters.collectionId}`;
    return `${grant.principalType} ${named(grant.principalId)} holds ${grant.roleId} ${scope}${content}`;
}

/** What to add and what to revoke to turn `current` into `desired`. */
export function grantChanges(current: readonly Grant[], desired: readonly Grant[]): { added: Grant[]; removed: Grant[] } {
    const have = new Set(current.map(grantKey));
    const want = new Set(desired.map(grantKey));
    return { added: dedupe(desired).filter((g) => !have.has(grantKey(g))), removed: dedupe(current).filter((g) => !want.has(grantKey(g))) };
}

export function sameGrants(a: readonly Grant[], b: readonly Grant[]): boolean {
    const { added, removed } = grantChanges(a, b);
    return added.length === 0 && removed.length === 0;
}

/** A grant with only the fields that identify it (no undefined keys, which the engine's wire format lacks). */
export function cleanGrant(grant: Grant): Grant {
    const { roleId, principalType, principalId, scopeId, policyParameters } = grant;
    return { roleId, principalType, principalId, ...(scopeId ? { scopeId } : {}), ...(policyParameters ? { policyParameters } : {}) };
}

function dedupe(grants: readonly Grant[]): Grant[] {
    return [...new Map(grants.map((g) => [grantKey(g), g])).values()];
}

/** A value as a string that ignores key order and absent fields: identity for objects such as grants and policy parameters. */
export function canonical(value: unknown): string {
    if (value === undefined || value === null) return "null";
    if (typeof value !== "object") return JSON.stringify(value);
    if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
    const entries = Object.entries(value as object).filter(([, v]) => v !== undefined && v !== null);
    return `{${entries.sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
}

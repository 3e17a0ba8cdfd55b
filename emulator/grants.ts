// The rules of a role grant, shared by the Permissions API (both assignment endpoints) and the Admin API's folder
// roles: from the specs and the docs in shared/seeds (see the README's "Role assignments").
import { nowEpoch } from "./ids";
import type { AssignmentRecord, PolicyParameterKey, PrincipalType } from "./model";
import { invalid, missing, notFound } from "./problems";
import type { AccountReader } from "./store";

export interface GrantRequest {
    roleId: string;
    principalType: PrincipalType;
    principalId: string;
    scopeId?: string | null;
    policyParameters?: Record<string, unknown> | null;
}

/**
 * The grant a request asks for, normalized, or the problem that stops it. For a removal only the shape is checked
 * (role, principal, keys): removing a grant that does not exist, or whose folder or scope is gone, is a no-op.
 */
export function checkGrant(store: AccountReader, req: GrantRequest, forRemoval = false): AssignmentRecord {
    const role = store.role(req.roleId);
    if (!role) throw notFound("role", "role_id", req.roleId);
    if (!store.principalExists({ type: req.principalType, id: req.principalId })) throw notFound("principal", "principal_id", req.principalId);
    const scopeId = req.scopeId ?? null;
    // Account API keys act on the account APIs only.
    if (req.principalType === "provisioningKey" && role.scopeType !== "account") throw invalid("principal_type", req.principalType, "account API keys hold account roles only");
    if (role.scopeType === "account") {
        if (scopeId !== null) throw invalid("scope_id", scopeId, "account roles take no scope");
    } else {
        if (scopeId === null || scopeId === "") throw missing("scope_id");
        if (!forRemoval && scopeId !== "all" && !store.productEnvironment(scopeId)) throw notFound("scope", "scope_id", scopeId);
    }
    const now = nowEpoch();
    return {
        roleId: role.id,
        principalType: req.principalType,
        principalId: req.principalId,
        scopeType: role.scopeType,
        scopeId: role.scopeType === "account" ? null : scopeId,
        policyParameters: role.permissionType === "content" ? contentInstance(store, req, role.policyParameters, scopeId, forRemoval) : noParameters(req.policyParameters),
        createdAt: now,
        updatedAt: now,
    };
}

/** A content role names its one instance: the folder (in that product environment) or the collection. */
function contentInstance(store: AccountReader, req: GrantRequest, roleKeys: readonly string[], scopeId: string | null, forRemoval: boolean): Partial<Record<PolicyParameterKey, string>> {
    const key = (roleKeys[0] ?? "folder_id") as PolicyParameterKey;
    const params = req.policyParameters ?? {};
    const value = params[key];
    if (typeof value !== "string" || value === "") throw missing(`policy_parameters.${key}`);
    if (Object.keys(params).some((k) => k !== key)) throw invalid("policy_parameters", params, `only ${key}`);
    if (key === "collection_id" && req.principalType === "apiKey") throw invalid("principal_type", req.principalType, "collection roles are not for API keys");
    if (scopeId === "all") throw invalid("scope_id", scopeId, "a content role needs one product environment");
    if (key === "folder_id" && !forRemoval) {
        const folder = store.folder(value);
        if (!folder || folder.productEnvironmentId !== scopeId) throw notFound("folder", "folder_id", value);
    }
    return { [key]: value };
}

function noParameters(params: GrantRequest["policyParameters"]): null {
    if (params && Object.keys(params).length > 0) throw invalid("policy_parameters", params, "a global role takes no policy parameters");
    return null;
}

// The domain face of custom policies, the account's Cedar schema and the who-has-what reads (inspect, effective
// policies) of the Permissions API. The wire (snake_case) is mapped here once.
import type { AccountClients } from "./cloudinary";
import { unlessNotFound } from "./cloudinary";
import type { AccessScope, CustomPolicy, CustomPolicyDeclaration, EffectiveCustomPolicy, InspectedPrincipal, PermissionType } from "./domain";
import type { AccessQuery, CustomPolicyRequest, InspectedPrincipal as WireInspected, WireCustomPolicy } from "./permissions";

export class PolicyApi {
    constructor(private readonly clients: AccountClients) {}

    private get permissions() {
        return this.clients.permissions;
    }

    /** The account's Cedar schema, in Cedar's JSON schema format (public: no credentials needed). */
    cedarSchema(): Promise<Record<string, unknown>> {
        return this.clients.publicPermissions.cedarSchema();
    }

    /** The custom policies of the account, or of a product environment (those for "all" included). */
    async list(scopeType: CustomPolicy["scopeType"], scopeId?: string): Promise<CustomPolicy[]> {
        return (await this.permissions.listCustomPolicies({ scope_type: scopeType, ...(scopeId ? { scope_id: scopeId } : {}) })).map(policyOf);
    }

    get(policyId: string): Promise<CustomPolicy | undefined> {
        return unlessNotFound(this.permissions.getCustomPolicy(policyId).then(policyOf));
    }

    async create(policy: CustomPolicyDeclaration): Promise<CustomPolicy> {
        return policyOf(await this.permissions.createCustomPolicy(requestOf(policy)));
    }

    /** The whole policy is sent; Cloudinary refuses (409) an update that leaves the statement unchanged. */
    async update(policyId: string, policy: CustomPolicyDeclaration): Promise<CustomPolicy> {
        return policyOf(await this.permissions.updateCustomPolicy(policyId, { ...requestOf(policy), enabled: policy.enabled ?? true }));
    }

    async delete(policyId: string): Promise<void> {
        await this.permissions.deleteCustomPolicy(policyId);
    }

    /** Principals with their roles in a scope; for one user, its groups come as entries of their own. */
    async inspect(scope: AccessScope): Promise<InspectedPrincipal[]> {
        return (await this.permissions.inspectPrincipals(queryOf(scope))).map(inspectedOf);
    }

    /** The enabled custom policies in force in a scope, for one principal those that apply to it. */
    async effectiveCustomPolicies(scope: Omit<AccessScope, "folderId">): Promise<EffectiveCustomPolicy[]> {
        const data = await this.permissions.effective(queryOf(scope));
        return (data.custom_policies ?? []).map((p) => ({ id: p.id as string, policyStatement: p.policy_statement as string }));
    }
}

function queryOf(scope: AccessScope): AccessQuery {
    return {
        scope_type: scope.scopeType,
        ...(scope.scopeId ? { scope_id: scope.scopeId } : {}),
        ...(scope.principal ? { principal_type: scope.principal.principalType, principal_id: scope.principal.principalId } : {}),
        ...(scope.folderId ? { folder_id: scope.folderId } : {}),
    };
}

function requestOf(policy: CustomPolicyDeclaration): CustomPolicyRequest {
    return {
        name: policy.name,
        description: policy.description ?? null,
        scope_type: policy.scopeType,
        ...(policy.scopeId ? { scope_id: policy.scopeId } : {}),
        policy_statement: policy.policyStatement,
        enabled: policy.enabled ?? true,
    };
}

function policyOf(p: WireCustomPolicy): CustomPolicy {
    return {
        id: p.id,
        name: p.name,
        ...(p.description ? { description: p.description } : {}),
        scopeType: p.scope_type,
        ...(p.scope_id ? { scopeId: p.scope_id } : {}),
        policyStatement: p.policy_statement,
        enabled: p.enabled,
    };
}

function inspectedOf(p: WireInspected): InspectedPrincipal {
    return {
        principalType: p.type,
        principalId: p.id,
        roles: p.roles.map((r) => ({
            roleId: r.id,
            roleName: r.name,
            permissionType: r.permission_type as PermissionType,
            scopeType: r.scope_type,
            ...(r.scope_id ? { scopeId: r.scope_id } : {}),
            ...(r.policy_parameters?.folder_id ? { folderId: r.policy_parameters.folder_id } : {}),
            ...(r.policy_parameters?.collection_id ? { collectionId: r.policy_parameters.collection_id } : {}),
        })),
    };
}

// Client of Cloudinary's Permissions API (/v2/accounts/{account_id}/permissions), typed from permissions.yml.
import type { components } from "../../wire/permissions";
import { HttpClient, Query } from "./http";

type Schemas = components["schemas"];
export type PermissionType = Schemas["PermissionTypeEnum"];
export type ScopeType = Schemas["ScopeTypeEnum"];
export type PrincipalType = Schemas["PrincipalTypeEnum"];
export type Role = Schemas["RoleResponseData"] & { policies?: Schemas["SystemPolicyResponseData"][] };
export type CreateRoleRequest = Schemas["CreateRole"];
export type UpdateRoleRequest = Schemas["UpdateRole"];
/** The spec types policy_parameters as a bare object; its documented content is { folder_id } or { collection_id }. */
export type PolicyParameterMap = Partial<Record<"folder_id" | "collection_id", string>>;
export type RolePrincipal = Omit<Schemas["PrincipalResponseData"], "policy_parameters"> & { policy_parameters?: PolicyParameterMap | null };
export type RolePrincipalChange = Omit<Schemas["UpdateRolePrincipal"], "policy_parameters"> & { policy_parameters?: PolicyParameterMap };
export type PrincipalRole = Omit<Schemas["PrincipalRolesData"], "policy_parameters"> & { policy_parameters?: PolicyParameterMap | null };
export type RoleToManage = Omit<Schemas["RoleToManage"], "policy_parameters"> & { policy_parameters?: PolicyParameterMap };
export type SystemPolicy = Schemas["SystemPolicyResponseData"];
export type InspectedPrincipal = Omit<Schemas["PrincipalRolesInspectData"], "roles"> & {
    roles: PrincipalRole[];
};

/** The public catalog's entries; the spec types `catalog` only by example, so the fields used are picked from the role and policy schemas. */
export type CatalogPolicy = Pick<SystemPolicy, "id" | "name" | "scope_type" | "permission_type" | "policy_parameters">;
export type CatalogRole = Pick<Schemas["RoleResponseData"], "id" | "name" | "permission_type" | "scope_type" | "policy_parameters"> & {
    system_policy_ids?: string[];
};
export interface Catalog {
    system_policies: CatalogPolicy[];
    system_roles: CatalogRole[];
}

export interface RolePrincipalsQuery {
    scope_type?: ScopeType;
    scope_id?: string;
    folder_id?: string;
    collection_id?: string;
    verbose?: boolean;
}

export class PermissionsApi {
    constructor(private readonly http: HttpClient, private readonly accountId: string) {}

    private path(rest: string): string {
        return `/v2/accounts/${encodeURIComponent(this.accountId)}/permissions/${rest}`;
    }

    /** System roles and policies; public, no credentials needed. */
    async catalog(): Promise<Catalog> {
        const body = await this.http.get<Schemas["SystemRolesAndPoliciesCatalogResponse"]>("/v2/accounts/permissions/public/catalog");
        const catalog = body.catalog as Partial<Catalog>;
        return { system_policies: catalog.system_policies ?? [], system_roles: catalog.system_roles ?? [] };
    }

    async listRoles(query: { permission_type: PermissionType; scope_type?: ScopeType; management_type?: "system" | "custom" }): Promise<Role[]> {
        const body = await this.http.get<Schemas["RolesResponse"]>(this.path("roles"), query);
        return body.data ?? [];
    }

    async getRole(roleId: string): Promise<Role> {
        const body = await this.http.get<Schemas["RoleResponse"]>(this.path(`roles/${encodeURIComponent(roleId)}`));
        return body.data as Role;
    }

    async createRole(request: CreateRoleRequest): Promise<Role> {
        const body = await this.http.post<Schemas["RoleResponse"]>(this.path("roles"), request);
        return body.data as Role;
    }

    async updateRole(roleId: string, request: UpdateRoleRequest): Promise<Role> {
        const body = await this.http.put<Schemas["RoleResponse"]>(this.path(`roles/${encodeURIComponent(roleId)}`), request);
        return body.data as Role;
    }

    async deleteRole(roleId: string, force: boolean): Promise<void> {
        await this.http.delete(this.path(`roles/${encodeURIComponent(roleId)}`), force ? { force: true } : undefined);
    }

    async listRolePrincipals(roleId: string, query: RolePrincipalsQuery = {}): Promise<RolePrincipal[]> {
        const body = await this.http.get<Schemas["PrincipalsResponse"]>(
            this.path(`roles/${encodeURIComponent(roleId)}/principals`),
            { verbose: true, ...query },
        );
        return body.data ?? [];
    }

    async updateRolePrincipals(roleId: string, operation: "add" | "remove", principals: RolePrincipalChange[]): Promise<void> {
        const request = { operation, principals } satisfies Omit<Schemas["UpdateRolePrincipalsRequest"], "principals"> & { principals: RolePrincipalChange[] };
        await this.http.put(this.path(`roles/${encodeURIComponent(roleId)}/principals`), request);
    }

    /** Every principal holding roles in a scope (the account, or one product environment), with those roles. */
    async inspect(scopeType: ScopeType, scopeId?: string): Promise<InspectedPrincipal[]> {
        return this.inspectPrincipals({ scope_type: scopeType, ...(scopeId ? { scope_id: scopeId } : {}) });
    }

    async listPrincipalRoles(principalType: PrincipalType, principalId: string, permissionType: PermissionType): Promise<PrincipalRole[]> {
        const body = await this.http.get<Schemas["PrincipalRolesResponse"]>(this.path("principal_roles"), {
            principal_type: principalType,
            principal_id: principalId,
            permission_type: permissionType,
        });
        return body.data ?? [];
    }

    /** Adds or removes several roles of one principal in one request. */
    async updatePrincipalRoles(principal: Schemas["Principal"], operation: "add" | "remove", roles: RoleToManage[]): Promise<void> {
        const request = { operation, principal, roles } satisfies Omit<Schemas["UpdatePrincipalRolesRequest"], "roles"> & { roles: RoleToManage[] };
        await this.http.put(this.path("principal_roles"), request);
    }

    // ---- custom policies, the Cedar schema, who has what --------------------------------------------------

    /** Public: no credentials needed. */
    async cedarSchema(): Promise<Record<string, unknown>> {
        return (await this.http.get<Schemas["CedarSchemaResponse"]>("/v2/accounts/permissions/public/schema")).schema;
    }

    /** Every page (next_cursor) of the custom policies of a scope. */
    async listCustomPolicies(query: { scope_type: ScopeType; scope_id?: string }): Promise<WireCustomPolicy[]> {
        return this.everyPage("policies/custom", query, (body: Schemas["CustomPoliciesResponse"]) => body.data ?? []);
    }

    async getCustomPolicy(policyId: string): Promise<WireCustomPolicy> {
        return (await this.http.get<Schemas["CustomPolicyResponse"]>(this.path(`policies/custom/${encodeURIComponent(policyId)}`))).data as WireCustomPolicy;
    }

    async createCustomPolicy(request: CustomPolicyRequest): Promise<WireCustomPolicy> {
        return (await this.http.post<Schemas["CustomPolicyResponse"]>(this.path("policies/custom"), request)).data as WireCustomPolicy;
    }

    async updateCustomPolicy(policyId: string, request: CustomPolicyRequest & { enabled: boolean }): Promise<WireCustomPolicy> {
        return (await this.http.put<Schemas["CustomPolicyResponse"]>(this.path(`policies/custom/${encodeURIComponent(policyId)}`), request)).data as WireCustomPolicy;
    }

    async deleteCustomPolicy(policyId: string): Promise<void> {
        await this.http.delete(this.path(`policies/custom/${encodeURIComponent(policyId)}`));
    }

    /** Every page of an inspect: principals with their roles in a scope, optionally of one principal (and its groups) or on one folder. */
    async inspectPrincipals(query: AccessQuery): Promise<InspectedPrincipal[]> {
        return this.everyPage("principal_roles/inspect", query, (body: Schemas["PrincipalRolesInspectResponse"]) => (body.data?.principals ?? []) as InspectedPrincipal[]);
    }

    /** A listing paged with next_cursor / cursor, every page read. */
    private async everyPage<T, B>(rest: string, query: Query, items: (body: B) => T[]): Promise<T[]> {
        const all: T[] = [];
        let cursor: string | undefined;
        do {
            const body = await this.http.get<B>(this.path(rest), { ...query, ...(cursor ? { cursor } : {}) });
            all.push(...items(body));
            cursor = (body as { next_cursor?: string | null }).next_cursor || undefined;
        } while (cursor);
        return all;
    }

    async effective(query: Omit<AccessQuery, "folder_id">): Promise<EffectivePolicies> {
        return (await this.http.get<Schemas["EffectivePoliciesResponse"]>(this.path("policies/effective"), query)).data ?? {};
    }
}

export type WireCustomPolicy = Schemas["CustomPolicyResponseData"];
export type CustomPolicyRequest = Schemas["CustomPolicy"];
export type EffectivePolicies = NonNullable<Schemas["EffectivePoliciesResponse"]["data"]>;

/** What inspect and effective policies are asked about: a scope, and optionally one principal or one folder. */
export interface AccessQuery extends Query {
    scope_type: ScopeType;
    scope_id?: string;
    principal_type?: PrincipalType;
    principal_id?: string;
    folder_id?: string;
}

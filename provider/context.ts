// What every resource operation runs with: settings, the API clients (sharing one concurrency limiter per
// process), and per-process caches of the system catalog and of role lookups used by plan-time validation.
import type Bottleneck from "bottleneck";
import { AdminApi } from "./api/admin";
import { CloudinaryApiError, CloudinaryConfigError } from "./api/errors";
import { createLimiter, HttpClient, HttpSettings } from "./api/http";
import { CatalogPolicy, CatalogRole, PermissionsApi, PermissionType, Role, ScopeType } from "./api/permissions";
import { ProductEnvironment, ProvisioningApi, User, UserGroup } from "./api/provisioning";
import { CONFIG_KEYS, ProviderSettings } from "./config";
import { PACKAGE } from "./package-info";

const USER_AGENT = `${PACKAGE.name}/${PACKAGE.version}`;

/** What validation needs to know about a role, whichever API it came from. */
export interface RoleInfo {
    id: string;
    name: string;
    managementType: "system" | "custom";
    permissionType: PermissionType;
    scopeType: ScopeType;
    /** The content type the role applies to: ["folder_id"], ["collection_id"], or [] for global roles. */
    policyParameters: string[];
}

export interface CatalogIndex {
    policies: Map<string, CatalogPolicy>;
    roles: Map<string, RoleInfo>;
}

export type Warn = (message: string) => void;

export class ProviderContext {
    private readonly limiter: Bottleneck;
    private readonly http = new Map<string, HttpClient>();
    private readonly lookups = new Map<string, Promise<unknown>>();

    constructor(readonly settings: ProviderSettings, readonly warn: Warn = (m) => process.stderr.write(`warning: ${m}\n`)) {
        this.limiter = createLimiter(settings.maxConcurrency);
    }

    get permissions(): PermissionsApi {
        const account = this.requireAccount();
        return new PermissionsApi(this.client(`account:${account.apiKey}`, { username: account.apiKey, password: account.apiSecret }), account.accountId);
    }

    get provisioning(): ProvisioningApi {
        const account = this.requireAccount();
        return new ProvisioningApi(this.client(`account:${account.apiKey}`, { username: account.apiKey, password: account.apiSecret }), account.accountId);
    }

    admin(cloudName: string): AdminApi {
        const pe = this.settings.productEnvironments[cloudName];
        if (!pe) throw new CloudinaryConfigError(missingProductEnvironment(cloudName, Object.keys(this.settings.productEnvironments)));
        return new AdminApi(this.client(`cloud:${cloudName}`, { username: pe.apiKey, password: pe.apiSecret }), cloudName);
    }

    hasProductEnvironment(cloudName: string): boolean {
        return cloudName in this.settings.productEnvironments;
    }

    /** The public system catalog, read once per process. */
    catalog(): Promise<CatalogIndex> {
        return this.once("catalog", () => this.loadCatalog());
    }

    /** A role by id: system roles from the catalog, custom roles from the API; undefined when it does not exist. */
    async role(roleId: string): Promise<RoleInfo | undefined> {
        const system = (await this.catalog()).roles.get(roleId);
        if (system) return system;
        return this.once(`role:${roleId}`, () =>
            this.permissions.getRole(roleId).then(toRoleInfo, (e) => {
                if (e instanceof CloudinaryApiError && e.isNotFound) return undefined;
                throw e;
            }),
        );
    }

    /** The account's users, read once per process. */
    users(): Promise<User[]> {
        return this.once("users", () => this.provisioning.listUsers());
    }

    /** The account's user groups, read once per process. */
    userGroups(): Promise<UserGroup[]> {
        return this.once("userGroups", () => this.provisioning.listUserGroups());
    }

    /** The account's product environments, read once per process. */
    productEnvironments(): Promise<ProductEnvironment[]> {
        return this.once("productEnvironments", () => this.provisioning.listProductEnvironments());
    }

    /** Whether a folder (by external id) exists in a product environment, asked once per process. */
    folderExists(cloudName: string, folderId: string): Promise<boolean> {
        return this.once(`folder:${cloudName}:${folderId}`, () =>
            this.admin(cloudName)
                .getFolderById(folderId)
                .then(
                    () => true,
                    (e) => {
                        if (e instanceof CloudinaryApiError && e.isNotFound) return false;
                        throw e;
                    },
                ),
        );
    }

    /**
     * A read made at most once per process (product environments, users, folder existence), for plan-time checks.
     * Failed reads are not remembered.
     */
    once<T>(key: string, read: () => Promise<T>): Promise<T> {
        let pending = this.lookups.get(key) as Promise<T> | undefined;
        if (!pending) {
            pending = read().catch((e) => {
                this.lookups.delete(key);
                throw e;
            });
            this.lookups.set(key, pending);
        }
        return pending;
    }

    private async loadCatalog(): Promise<CatalogIndex> {
        const api = new PermissionsApi(this.client("public", undefined), this.settings.account?.accountId ?? "-");
        const { system_policies, system_roles } = await api.catalog();
        const policies = new Map(system_policies.map((p) => [p.id, p]));
        const roles = new Map(system_roles.map((r) => [r.id, catalogRoleInfo(r, policies)]));
        return { policies, roles };
    }

    private client(key: string, credentials: { username: string; password: string } | undefined): HttpClient {
        let client = this.http.get(key);
        if (!client) {
            const settings: HttpSettings = {
                baseUrl: this.settings.apiBaseUrl,
                timeoutMs: this.settings.requestTimeoutMs,
                maxRetries: this.settings.maxRetries,
                retryBaseDelayMs: this.settings.retryBaseDelayMs,
                maxConcurrency: this.settings.maxConcurrency,
                userAgent: USER_AGENT,
                warn: this.warn,
            };
            client = new HttpClient(settings, credentials, this.limiter);
            this.http.set(key, client);
        }
        return client;
    }

    private requireAccount() {
        const account = this.settings.account;
        if (!account) {
            const [configKey, envKey] = CONFIG_KEYS.accountUrl;
            throw new CloudinaryConfigError(
                `Cloudinary account credentials are not configured: run \`pulumi config set --secret ${configKey} account://API_KEY:API_SECRET@ACCOUNT_ID\` or set ${envKey}.`,
            );
        }
        return account;
    }
}

export function missingProductEnvironment(cloudName: string, known: string[]): string {
    const [configKey, envKey] = CONFIG_KEYS.productEnvironments;
    const knownPart = known.length ? ` Configured product environments: ${known.join(", ")}.` : "";
    return (
        `No Admin API credentials for product environment '${cloudName}': add cloudinary://API_KEY:API_SECRET@${cloudName} ` +
        `to ${configKey} (secret) or ${envKey}, or set CLOUDINARY_URL to it.${knownPart}`
    );
}

export function toRoleInfo(role: Role): RoleInfo {
    return {
        id: role.id,
        name: role.name,
        managementType: role.management_type,
        permissionType: role.permission_type as PermissionType,
        scopeType: role.scope_type,
        policyParameters: role.policy_parameters ?? derivePolicyParameters(role.id, (role.policies ?? []).flatMap((p) => p.policy_parameters ?? [])),
    };
}

function catalogRoleInfo(role: CatalogRole, policies: Map<string, CatalogPolicy>): RoleInfo {
    const fromPolicies = (role.system_policy_ids ?? []).flatMap((id) => policies.get(id)?.policy_parameters ?? []);
    return {
        id: role.id,
        name: role.name,
        managementType: "system",
        permissionType: role.permission_type as PermissionType,
        scopeType: role.scope_type,
        policyParameters: role.policy_parameters ?? derivePolicyParameters(role.id, fromPolicies),
    };
}

/** Content roles name their content type in their policies, or failing that in their id (cld::role::folder::*). */
function derivePolicyParameters(roleId: string, fromPolicies: string[]): string[] {
    if (fromPolicies.length) return [...new Set(fromPolicies)];
    if (/::folder::/.test(roleId)) return ["folder_id"];
    if (/::collection::/.test(roleId)) return ["collection_id"];
    return [];
}

// The API clients of one provider process: one HTTP client per set of credentials, all sharing one concurrency
// limiter, built from the resolved settings.
import type Bottleneck from "bottleneck";
import { PACKAGE } from "./package-info";
import { ProviderSettings, SETTING_KEYS } from "./settings";
import { AdminApi } from "./admin";
import { AccountApi, FolderApi } from "./cloudinary";
import { CloudinaryConfigError } from "./errors";
import { createLimiter, HttpClient, HttpSettings } from "./http";
import { PermissionsApi } from "./permissions";
import { PolicyApi } from "./policies";
import { ProvisioningApi } from "./provisioning";

const USER_AGENT = `${PACKAGE.name}/${PACKAGE.version}`;

export type Warn = (message: string) => void;

export class ApiClients {
    private readonly limiter: Bottleneck;
    private readonly http = new Map<string, HttpClient>();
    // One facade per process: they hold the run's shared reads and coalesced writes.
    private accountApi?: AccountApi;
    private readonly folderApis = new Map<string, FolderApi>();

    constructor(
        readonly settings: ProviderSettings,
        private readonly warn: Warn,
    ) {
        this.limiter = createLimiter(settings.maxConcurrency);
    }

    get permissions(): PermissionsApi {
        const account = this.accountCredentials();
        return new PermissionsApi(this.client(`account:${account.apiKey}`, { username: account.apiKey, password: account.apiSecret }), account.accountId);
    }

    get provisioning(): ProvisioningApi {
        const account = this.accountCredentials();
        return new ProvisioningApi(this.client(`account:${account.apiKey}`, { username: account.apiKey, password: account.apiSecret }), account.accountId);
    }

    /** The public endpoints (the system catalog), which need no credentials. */
    get publicPermissions(): PermissionsApi {
        return new PermissionsApi(this.client("public", undefined), this.settings.account?.accountId ?? "-");
    }

    admin(cloudName: string): AdminApi {
        const pe = this.settings.productEnvironments[cloudName];
        if (!pe) throw new CloudinaryConfigError(missingProductEnvironment(cloudName, Object.keys(this.settings.productEnvironments)));
        return new AdminApi(this.client(`cloud:${cloudName}`, { username: pe.apiKey, password: pe.apiSecret }), cloudName);
    }

    /** The account's APIs (Permissions, Provisioning) in domain types. */
    get account(): AccountApi {
        return (this.accountApi ??= new AccountApi(this));
    }

    /** Custom policies, the Cedar schema and who has what, in domain types. */
    get policies(): PolicyApi {
        return new PolicyApi(this);
    }

    /** A product environment's folders (Admin API) in domain types. */
    folders(cloudName: string): FolderApi {
        let api = this.folderApis.get(cloudName);
        if (!api) this.folderApis.set(cloudName, (api = new FolderApi(this.admin(cloudName))));
        return api;
    }

    hasProductEnvironment(cloudName: string): boolean {
        return cloudName in this.settings.productEnvironments;
    }

    /** The account credentials; without them, an error that names both ways to set them (no request is made). */
    accountCredentials(): NonNullable<ProviderSettings["account"]> {
        const account = this.settings.account;
        if (!account) {
            const [configKey, envKey] = SETTING_KEYS.accountUrl;
            throw new CloudinaryConfigError(
                `Cloudinary account credentials are not configured: run \`pulumi config set --secret ${configKey} account://API_KEY:API_SECRET@ACCOUNT_ID\` or set ${envKey}.`,
            );
        }
        return account;
    }

    private client(key: string, credentials: { username: string; password: string } | undefined): HttpClient {
        let client = this.http.get(key);
        if (!client) {
            const settings: HttpSettings = {
                baseUrl: this.settings.apiBaseUrl,
                baseUrlSource: this.settings.sources.apiBaseUrl,
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
}

export function missingProductEnvironment(cloudName: string, known: string[]): string {
    const [configKey, envKey] = SETTING_KEYS.productEnvironments;
    const knownPart = known.length ? ` Configured product environments: ${known.join(", ")}.` : "";
    return (
        `No Admin API credentials for product environment '${cloudName}': add cloudinary://API_KEY:API_SECRET@${cloudName} ` +
        `to ${configKey} (secret) or ${envKey}, or set CLOUDINARY_URL to it.${knownPart}`
    );
}

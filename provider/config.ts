// Provider settings, read when the provider runs (never stored in resource inputs or state): stack config in
// the `cloudinary` namespace first, then Cloudinary's environment conventions, then defaults.
import { CloudinaryConfigError } from "./api/errors";

export const DEFAULT_API_BASE_URL = "https://api.cloudinary.com";

export interface AccountCredentials {
    accountId: string;
    apiKey: string;
    apiSecret: string;
}

export interface ProductEnvironmentCredentials {
    cloudName: string;
    apiKey: string;
    apiSecret: string;
}

export interface ProviderSettings {
    apiBaseUrl: string;
    account?: AccountCredentials;
    /** Admin API credentials by cloud name. */
    productEnvironments: Record<string, ProductEnvironmentCredentials>;
    maxConcurrency: number;
    maxRetries: number;
    retryBaseDelayMs: number;
    requestTimeoutMs: number;
}

/** What Pulumi's dynamic-provider `configure` hands over: raw stack config, namespaced keys. */
export interface ConfigSource {
    get(key: string): unknown;
}

const KEYS = {
    apiBaseUrl: ["cloudinary:apiBaseUrl", "CLOUDINARY_API_BASE_URL"],
    accountUrl: ["cloudinary:accountUrl", "CLOUDINARY_ACCOUNT_URL"],
    cloudinaryUrl: ["cloudinary:cloudinaryUrl", "CLOUDINARY_URL"],
    productEnvironments: ["cloudinary:productEnvironments", "CLOUDINARY_PRODUCT_ENVIRONMENTS"],
    maxConcurrency: ["cloudinary:maxConcurrency", "CLOUDINARY_MAX_CONCURRENCY"],
    maxRetries: ["cloudinary:maxRetries", "CLOUDINARY_MAX_RETRIES"],
    retryBaseDelayMs: ["cloudinary:retryBaseDelayMs", "CLOUDINARY_RETRY_BASE_DELAY_MS"],
    requestTimeoutMs: ["cloudinary:requestTimeoutMs", "CLOUDINARY_REQUEST_TIMEOUT_MS"],
} as const;

export function resolveSettings(config: ConfigSource | undefined, env: NodeJS.ProcessEnv): ProviderSettings {
    const read = ([configKey, envKey]: readonly [string, string]): string | undefined => {
        const fromConfig = config?.get(configKey);
        if (fromConfig !== undefined && fromConfig !== null && fromConfig !== "") return String(fromConfig);
        const fromEnv = env[envKey];
        return fromEnv === undefined || fromEnv === "" ? undefined : fromEnv;
    };
    const accountUrl = read(KEYS.accountUrl);
    const productEnvironments: Record<string, ProductEnvironmentCredentials> = {};
    const single = read(KEYS.cloudinaryUrl);
    if (single) addProductEnvironment(productEnvironments, parseCloudinaryUrl(single, KEYS.cloudinaryUrl));
    const map = read(KEYS.productEnvironments);
    if (map) for (const pe of parseProductEnvironments(map)) addProductEnvironment(productEnvironments, pe);
    return {
        apiBaseUrl: parseBaseUrl(read(KEYS.apiBaseUrl) ?? DEFAULT_API_BASE_URL),
        account: accountUrl ? parseAccountUrl(accountUrl, KEYS.accountUrl) : undefined,
        productEnvironments,
        maxConcurrency: parseInteger(read(KEYS.maxConcurrency), 8, 1, 64, KEYS.maxConcurrency),
        maxRetries: parseInteger(read(KEYS.maxRetries), 6, 0, 20, KEYS.maxRetries),
        retryBaseDelayMs: parseInteger(read(KEYS.retryBaseDelayMs), 200, 0, 60_000, KEYS.retryBaseDelayMs),
        requestTimeoutMs: parseInteger(read(KEYS.requestTimeoutMs), 30_000, 100, 600_000, KEYS.requestTimeoutMs),
    };
}

function addProductEnvironment(into: Record<string, ProductEnvironmentCredentials>, pe: ProductEnvironmentCredentials): void {
    into[pe.cloudName] = pe;
}

/** `account://KEY:SECRET@ACCOUNT_ID`, the form Cloudinary's account SDKs read from CLOUDINARY_ACCOUNT_URL. */
export function parseAccountUrl(value: string, source: readonly string[] = KEYS.accountUrl): AccountCredentials {
    const match = /^account:\/\/([^:@/\s]+):([^@\s]+)@([^/?#\s]+)\/?$/.exec(value.trim());
    if (!match) {
        throw new CloudinaryConfigError(
            `${describeSource(source)} is not a valid account URL (${redactUrl(value)}); expected account://API_KEY:API_SECRET@ACCOUNT_ID`,
        );
    }
    return { apiKey: decodeURIComponent(match[1]), apiSecret: decodeURIComponent(match[2]), accountId: decodeURIComponent(match[3]) };
}

/** `cloudinary://KEY:SECRET@CLOUD_NAME`, the form of CLOUDINARY_URL. */
export function parseCloudinaryUrl(value: string, source: readonly string[] = KEYS.cloudinaryUrl): ProductEnvironmentCredentials {
    const match = /^cloudinary:\/\/([^:@/\s]+):([^@\s]+)@([^/?#\s]+)\/?(\?.*)?$/.exec(value.trim());
    if (!match) {
        throw new CloudinaryConfigError(
            `${describeSource(source)} is not a valid Cloudinary URL (${redactUrl(value)}); expected cloudinary://API_KEY:API_SECRET@CLOUD_NAME`,
        );
    }
    return { apiKey: decodeURIComponent(match[1]), apiSecret: decodeURIComponent(match[2]), cloudName: decodeURIComponent(match[3]) };
}

/**
 * The per-product-environment credential map: a JSON list of cloudinary:// URLs, or a JSON object whose values
 * are cloudinary:// URLs or { apiKey, apiSecret } keyed by cloud name. A comma- or space-separated list of URLs
 * is also accepted (handy in an environment variable).
 */
export function parseProductEnvironments(value: string): ProductEnvironmentCredentials[] {
    const source = KEYS.productEnvironments;
    let parsed: unknown;
    try {
        parsed = JSON.parse(value);
    } catch {
        return value.split(/[\s,]+/).filter(Boolean).map((url) => parseCloudinaryUrl(url, source));
    }
    if (Array.isArray(parsed)) return parsed.map((url) => parseCloudinaryUrl(String(url), source));
    if (parsed && typeof parsed === "object") {
        return Object.entries(parsed as Record<string, unknown>).map(([cloudName, entry]) => {
            if (typeof entry === "string") {
                const pe = parseCloudinaryUrl(entry, source);
                if (pe.cloudName !== cloudName) {
                    throw new CloudinaryConfigError(`${describeSource(source)}: the URL given for '${cloudName}' names another cloud ('${pe.cloudName}')`);
                }
                return pe;
            }
            const { apiKey, apiSecret } = (entry ?? {}) as { apiKey?: unknown; apiSecret?: unknown };
            if (typeof apiKey !== "string" || typeof apiSecret !== "string" || !apiKey || !apiSecret) {
                throw new CloudinaryConfigError(`${describeSource(source)}: '${cloudName}' needs a cloudinary:// URL or { "apiKey": ..., "apiSecret": ... }`);
            }
            return { cloudName, apiKey, apiSecret };
        });
    }
    throw new CloudinaryConfigError(`${describeSource(source)} must be a list of cloudinary:// URLs or an object keyed by cloud name`);
}

function parseBaseUrl(value: string): string {
    let url: URL;
    try {
        url = new URL(value);
    } catch {
        throw new CloudinaryConfigError(`${describeSource(KEYS.apiBaseUrl)} is not a URL: '${value}'`);
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") {
        throw new CloudinaryConfigError(`${describeSource(KEYS.apiBaseUrl)} must be an http(s) URL, got '${url.protocol}'`);
    }
    if (url.username || url.password) {
        throw new CloudinaryConfigError(`${describeSource(KEYS.apiBaseUrl)} must not contain credentials; use cloudinary:accountUrl`);
    }
    return url.toString().replace(/\/+$/, "");
}

function parseInteger(value: string | undefined, fallback: number, min: number, max: number, source: readonly string[]): number {
    if (value === undefined) return fallback;
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) {
        throw new CloudinaryConfigError(`${describeSource(source)} must be an integer from ${min} to ${max}, got '${value}'`);
    }
    return n;
}

function describeSource([configKey, envKey]: readonly string[]): string {
    return `${configKey} (or ${envKey})`;
}

/** Hides the secret of an account:// or cloudinary:// URL so it can appear in an error message. */
export function redactUrl(value: string): string {
    const match = /^([a-z]+):\/\/([^:@/\s]*)(?::[^@\s]*)?@(\S*)$/i.exec(value.trim());
    if (match) return `${match[1]}://${match[2]}:***@${match[3]}`.slice(0, 200);
    const scheme = /^([a-z]+):\/\//i.exec(value.trim())?.[1];
    return scheme ? `a ${scheme}:// value, not shown` : "value not shown";
}

export const CONFIG_KEYS = KEYS;

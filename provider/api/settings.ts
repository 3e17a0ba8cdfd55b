// Provider settings, read when the provider runs (never stored in resource inputs or state): stack config in
// the `cloudinary` namespace first, then Cloudinary's environment conventions, then defaults.
import { WARNING_CODES, WarningCode } from "../catalog/grantEffects";
import { CloudinaryConfigError } from "./errors";

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
    /** Warnings not to show, by code (see catalog/grantEffects.ts), or "all". */
    silencedWarnings: "all" | WarningCode[];
    /** Where each credential and the base URL came from, so that error messages name the setting to fix. */
    sources: SettingSources;
}

export interface SettingSources {
    /** The config key or environment variable, or "the default". */
    apiBaseUrl: string;
    account?: string;
    /** By cloud name. */
    productEnvironments: Record<string, string>;
}

/** What Pulumi's dynamic-provider `configure` hands over: raw stack config, namespaced keys. */
export interface ConfigSource {
    get(key: string): unknown;
}

export const SETTING_KEYS = {
    apiBaseUrl: ["cloudinary:apiBaseUrl", "CLOUDINARY_API_BASE_URL"],
    accountUrl: ["cloudinary:accountUrl", "CLOUDINARY_ACCOUNT_URL"],
    cloudinaryUrl: ["cloudinary:cloudinaryUrl", "CLOUDINARY_URL"],
    productEnvironments: ["cloudinary:productEnvironments", "CLOUDINARY_PRODUCT_ENVIRONMENTS"],
    maxConcurrency: ["cloudinary:maxConcurrency", "CLOUDINARY_MAX_CONCURRENCY"],
    maxRetries: ["cloudinary:maxRetries", "CLOUDINARY_MAX_RETRIES"],
    retryBaseDelayMs: ["cloudinary:retryBaseDelayMs", "CLOUDINARY_RETRY_BASE_DELAY_MS"],
    requestTimeoutMs: ["cloudinary:requestTimeoutMs", "CLOUDINARY_REQUEST_TIMEOUT_MS"],
    silenceWarnings: ["cloudinary:silenceWarnings", "CLOUDINARY_SILENCE_WARNINGS"],
} as const;

export function resolveSettings(config: ConfigSource | undefined, env: NodeJS.ProcessEnv): ProviderSettings {
    const lookup = ([configKey, envKey]: readonly [string, string]): { value: string; source: string } | undefined => {
        const fromConfig = config?.get(configKey);
        if (fromConfig !== undefined && fromConfig !== null && fromConfig !== "") return { value: String(fromConfig), source: configKey };
        const fromEnv = env[envKey];
        return fromEnv === undefined || fromEnv === "" ? undefined : { value: fromEnv, source: envKey };
    };
    const read = (keys: readonly [string, string]) => lookup(keys)?.value;
    const sources: SettingSources = { apiBaseUrl: "the default", productEnvironments: {} };
    const productEnvironments: Record<string, ProductEnvironmentCredentials> = {};
    const add = (pe: ProductEnvironmentCredentials, source: string) => {
        productEnvironments[pe.cloudName] = pe;
        sources.productEnvironments[pe.cloudName] = source;
    };
    const single = lookup(SETTING_KEYS.cloudinaryUrl);
    if (single) add(parseCloudinaryUrl(single.value, SETTING_KEYS.cloudinaryUrl), single.source);
    const map = lookup(SETTING_KEYS.productEnvironments);
    if (map) for (const pe of parseProductEnvironments(map.value)) add(pe, map.source);
    const accountUrl = lookup(SETTING_KEYS.accountUrl);
    if (accountUrl) sources.account = accountUrl.source;
    const baseUrl = lookup(SETTING_KEYS.apiBaseUrl);
    if (baseUrl) sources.apiBaseUrl = baseUrl.source;
    return {
        apiBaseUrl: parseBaseUrl(baseUrl?.value ?? DEFAULT_API_BASE_URL),
        account: accountUrl ? parseAccountUrl(accountUrl.value, SETTING_KEYS.accountUrl) : undefined,
        productEnvironments,
        maxConcurrency: parseInteger(read(SETTING_KEYS.maxConcurrency), 8, 1, 64, SETTING_KEYS.maxConcurrency),
        maxRetries: parseInteger(read(SETTING_KEYS.maxRetries), 6, 0, 20, SETTING_KEYS.maxRetries),
        retryBaseDelayMs: parseInteger(read(SETTING_KEYS.retryBaseDelayMs), 200, 0, 60_000, SETTING_KEYS.retryBaseDelayMs),
        requestTimeoutMs: parseInteger(read(SETTING_KEYS.requestTimeoutMs), 30_000, 100, 600_000, SETTING_KEYS.requestTimeoutMs),
        silencedWarnings: parseSilencedWarnings(read(SETTING_KEYS.silenceWarnings)),
        sources,
    };
}

/** `account://KEY:SECRET@ACCOUNT_ID`, the form Cloudinary's account SDKs read from CLOUDINARY_ACCOUNT_URL. */
export function parseAccountUrl(value: string, source: readonly string[] = SETTING_KEYS.accountUrl): AccountCredentials {
    const match = /^account:\/\/([^:@/\s]+):([^@\s]+)@([^/?#\s]+)\/?$/.exec(value.trim());
    if (!match) {
        throw new CloudinaryConfigError(
            `${describeSource(source)} is not a valid account URL (${redactUrl(value)}); expected account://API_KEY:API_SECRET@ACCOUNT_ID`,
        );
    }
    return { apiKey: decodeURIComponent(match[1]), apiSecret: decodeURIComponent(match[2]), accountId: decodeURIComponent(match[3]) };
}

/** `cloudinary://KEY:SECRET@CLOUD_NAME`, the form of CLOUDINARY_URL. */
export function parseCloudinaryUrl(value: string, source: readonly string[] = SETTING_KEYS.cloudinaryUrl): ProductEnvironmentCredentials {
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
    const source = SETTING_KEYS.productEnvironments;
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
        throw new CloudinaryConfigError(`${describeSource(SETTING_KEYS.apiBaseUrl)} is not a URL: '${value}'`);
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") {
        throw new CloudinaryConfigError(`${describeSource(SETTING_KEYS.apiBaseUrl)} must be an http(s) URL, got '${url.protocol}'`);
    }
    if (url.username || url.password) {
        throw new CloudinaryConfigError(`${describeSource(SETTING_KEYS.apiBaseUrl)} must not contain credentials; use cloudinary:accountUrl`);
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

/** `all`, or warning codes: a JSON list, or separated by commas or spaces. */
export function parseSilencedWarnings(value: string | undefined): "all" | WarningCode[] {
    if (value === undefined) return [];
    let items: unknown;
    try {
        items = JSON.parse(value);
    } catch {
        items = value.split(/[\s,]+/).filter(Boolean);
    }
    const list = (Array.isArray(items) ? items : [items]).map(String);
    if (list.includes("all")) return "all";
    const unknown = list.filter((code) => !(code in WARNING_CODES));
    if (unknown.length) {
        throw new CloudinaryConfigError(
            `${describeSource(SETTING_KEYS.silenceWarnings)} names no warning '${unknown.join("', '")}'; use 'all' or a list of: ${Object.keys(WARNING_CODES).join(", ")}`,
        );
    }
    return [...new Set(list)] as WarningCode[];
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


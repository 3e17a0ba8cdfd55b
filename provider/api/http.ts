// Shared HTTP mechanics for all Cloudinary API clients: retries with exponential backoff and jitter
// (honouring Retry-After) on 429, 5xx and network errors, bounded concurrency, timeouts, Cloudinary's
// rate-limit headers, and typed errors that never carry credentials.
import axios, { AxiosError, AxiosInstance, AxiosRequestConfig } from "axios";
import axiosRetry, { exponentialDelay, isNetworkError } from "axios-retry";
import Bottleneck from "bottleneck";
import { CloudinaryApiError, CloudinaryNetworkError, CloudinaryUnreachableError, parseErrorBody } from "./errors";

export interface Credentials {
    username: string;
    password: string;
}

export interface HttpSettings {
    baseUrl: string;
    /** The setting the base URL came from, named when the API cannot be reached. */
    baseUrlSource?: string;
    timeoutMs: number;
    maxRetries: number;
    /** Base of the exponential backoff, in milliseconds. */
    retryBaseDelayMs: number;
    maxConcurrency: number;
    userAgent: string;
    warn: (message: string) => void;
}

export type Query = Record<string, string | number | boolean | string[] | undefined>;

export interface RequestOptions {
    query?: Query;
    body?: unknown;
}

// A string key: axios copies the request config on each attempt and would drop a symbol.
const LOST_REPLY = "cloudinaryLostReply";
type TrackedConfig = AxiosRequestConfig & { [LOST_REPLY]?: boolean };

/** Cloudinary's rate-limit headers (Admin and account APIs). */
const LIMIT_HEADER = "x-featureratelimit-limit";
const REMAINING_HEADER = "x-featureratelimit-remaining";
const RESET_HEADER = "x-featureratelimit-reset";

/**
 * Watches the rate-limit headers and paces requests so the remaining budget lasts until the reset,
 * instead of running into 429s; warns once when the budget gets low.
 */
export class RateBudget {
    private warned = false;
    constructor(private readonly limiter: Bottleneck, private readonly warn: (m: string) => void) {}

    observe(headers: Record<string, unknown>): void {
        const limit = Number(headers[LIMIT_HEADER]);
        const remaining = Number(headers[REMAINING_HEADER]);
        if (!Number.isFinite(limit) || !Number.isFinite(remaining) || limit <= 0) return;
        const resetAt = parseReset(headers[RESET_HEADER]);
        const fraction = remaining / limit;
        if (fraction < 0.1 && !this.warned) {
            this.warned = true;
            const when = resetAt ? ` until ${new Date(resetAt).toISOString()}` : "";
            this.warn(`Cloudinary rate limit is low: ${remaining} of ${limit} requests left${when}; slowing down.`);
        }
        if (fraction >= 0.2 || !resetAt) {
            this.limiter.updateSettings({ minTime: 0 });
            return;
        }
        // Spread what is left over the time until the reset.
        const msLeft = Math.max(0, resetAt - Date.now());
        this.limiter.updateSettings({ minTime: Math.min(10_000, Math.ceil(msLeft / Math.max(1, remaining))) });
    }
}

function parseReset(value: unknown): number | undefined {
    if (value === undefined || value === null || value === "") return undefined;
    const asDate = Date.parse(String(value));
    if (!Number.isNaN(asDate)) return asDate;
    const asNumber = Number(value);
    if (!Number.isFinite(asNumber)) return undefined;
    // Epoch seconds, or seconds from now.
    return asNumber > 1e9 ? asNumber * 1000 : Date.now() + asNumber * 1000;
}

/** Errors that say the address itself is wrong (nothing listens there, or the name does not resolve). */
const UNREACHABLE = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"]);
/** Retries of an unreachable address: enough for a blip, short enough to fail a preview within seconds. */
const UNREACHABLE_RETRIES = 2;
const UNREACHABLE_DELAY_MS = 250;

export function isUnreachable(error: { code?: string }): boolean {
    return error.code !== undefined && UNREACHABLE.has(error.code);
}

function retryCountOf(error: AxiosError): number {
    return ((error.config as Record<string, unknown> | undefined)?.["axios-retry"] as { retryCount?: number } | undefined)?.retryCount ?? 0;
}

export function isRetryable(error: AxiosError): boolean {
    if (isUnreachable(error)) return retryCountOf(error) < UNREACHABLE_RETRIES;
    if (isNetworkError(error) || error.code === "ECONNABORTED" || error.code === "ETIMEDOUT") return true;
    if (!error.response) return error.code !== "ERR_CANCELED";
    const status = error.response.status;
    return status === 429 || status >= 500;
}

/** One HTTP client per base URL and credentials; the limiter is shared so that concurrency is bounded per process. */
export class HttpClient {
    private readonly axios: AxiosInstance;
    private readonly budget: RateBudget;

    constructor(private readonly settings: HttpSettings, credentials: Credentials | undefined, private readonly limiter: Bottleneck) {
        this.budget = new RateBudget(limiter, settings.warn);
        this.axios = axios.create({
            baseURL: settings.baseUrl.replace(/\/+$/, ""),
            timeout: settings.timeoutMs,
            auth: credentials,
            headers: { "User-Agent": settings.userAgent, Accept: "application/json" },
            paramsSerializer: { indexes: null },
            // Keep the raw body of error replies so their Cloudinary error code can be read.
            validateStatus: (s) => s >= 200 && s < 300,
        });
        this.axios.interceptors.response.use(
            (response) => {
                this.budget.observe(response.headers as Record<string, unknown>);
                return response;
            },
            (error: AxiosError) => {
                if (error.response) this.budget.observe(error.response.headers as Record<string, unknown>);
                return Promise.reject(error);
            },
        );
        axiosRetry(this.axios, {
            retries: settings.maxRetries,
            retryCondition: isRetryable,
            retryDelay: (count, error) => (isUnreachable(error) ? UNREACHABLE_DELAY_MS : exponentialDelay(count, error, settings.retryBaseDelayMs)),
            shouldResetTimeout: true,
            onRetry: (_count, error, config) => {
                // A write whose reply never came may have been committed: callers reconcile 404/409 answers.
                if (!error.response && (config.method ?? "get").toLowerCase() !== "get") {
                    (config as TrackedConfig)[LOST_REPLY] = true;
                }
            },
        });
    }

    get<T>(path: string, query?: Query): Promise<T> {
        return this.request<T>("GET", path, { query });
    }
    post<T>(path: string, body?: unknown, query?: Query): Promise<T> {
        return this.request<T>("POST", path, { body, query });
    }
    put<T>(path: string, body?: unknown, query?: Query): Promise<T> {
        return this.request<T>("PUT", path, { body, query });
    }
    delete<T>(path: string, query?: Query): Promise<T> {
        return this.request<T>("DELETE", path, { query });
    }

    async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
        const config: TrackedConfig = { method, url: path, params: options.query, data: options.body };
        return this.limiter.schedule(async () => {
            try {
                const response = await this.axios.request<T>(config);
                return response.data;
            } catch (e) {
                throw toApiError(e, method, path, ((e as AxiosError).config as TrackedConfig | undefined)?.[LOST_REPLY] === true, this.settings);
            }
        });
    }
}

function toApiError(e: unknown, method: string, path: string, afterLostReply: boolean, settings: HttpSettings): Error {
    const error = e as AxiosError;
    if (isUnreachable(error)) return new CloudinaryUnreachableError(settings.baseUrl, settings.baseUrlSource ?? "the configured API base URL", error.code as string);
    if (error.response) {
        const { code, message, details } = parseErrorBody(error.response.data);
        return new CloudinaryApiError(error.response.status, method, path, code, message, details, afterLostReply);
    }
    const reason = error.code ? `${error.code}${error.message ? `: ${error.message}` : ""}` : String(error.message ?? e);
    return new CloudinaryNetworkError(method, path, reason);
}

export function createLimiter(maxConcurrency: number): Bottleneck {
    return new Bottleneck({ maxConcurrent: Math.max(1, maxConcurrency), minTime: 0 });
}

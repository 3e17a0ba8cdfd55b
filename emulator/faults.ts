// Fault injection and an optional rate limit, so that clients can be tested against what the real APIs do
// under load: 429s with Retry-After, 5xx, slow replies, and replies lost after the write was committed.
import type { Clock } from "./clock";

export interface FaultSettings {
    /** Probability (0..1) that an API request is answered with one of `statuses` instead of being performed. */
    rate: number;
    statuses: number[];
    /** Retry-After on injected 429s (seconds). */
    retryAfterSeconds?: number;
    /** Added to every API request, uniformly in [min, max] milliseconds. */
    latencyMs?: { min: number; max: number };
    /** Probability (0..1) that a committed write's reply is lost: the socket is destroyed without a response. */
    dropAfterCommitRate?: number;
    /** Seed of the deterministic PRNG; without it Math.random is used. */
    seed?: number;
    /** Only these routes (method + route template, as in stats' byRoute) get faults and drops; all when absent. */
    routes?: string[];
}

export interface RateLimitSettings {
    limit: number;
    windowSeconds: number;
}

/** mulberry32: small, fast and good enough for fault draws. */
function mulberry32(seed: number): () => number {
    let a = seed >>> 0;
    return () => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = a;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

const ALLOWED_STATUSES = new Set([420, 429, 500, 502, 503, 504]);

/** Checks a PUT /_emulator/faults body; returns an error message or the settings. */
export function parseFaults(body: unknown): FaultSettings | string {
    if (!body || typeof body !== "object") return "body must be a JSON object";
    const b = body as Record<string, unknown>;
    const rate = b.rate ?? 0;
    if (typeof rate !== "number" || rate < 0 || rate > 1) return "rate must be a number in 0..1";
    const statuses = b.statuses ?? [500];
    if (!Array.isArray(statuses) || statuses.length === 0 || !statuses.every((s) => typeof s === "number" && ALLOWED_STATUSES.has(s))) {
        return `statuses must be a non-empty array of ${[...ALLOWED_STATUSES].join(", ")}`;
    }
    const out: FaultSettings = { rate, statuses: statuses as number[] };
    if (b.retryAfterSeconds !== undefined) {
        if (typeof b.retryAfterSeconds !== "number" || b.retryAfterSeconds < 0) return "retryAfterSeconds must be a number >= 0";
        out.retryAfterSeconds = b.retryAfterSeconds;
    }
    if (b.latencyMs !== undefined) {
        const l = b.latencyMs as { min?: unknown; max?: unknown };
        if (!l || typeof l.min !== "number" || typeof l.max !== "number" || l.min < 0 || l.max < l.min) return "latencyMs must be { min, max } with 0 <= min <= max";
        out.latencyMs = { min: l.min, max: l.max };
    }
    if (b.dropAfterCommitRate !== undefined) {
        if (typeof b.dropAfterCommitRate !== "number" || b.dropAfterCommitRate < 0 || b.dropAfterCommitRate > 1) return "dropAfterCommitRate must be a number in 0..1";
        out.dropAfterCommitRate = b.dropAfterCommitRate;
    }
    if (b.seed !== undefined) {
        if (typeof b.seed !== "number" || !Number.isFinite(b.seed)) return "seed must be a number";
        out.seed = b.seed;
    }
    if (b.routes !== undefined) {
        if (!Array.isArray(b.routes) || !b.routes.every((r) => typeof r === "string" && /^[A-Z]+ \//.test(r))) {
            return "routes must be an array of 'METHOD /route/template' strings, as in the stats' byRoute keys";
        }
        out.routes = b.routes as string[];
    }
    return out;
}

export class FaultInjector {
    private settings: FaultSettings | undefined;
    private random: () => number = Math.random;

    get current(): FaultSettings | undefined {
        return this.settings;
    }

    set(settings: FaultSettings): void {
        this.settings = settings;
        this.random = settings.seed !== undefined ? mulberry32(settings.seed) : Math.random;
    }

    clear(): void {
        this.settings = undefined;
        this.random = Math.random;
    }

    latency(): number {
        const l = this.settings?.latencyMs;
        if (!l || l.max <= 0) return 0;
        return l.min + Math.floor(this.random() * (l.max - l.min + 1));
    }

    private applies(route: string): boolean {
        const routes = this.settings?.routes;
        return routes === undefined || routes.includes(route);
    }

    /** The status to inject for this request (`route` as in stats' byRoute), if any. */
    drawFault(route: string): number | undefined {
        const s = this.settings;
        if (!s || s.rate <= 0 || !this.applies(route)) return undefined;
        if (this.random() >= s.rate) return undefined;
        return s.statuses[Math.floor(this.random() * s.statuses.length)];
    }

    retryAfterSeconds(): number {
        return this.settings?.retryAfterSeconds ?? 1;
    }

    drawDrop(route: string): boolean {
        const rate = this.settings?.dropAfterCommitRate ?? 0;
        return rate > 0 && this.applies(route) && this.random() < rate;
    }
}

/** A fixed-window budget, reported in Cloudinary's X-FeatureRateLimit-* headers. */
export class RateLimiter {
    constructor(private readonly clock: Clock) {}

    private settings: RateLimitSettings | undefined;
    private windowStart = 0;
    private used = 0;

    get current(): RateLimitSettings | undefined {
        return this.settings;
    }

    set(settings: RateLimitSettings): void {
        this.settings = settings;
        this.windowStart = this.clock.now();
        this.used = 0;
    }

    clear(): void {
        this.settings = undefined;
    }

    /** Counts one request; returns the headers to send and whether the request is over the budget. */
    take(): { headers: Record<string, string>; limited: boolean; retryAfterSeconds: number } | undefined {
        const s = this.settings;
        if (!s) return undefined;
        const now = this.clock.now();
        const windowMs = s.windowSeconds * 1000;
        if (now >= this.windowStart + windowMs) {
            this.windowStart = now - ((now - this.windowStart) % windowMs);
            this.used = 0;
        }
        const resetAt = this.windowStart + windowMs;
        const limited = this.used >= s.limit;
        if (!limited) this.used++;
        const retryAfterSeconds = Math.max(1, Math.ceil((resetAt - now) / 1000));
        return {
            limited,
            retryAfterSeconds,
            headers: {
                "X-FeatureRateLimit-Limit": String(s.limit),
                "X-FeatureRateLimit-Remaining": String(Math.max(0, s.limit - this.used)),
                "X-FeatureRateLimit-Reset": new Date(resetAt).toUTCString(),
            },
        };
    }
}

export function parseRateLimit(body: unknown): RateLimitSettings | string {
    const b = (body ?? {}) as Record<string, unknown>;
    if (typeof b.limit !== "number" || !Number.isInteger(b.limit) || b.limit < 0) return "limit must be an integer >= 0";
    if (typeof b.windowSeconds !== "number" || b.windowSeconds <= 0) return "windowSeconds must be a number > 0";
    return { limit: b.limit, windowSeconds: b.windowSeconds };
}

// Typed errors for Cloudinary API failures and configuration problems, and the base of every error a user can
// act on. They carry what a user needs to act (status, Cloudinary's error code and message, the fields it names)
// and never the request's credentials: axios errors hold the full request config (auth header included), so they
// are never passed on as they are.

/**
 * An error a user can act on (a setting, credentials, an API answer, a refused plan, a bad file), not a bug of
 * this package. An expected one is shown as its message alone, without a stack trace: by the provider
 * (runtime.ts), and by a program's language host, which does so for what the Pulumi SDK marks as a RunError.
 * `field` is the input or setting it concerns, when there is one.
 */
export class CloudinaryPermissionsError extends Error {
    readonly name: string = "CloudinaryPermissionsError";
    readonly expected: boolean;
    readonly field?: string;
    /** The Pulumi SDK's mark of a RunError (`pulumi.RunError.isInstance` reads it, across copies of the SDK). */
    readonly __pulumiRunError: boolean;

    constructor(message: string, options: { field?: string; expected?: boolean } = {}) {
        super(message);
        this.expected = options.expected ?? true;
        this.field = options.field;
        this.__pulumiRunError = this.expected;
    }
}

/** An error to show as its message alone (see CloudinaryPermissionsError). */
export function isExpected(e: unknown): e is CloudinaryPermissionsError {
    return e instanceof CloudinaryPermissionsError && e.expected;
}

export interface ErrorBody {
    error?: { category?: string; code?: string; message?: string; details?: unknown };
}

export class CloudinaryApiError extends CloudinaryPermissionsError {
    readonly name: string = "CloudinaryApiError";
    constructor(
        readonly status: number,
        readonly method: string,
        readonly path: string,
        readonly code: string | undefined,
        readonly apiMessage: string,
        readonly details: unknown,
        /** True when an earlier attempt of this request may have been committed before its reply was lost. */
        readonly afterLostReply = false,
    ) {
        super(describe(status, method, path, code, apiMessage, details));
    }

    get isNotFound(): boolean {
        return this.status === 404;
    }
    get isConflict(): boolean {
        return this.status === 409;
    }
}

/** A request that never got an HTTP answer (timeout, connection reset, DNS), after all retries. */
export class CloudinaryNetworkError extends CloudinaryPermissionsError {
    readonly name: string = "CloudinaryNetworkError";
    constructor(readonly method: string, readonly path: string, readonly reason: string) {
        super(`Cloudinary API ${method} ${path} failed without a response: ${reason}`);
    }
}

/** Configuration problems: missing or malformed settings, credentials Cloudinary refuses, an address that does not answer. */
export class CloudinaryConfigError extends CloudinaryPermissionsError {
    readonly name: string = "CloudinaryConfigError";
}

const UNREACHABLE_REASONS: Record<string, string> = {
    ECONNREFUSED: "connection refused: nothing listens there",
    ENOTFOUND: "the host name does not resolve",
    EAI_AGAIN: "the host name could not be resolved (DNS)",
    EHOSTUNREACH: "the host is unreachable",
    ENETUNREACH: "the network is unreachable",
};

/** The configured base URL does not answer at all: a wrong setting far more often than an outage, so no long backoff. */
export class CloudinaryUnreachableError extends CloudinaryConfigError {
    readonly name: string = "CloudinaryUnreachableError";
    constructor(readonly baseUrl: string, readonly source: string, readonly code: string) {
        const fix =
            source === "the default"
                ? "check this machine's network access to it"
                : `fix ${source}, or unset it to use Cloudinary's API (https://api.cloudinary.com)`;
        super(`Cannot reach the Cloudinary API at ${baseUrl} (${code}: ${UNREACHABLE_REASONS[code] ?? "no connection"}); the URL comes from ${source}: ${fix}.`, {
            // The setting (stack config key or environment variable) it came from, not "the default".
            field: /^(cloudinary:\w+|[A-Z_]+)$/.test(source) ? source : undefined,
        });
    }
}

function describe(status: number, method: string, path: string, code: string | undefined, message: string, details: unknown): string {
    const fields = describeFields(details);
    const codePart = code ? ` ${code}` : "";
    return `Cloudinary API ${method} ${path} failed: ${status}${codePart} ${message}${fields ? ` (${fields})` : ""}`;
}

function describeFields(details: unknown): string {
    const fields = (details as { fields?: unknown } | undefined)?.fields;
    if (!Array.isArray(fields)) return "";
    return fields
        .map((f) => (typeof f === "string" ? f : Object.entries(f as object).map(([k, v]) => `${k}: ${JSON.stringify(v)}`).join(", ")))
        .join("; ");
}

export function parseErrorBody(data: unknown): { code?: string; message: string; details?: unknown } {
    if (data && typeof data === "object" && "error" in data) {
        const e = (data as ErrorBody).error ?? {};
        return { code: e.code, message: e.message ?? "error", details: e.details };
    }
    if (typeof data === "string" && data.length > 0) return { message: data.slice(0, 300) };
    return { message: "no error body" };
}

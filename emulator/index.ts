// In-process entry point: start the emulator on a port (0 = a free one) and drive it from tests.
import type { Clock } from "./clock";
import { FaultSettings, RateLimitSettings } from "./faults";
import type { EmulatorState } from "./model";
import { parsePageSize } from "./paging";
import { ACCOUNT_API_KEY, ACCOUNT_API_SECRET, ACCOUNT_ID, DEFAULT_PORT, PROD, STAGING } from "./seed";
import { Stats, createServer } from "./server";
import { MemoryStore } from "./state";

export type { Clock } from "./clock";
export type { FaultSettings, RateLimitSettings } from "./faults";
export type { Stats } from "./stats";
export type { EmulatorState } from "./model";
export { validateResponse, validateRequestBody, loadSpec, matchOperation } from "./openapi";
export { parsePageSize };
export * as seed from "./seed";

export interface EmulatorOptions {
    /** 0 picks a free port; default 4100. */
    port?: number;
    host?: string;
    /** JSON file holding the state: loaded at start when it exists, written after each committed write. */
    stateFile?: string;
    /** Check every response against the specs and answer 500 on a mismatch (default true). */
    validateResponses?: boolean;
    /**
     * The server's page size for the listings the specs page (README "Paging"); undefined (the default): a listing
     * is one page unless the request asks for less.
     */
    pageSize?: number;
    /** Time for the rate limit's window and the injected latency; tests give a fake clock (default: the system's). */
    clock?: Clock;
    quiet?: boolean;
}

export interface ProductEnvironmentCredentials {
    id: string;
    cloudName: string;
    apiKey: string;
    apiSecret: string;
    /** cloudinary://KEY:SECRET@CLOUD_NAME */
    cloudinaryUrl: string;
}

export interface EmulatorCredentials {
    accountId: string;
    accountApiKey: string;
    accountApiSecret: string;
    /** account://KEY:SECRET@ACCOUNT_ID */
    accountUrl: string;
    productEnvironments: ProductEnvironmentCredentials[];
}

export interface EmulatorHandle {
    /** http://127.0.0.1:PORT */
    url: string;
    port: number;
    credentials: EmulatorCredentials;
    stats(): Promise<Stats>;
    resetStats(): void;
    /** State back to the seed, stats cleared, faults, rate limit and page size as at start. */
    reset(): Promise<void>;
    setFaults(faults: FaultSettings): void;
    clearFaults(): void;
    setRateLimit(limit: RateLimitSettings): void;
    clearRateLimit(): void;
    /** The page size in force until clearPageSize() or reset(), which go back to the one given at start. */
    setPageSize(size: number): void;
    clearPageSize(): void;
    state(): EmulatorState;
    stop(): Promise<void>;
}

export const credentials: EmulatorCredentials = {
    accountId: ACCOUNT_ID,
    accountApiKey: ACCOUNT_API_KEY,
    accountApiSecret: ACCOUNT_API_SECRET,
    accountUrl: `account://${ACCOUNT_API_KEY}:${ACCOUNT_API_SECRET}@${ACCOUNT_ID}`,
    productEnvironments: [PROD, STAGING].map((pe) => ({
        id: pe.id,
        cloudName: pe.cloudName,
        apiKey: pe.adminKey,
        apiSecret: pe.adminSecret,
        cloudinaryUrl: `cloudinary://${pe.adminKey}:${pe.adminSecret}@${pe.cloudName}`,
    })),
};

export async function startEmulator(opts: EmulatorOptions = {}): Promise<EmulatorHandle> {
    const log = opts.quiet ? () => undefined : (m: string) => process.stderr.write(`[cloudinary-emulator] ${m}\n`);
    const pageSize = opts.pageSize === undefined ? undefined : parsePageSize(opts.pageSize);
    if (typeof pageSize === "string") throw new Error(`startEmulator: pageSize: ${pageSize}`);
    const store = new MemoryStore(opts.stateFile, log);
    const server = createServer({ store, validateResponses: opts.validateResponses ?? true, pageSize, clock: opts.clock, log });
    const host = opts.host ?? "127.0.0.1";
    await server.app.listen({ port: opts.port ?? DEFAULT_PORT, host });
    const address = server.app.server.address();
    const port = typeof address === "object" && address ? address.port : (opts.port ?? DEFAULT_PORT);
    return {
        url: `http://${host}:${port}`,
        port,
        credentials,
        stats: async () => server.stats(),
        resetStats: () => server.resetStats(),
        reset: async () => {
            store.reset();
            server.resetStats();
            server.faults.clear();
            server.rateLimit.clear();
            server.pageSize.clear();
        },
        setFaults: (f) => server.faults.set(f),
        clearFaults: () => server.faults.clear(),
        setRateLimit: (l) => server.rateLimit.set(l),
        clearRateLimit: () => server.rateLimit.clear(),
        setPageSize: (size) => server.pageSize.set(size),
        clearPageSize: () => server.pageSize.clear(),
        state: () => store.snapshot(),
        stop: async () => {
            await server.app.close();
            store.persist();
        },
    };
}

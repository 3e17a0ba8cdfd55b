// Shared by the emulator tests: an in-process emulator per test file, and an HTTP client that checks every API
// response it sees against the official specs with the tests' own validator (contract.ts, not the emulator's):
// a response that breaks them, or a path or method they do not have, fails the test that sent it.
import * as assert from "node:assert/strict";
import { EmulatorHandle, EmulatorOptions, startEmulator } from "../../emulator";
import { ACCOUNT_API_KEY, ACCOUNT_API_SECRET, ACCOUNT_ID, PROD, STAGING } from "../../emulator/seed";
import { responseProblem, specOf } from "./contract";

export const PERMISSIONS = `/v2/accounts/${ACCOUNT_ID}/permissions`;
export const PROVISIONING = `/v1_1/provisioning/accounts/${ACCOUNT_ID}`;
export const PROD_ADMIN = `/v1_1/${PROD.cloudName}`;
export const STAGING_ADMIN = `/v1_1/${STAGING.cloudName}`;

export type AuthName = "account" | "prod" | "prodIntegration" | "staging" | "none";
const AUTH: Record<Exclude<AuthName, "none">, [string, string]> = {
    account: [ACCOUNT_API_KEY, ACCOUNT_API_SECRET],
    prod: [PROD.adminKey, PROD.adminSecret],
    prodIntegration: [PROD.integrationKey, PROD.integrationSecret],
    staging: [STAGING.adminKey, STAGING.adminSecret],
};

export interface CallOptions {
    /** Which credentials to send; by default the ones the path needs. */
    auth?: AuthName | [string, string];
    body?: unknown;
    /** A raw body string (sent as JSON content type). */
    rawBody?: string;
    query?: Record<string, string | number | boolean | string[]>;
}

export interface Response<T = any> {
    status: number;
    body: T;
    headers: Headers;
}

/** How many API responses the suite checked against the specs. */
export const responseLog = { validated: 0 };

function defaultAuth(path: string): AuthName {
    if (path.startsWith(`/v1_1/${STAGING.cloudName}`)) return "staging";
    if (path.startsWith("/v1_1/") && !path.startsWith("/v1_1/provisioning")) return "prod";
    if (path.startsWith("/v2/accounts/permissions/public") || path.startsWith("/_emulator")) return "none";
    return "account";
}

export class Client {
    constructor(readonly baseUrl: string) {}

    async call<T = any>(method: string, path: string, options: CallOptions = {}): Promise<Response<T>> {
        const url = new URL(this.baseUrl + path);
        for (const [k, v] of Object.entries(options.query ?? {})) {
            if (Array.isArray(v)) for (const item of v) url.searchParams.append(k, item);
            else url.searchParams.set(k, String(v));
        }
        const headers: Record<string, string> = {};
        const auth = options.auth ?? defaultAuth(path);
        if (auth !== "none") {
            const [user, pass] = Array.isArray(auth) ? auth : AUTH[auth];
            headers.authorization = `Basic ${Buffer.from(`${user}:${pass}`).toString("base64")}`;
        }
        let body: string | undefined;
        if (options.rawBody !== undefined) body = options.rawBody;
        else if (options.body !== undefined) body = JSON.stringify(options.body);
        if (body !== undefined) headers["content-type"] = "application/json";
        const res = await fetch(url, { method, headers, body });
        const text = await res.text();
        const parsed = text ? JSON.parse(text) : undefined;
        if (specOf(url.pathname)) {
            const problem = await responseProblem(method, url.pathname, res.status, parsed);
            assert.equal(problem, undefined, "the response breaks the official spec");
            responseLog.validated++;
        }
        return { status: res.status, body: parsed as T, headers: res.headers };
    }

    get<T = any>(path: string, options?: CallOptions) {
        return this.call<T>("GET", path, options);
    }
    post<T = any>(path: string, body?: unknown, options: CallOptions = {}) {
        return this.call<T>("POST", path, { ...options, body });
    }
    put<T = any>(path: string, body?: unknown, options: CallOptions = {}) {
        return this.call<T>("PUT", path, { ...options, body });
    }
    delete<T = any>(path: string, options?: CallOptions) {
        return this.call<T>("DELETE", path, options);
    }
}

export interface Fixture {
    emulator: EmulatorHandle;
    api: Client;
}

/** Starts one emulator for the file (free port, quiet), resets it before each test, stops it after. */
export function useEmulator(options: Pick<EmulatorOptions, "clock" | "pageSize"> = {}): Fixture {
    const fixture = {} as Fixture;
    before(async () => {
        fixture.emulator = await startEmulator({ port: 0, quiet: true, ...options });
        fixture.api = new Client(fixture.emulator.url);
    });
    beforeEach(async () => {
        await assertServerValidatedEverything(fixture.emulator);
        await fixture.emulator.reset();
    });
    after(async () => {
        if (!fixture.emulator) return;
        await assertServerValidatedEverything(fixture.emulator);
        await fixture.emulator.stop();
    });
    return fixture;
}

/** The emulator's own response check must not have caught anything either. */
export async function assertServerValidatedEverything(emulator: EmulatorHandle): Promise<void> {
    const { responseValidation } = await emulator.stats();
    assert.equal(responseValidation.failed, 0, `emulator produced invalid responses: ${responseValidation.failures.join("\n")}`);
}

export function expectError(res: Response, expected: { status: number; body: unknown }): void {
    assert.deepEqual({ status: res.status, body: res.body }, expected);
}

export function missingFields(...fields: string[]) {
    return { status: 400, body: { error: { category: "user_error", code: "ACCOUNTS_00005", message: "missing fields", details: { fields } } } };
}

export function invalidField(field: string, value: unknown) {
    return { status: 400, body: { error: { category: "user_error", code: "ACCOUNTS_00005", message: "invalid request", details: { fields: [{ [field]: value }] } } } };
}

export function notFound(field: string, value: unknown) {
    return { status: 404, body: { error: { category: "server_error", code: "ACCOUNTS_00003", message: "not found", details: { fields: [{ [field]: value }] } } } };
}

export function alreadyExists(field: string, value: unknown) {
    return { status: 409, body: { error: { category: "user_error", code: "ACCOUNTS_00006", message: "already exists", details: { fields: [{ [field]: value }] } } } };
}

export const FORBIDDEN = { status: 403, body: { error: { category: "user_error", code: "ACCOUNTS_00006", message: "not allowed" } } };
export const UNAUTHORIZED = { status: 401, body: { error: { category: "user_error", code: "ACCOUNTS_00006", message: "invalid credentials" } } };

// Root hook (this module is loaded once): the suite must have checked responses at all.
after(function () {
    assert.ok(responseLog.validated > 0, "no API response was checked against the specs");
});

// The HTTP server: one pipeline for every API route (stats, rate limit, faults, auth, query and body checks
// against the spec, the handler, response validation), plus the /_emulator test controls.
import Fastify, { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { ApiError, errorStyles } from "./errors";
import { FaultInjector, RateLimiter, parseFaults, parseRateLimit } from "./faults";
import { checkQuery, fieldsOfErrors, getOperation, validateRequestBody, validateResponse } from "./openapi";
import { adminRoutes } from "./routes/admin";
import { permissionsRoutes } from "./routes/permissions";
import { provisioningRoutes } from "./routes/provisioning";
import { ProblemError, ProductEnvironmentRecord } from "./model";
import type { RouteDef, RouteResult } from "./routes/types";
import { Store } from "./state";

export interface Stats {
    total: number;
    writes: number;
    committedWrites: number;
    byRoute: Record<string, number>;
    byStatus: Record<string, number>;
    /** Every API response is checked against the spec; failures are emulator bugs. */
    responseValidation: { checked: number; failed: number; failures: string[] };
}

export interface ServerOptions {
    store: Store;
    validateResponses: boolean;
    log: (message: string) => void;
}

export interface EmulatorServer {
    app: FastifyInstance;
    faults: FaultInjector;
    rateLimit: RateLimiter;
    stats(): Stats;
    resetStats(): void;
}

const INVALID_JSON = Symbol("invalid-json");

function emptyStats(): Stats {
    return { total: 0, writes: 0, committedWrites: 0, byRoute: {}, byStatus: {}, responseValidation: { checked: 0, failed: 0, failures: [] } };
}

function fastifyUrl(specPath: string): string {
    return specPath.replace(/\{([^}]+)\}/g, ":$1");
}

function parseBasicAuth(header: string | undefined): { user: string; pass: string } | undefined {
    if (!header || !/^basic /i.test(header)) return undefined;
    const decoded = Buffer.from(header.slice(6).trim(), "base64").toString("utf8");
    const i = decoded.indexOf(":");
    if (i < 0) return undefined;
    return { user: decoded.slice(0, i), pass: decoded.slice(i + 1) };
}

const toResult = (e: ApiError): RouteResult => ({ status: e.status, body: e.body, headers: e.headers });

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function createServer(options: ServerOptions): EmulatorServer {
    const { store, log } = options;
    const app = Fastify({ logger: false, bodyLimit: 10 * 1024 * 1024, routerOptions: { maxParamLength: 1000 } });
    const faults = new FaultInjector();
    const rateLimit = new RateLimiter();
    let stats = emptyStats();

    // Bodies: JSON, tolerating an empty body (clients send POSTs without one) and reporting broken JSON in the
    // API's own error shape rather than fastify's.
    app.removeAllContentTypeParsers();
    app.addContentTypeParser("*", { parseAs: "string" }, (_req, body, done) => {
        const text = String(body ?? "").trim();
        if (text === "") return done(null, undefined);
        try {
            done(null, JSON.parse(text));
        } catch {
            done(null, INVALID_JSON);
        }
    });

    function bump(map: Record<string, number>, key: string): void {
        map[key] = (map[key] ?? 0) + 1;
    }

    function send(route: RouteDef, reply: FastifyReply, result: RouteResult, extraHeaders: Record<string, string> | undefined): FastifyReply {
        let { status, body } = result;
        const headers = { ...(extraHeaders ?? {}), ...(result.headers ?? {}) };
        if (options.validateResponses) {
            const check = validateResponse(route.spec, route.method, route.specPath, status, body);
            stats.responseValidation.checked++;
            if (!check.valid) {
                stats.responseValidation.failed++;
                if (stats.responseValidation.failures.length < 50) stats.responseValidation.failures.push(check.message);
                // Always reported, even when quiet: an invalid response is an emulator bug.
                process.stderr.write(`[cloudinary-emulator] EMULATOR BUG: invalid response: ${check.message}\n`);
                status = 500;
                const message = `emulator response validation failed: ${check.message}`;
                body = errorStyles[route.family].internal(message).body;
            }
        }
        bump(stats.byStatus, String(status));
        reply.code(status).headers(headers);
        if (body === undefined) return reply.send();
        return reply.type("application/json; charset=utf-8").send(JSON.stringify(body));
    }

    function authenticate(route: RouteDef, req: FastifyRequest, params: Record<string, string>): ApiError | ProductEnvironmentRecord | undefined {
        if (route.auth === "none") return undefined;
        const creds = parseBasicAuth(req.headers.authorization);
        if (route.auth === "account") {
            if (!creds || creds.user !== store.accountApiKey || creds.pass !== store.accountApiSecret) return errorStyles[route.family].auth(401);
            if (params.account_id !== store.accountId) return errorStyles[route.family].auth(403);
            return undefined;
        }
        const found = creds ? store.apiKeys.get(creds.user) : undefined;
        if (!creds || !found || found.key.secret !== creds.pass || !found.key.enabled) return errorStyles.admin.auth(401);
        if (found.pe.cloudName !== params.cloud_name) return errorStyles.admin.auth(403, `API key ${creds.user} is not allowed for cloud ${params.cloud_name}`);
        return found.pe;
    }

    function register(route: RouteDef): void {
        getOperation(route.spec, route.method, route.specPath); // fail at start if the spec lacks the operation
        const url = route.url ?? fastifyUrl(route.specPath);
        const statsKey = `${route.method} ${url}`;
        app.route({
            method: route.method,
            url,
            handler: async (req, reply) => {
                stats.total++;
                bump(stats.byRoute, statsKey);
                if (route.write) stats.writes++;
                const rl = rateLimit.take();
                const delay = faults.latency();
                if (delay > 0) await sleep(delay);
                if (rl?.limited) {
                    return send(route, reply, toResult(errorStyles[route.family].fault(429, { "Retry-After": String(rl.retryAfterSeconds) })), rl.headers);
                }
                const injected = faults.drawFault(statsKey);
                if (injected !== undefined) {
                    const headers: Record<string, string> = injected === 429 || injected === 420 || injected === 503 ? { "Retry-After": String(faults.retryAfterSeconds()) } : {};
                    return send(route, reply, toResult(errorStyles[route.family].fault(injected, headers)), rl?.headers);
                }
                const params = (req.params ?? {}) as Record<string, string>;
                let result: RouteResult;
                try {
                    const auth = authenticate(route, req, params);
                    if (auth instanceof ApiError) throw auth;
                    const q = checkQuery(route.spec, route.method, route.specPath, (req.query ?? {}) as Record<string, unknown>);
                    if (q.missing.length || q.invalid.length) throw errorStyles[route.family].badRequest(q.missing, q.invalid);
                    let body = req.body;
                    if (body === INVALID_JSON) throw errorStyles[route.family].badRequest([], [{ body: "invalid JSON" }]);
                    const op = getOperation(route.spec, route.method, route.specPath);
                    if (op.requestBodyPointer) {
                        const check = validateRequestBody(route.spec, route.method, route.specPath, body);
                        if (!check.valid) {
                            const f = fieldsOfErrors(check.errors, body);
                            throw errorStyles[route.family].badRequest(f.missing, f.invalid);
                        }
                    } else {
                        body = undefined;
                    }
                    result = await route.handler({ store, params, query: q.values, body, productEnvironment: auth ?? undefined });
                } catch (e) {
                    if (e instanceof ApiError) result = { status: e.status, body: e.body, headers: e.headers };
                    else if (e instanceof ProblemError) {
                        const apiError = errorStyles[route.family].fromProblem(e.problem);
                        result = { status: apiError.status, body: apiError.body };
                    } else {
                        log(`handler error in ${statsKey}: ${(e as Error).stack ?? String(e)}`);
                        result = toResult(errorStyles[route.family].internal());
                    }
                }
                // One commit per successful write route; a write that changed nothing commits nothing.
                const committed = route.write && result.status < 400 && store.commit();
                if (committed) stats.committedWrites++;
                if (committed && faults.drawDrop(statsKey)) {
                    // A lost reply: the write is committed, the client sees the connection die.
                    bump(stats.byStatus, "dropped");
                    reply.hijack();
                    req.raw.socket?.destroy();
                    return;
                }
                return send(route, reply, result, rl?.headers);
            },
        });
    }

    for (const route of [...permissionsRoutes(), ...provisioningRoutes(), ...adminRoutes()]) register(route);

    // ---- test controls: no auth, not counted, never faulted ------------------------------------------------
    const control = (reply: FastifyReply, status: number, body?: unknown) => {
        reply.code(status);
        return body === undefined ? reply.send() : reply.type("application/json; charset=utf-8").send(JSON.stringify(body));
    };
    app.get("/_emulator/stats", async (_req, reply) => control(reply, 200, stats));
    app.get("/_emulator/state", async (_req, reply) => control(reply, 200, store.snapshot()));
    app.post("/_emulator/reset", async (req, reply) => {
        const only = (req.query as Record<string, string> | undefined)?.only;
        if (only !== "stats") store.reset();
        stats = emptyStats();
        return control(reply, 200, { ok: true, reset: only === "stats" ? "stats" : "state and stats" });
    });
    app.get("/_emulator/faults", async (_req, reply) => control(reply, 200, { faults: faults.current ?? null, rateLimit: rateLimit.current ?? null }));
    app.put("/_emulator/faults", async (req, reply) => {
        const parsed = parseFaults(req.body === INVALID_JSON ? null : req.body);
        if (typeof parsed === "string") return control(reply, 400, { error: { message: parsed } });
        faults.set(parsed);
        return control(reply, 200, { faults: parsed });
    });
    app.delete("/_emulator/faults", async (_req, reply) => {
        faults.clear();
        return control(reply, 200, { faults: null });
    });
    app.put("/_emulator/rate-limit", async (req, reply) => {
        const parsed = parseRateLimit(req.body === INVALID_JSON ? null : req.body);
        if (typeof parsed === "string") return control(reply, 400, { error: { message: parsed } });
        rateLimit.set(parsed);
        return control(reply, 200, { rateLimit: parsed });
    });
    app.delete("/_emulator/rate-limit", async (_req, reply) => {
        rateLimit.clear();
        return control(reply, 200, { rateLimit: null });
    });

    app.setNotFoundHandler((req, reply) => {
        stats.total++;
        bump(stats.byRoute, `${req.method} (no such route)`);
        bump(stats.byStatus, "404");
        return control(reply, 404, { error: { message: `no such route: ${req.method} ${req.url.split("?")[0]}` } });
    });

    return {
        app,
        faults,
        rateLimit,
        stats: () => JSON.parse(JSON.stringify(stats)) as Stats,
        resetStats: () => {
            stats = emptyStats();
        },
    };
}

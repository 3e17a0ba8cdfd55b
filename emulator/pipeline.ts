// The request pipeline of every API route, one small stage each: stats -> rate limit and latency -> injected
// faults -> auth -> query and body checks against the spec -> handler -> commit -> response validation -> reply.
// Whatever a stage or the handler throws as a domain problem, the route's API mapper turns into HTTP.
import type { FastifyReply, FastifyRequest } from "fastify";
import { authenticate } from "./auth";
import type { Clock } from "./clock";
import { ErrorMapper, errorMappers, Reply } from "./errors";
import type { FaultInjector, RateLimiter } from "./faults";
import { INVALID_JSON, sendJson } from "./http";
import { checkQuery, fieldsOfErrors, getOperation, validateRequestBody, validateResponse } from "./openapi";
import type { PageSizeSetting } from "./paging";
import { invalid, invalidFields, missing, ProblemError } from "./problems";
import type { RouteContext, RouteDef } from "./routes/types";
import type { StatsCounter } from "./stats";
import type { Store } from "./store";

/** What the stages share across requests. */
export interface PipelineDeps {
    store: Store;
    faults: FaultInjector;
    rateLimit: RateLimiter;
    pageSize: PageSizeSetting;
    clock: Clock;
    stats: StatsCounter;
    validateResponses: boolean;
    log: (message: string) => void;
}

/** One API request on its way through the stages. */
interface Call {
    route: RouteDef;
    errors: ErrorMapper;
    /** Method and route template: the key of stats' byRoute and of fault settings' routes. */
    routeKey: string;
    req: FastifyRequest;
    /** The rate limit's X-FeatureRateLimit-* headers, sent with every reply once a limit is set. */
    rateLimitHeaders?: Record<string, string>;
}

type Handler = (req: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply | undefined>;

/** The fastify handler of one API route. */
export function pipeline(deps: PipelineDeps, route: RouteDef, routeKey: string): Handler {
    const errors = errorMappers[route.family];
    return async (req, reply) => {
        const call: Call = { route, errors, routeKey, req };
        deps.stats.request(routeKey, route.write);
        const refusal = (await throttle(deps, call)) ?? injectFault(deps, call);
        if (refusal) return respond(deps, call, reply, refusal);
        const result = await perform(deps, call);
        if (commitWrite(deps, call, result) && deps.faults.drawDrop(routeKey)) return dropReply(deps, call, reply);
        return respond(deps, call, reply, result);
    };
}

/** Counts the request against the rate limit and waits the injected latency; a 429 when over the limit. */
async function throttle(deps: PipelineDeps, call: Call): Promise<Reply | undefined> {
    const rl = deps.rateLimit.take();
    call.rateLimitHeaders = rl?.headers;
    const delay = deps.faults.latency();
    if (delay > 0) await deps.clock.sleep(delay);
    if (!rl?.limited) return undefined;
    return call.errors.fault(429, { "Retry-After": String(rl.retryAfterSeconds) });
}

/** An injected fault instead of the operation, if one is drawn; throttling statuses carry Retry-After. */
function injectFault(deps: PipelineDeps, call: Call): Reply | undefined {
    const status = deps.faults.drawFault(call.routeKey);
    if (status === undefined) return undefined;
    const throttled = status === 429 || status === 420 || status === 503;
    return call.errors.fault(status, throttled ? { "Retry-After": String(deps.faults.retryAfterSeconds()) } : {});
}

/** Checks the request, runs the handler, and maps whatever it throws to the API's error reply. */
async function perform(deps: PipelineDeps, call: Call): Promise<Reply> {
    try {
        return await call.route.handler(routeContext(deps, call));
    } catch (e) {
        if (e instanceof ProblemError) return call.errors.problem(e.problem);
        deps.log(`handler error in ${call.routeKey}: ${(e as Error).stack ?? String(e)}`);
        return call.errors.internal();
    }
}

function routeContext(deps: PipelineDeps, call: Call): RouteContext {
    const params = (call.req.params ?? {}) as Record<string, string>;
    const productEnvironment = authenticate(deps.store, call.route, call.req.headers.authorization, params);
    const query = readQuery(call);
    const body = readBody(call);
    return { store: deps.store, params, query, extraQuery: readExtraQuery(call), body, productEnvironment, pageSize: deps.pageSize.current };
}

/** The query parameters the spec declares, coerced; missing or invalid ones are problems. */
function readQuery(call: Call): Record<string, unknown> {
    const { spec, method, specPath } = call.route;
    const q = checkQuery(spec, method, specPath, (call.req.query ?? {}) as Record<string, unknown>);
    if (q.missing.length) throw missing(...q.missing);
    if (q.invalid.length) throw invalidFields(q.invalid.map((f) => ({ field: Object.keys(f)[0], value: Object.values(f)[0] })));
    return q.values;
}

/** The undeclared parameters the route reads (RouteDef.extraQuery), one value each. */
function readExtraQuery(call: Call): Record<string, string | undefined> {
    const raw = (call.req.query ?? {}) as Record<string, unknown>;
    const values: Record<string, string | undefined> = {};
    for (const name of call.route.extraQuery ?? []) {
        const value = raw[name];
        if (value !== undefined && typeof value !== "string") throw invalid(name, value, "given once");
        values[name] = value === "" ? undefined : value;
    }
    return values;
}

/** The body checked against the spec; dropped for operations whose spec has no request body. */
function readBody(call: Call): unknown {
    const { spec, method, specPath } = call.route;
    const body = call.req.body;
    if (body === INVALID_JSON) throw invalid("body", "invalid JSON");
    if (!getOperation(spec, method, specPath).requestBodyPointer) return undefined;
    const check = validateRequestBody(spec, method, specPath, body);
    if (check.valid) return body;
    const fields = fieldsOfErrors(check.errors, body);
    if (fields.missing.length) throw missing(...fields.missing);
    throw invalidFields(fields.invalid.map((f) => ({ field: Object.keys(f)[0], value: Object.values(f)[0] })));
}

/** One commit per successful write route; a write that changed nothing commits nothing. */
function commitWrite(deps: PipelineDeps, call: Call, result: Reply): boolean {
    const committed = call.route.write && result.status < 400 && deps.store.commit();
    if (committed) deps.stats.committed();
    return committed;
}

/** A lost reply: the write is committed, the client sees the connection die. */
function dropReply(deps: PipelineDeps, call: Call, reply: FastifyReply): undefined {
    deps.stats.reply("dropped");
    reply.hijack();
    call.req.raw.socket?.destroy();
    return undefined;
}

function respond(deps: PipelineDeps, call: Call, reply: FastifyReply, result: Reply): FastifyReply {
    const headers = { ...(call.rateLimitHeaders ?? {}), ...(result.headers ?? {}) };
    const { status, body } = deps.validateResponses ? validated(deps, call, result) : result;
    deps.stats.reply(status);
    return sendJson(reply, status, body, headers);
}

/** The result, or a 500 when it breaks the spec: an emulator bug, reported even when quiet. */
function validated(deps: PipelineDeps, call: Call, result: Reply): Reply {
    const { spec, method, specPath } = call.route;
    const check = validateResponse(spec, method, specPath, result.status, result.body);
    deps.stats.responseChecked(check.valid ? undefined : check.message);
    if (check.valid) return result;
    process.stderr.write(`[cloudinary-emulator] EMULATOR BUG: invalid response: ${check.message}\n`);
    return { status: 500, body: call.errors.internal(`emulator response validation failed: ${check.message}`).body };
}

// The HTTP server: every API route behind the request pipeline (pipeline.ts), the /_emulator test controls
// (controls.ts), and a 404 for anything else.
import Fastify, { FastifyInstance } from "fastify";
import { Clock, systemClock } from "./clock";
import { registerControls } from "./controls";
import { FaultInjector, RateLimiter } from "./faults";
import { acceptJsonBodies, sendJson } from "./http";
import { getOperation } from "./openapi";
import { PageSizeSetting } from "./paging";
import { PipelineDeps, pipeline } from "./pipeline";
import { adminRoutes } from "./routes/admin";
import { permissionsRoutes } from "./routes/permissions";
import { provisioningRoutes } from "./routes/provisioning";
import type { RouteDef } from "./routes/types";
import type { Store } from "./store";
import { Stats, StatsCounter } from "./stats";

export type { Stats } from "./stats";

export interface ServerOptions {
    store: Store;
    validateResponses: boolean;
    /** The server's page size at start; undefined: listings are one page unless a request asks for less. */
    pageSize?: number;
    /** Time for the rate limit and the injected latency (default: the system's). */
    clock?: Clock;
    log: (message: string) => void;
}

export interface EmulatorServer {
    app: FastifyInstance;
    faults: FaultInjector;
    rateLimit: RateLimiter;
    pageSize: PageSizeSetting;
    stats(): Stats;
    resetStats(): void;
}

function fastifyUrl(specPath: string): string {
    return specPath.replace(/\{([^}]+)\}/g, ":$1");
}

function registerRoute(app: FastifyInstance, deps: PipelineDeps, route: RouteDef): void {
    getOperation(route.spec, route.method, route.specPath); // fail at start if the spec lacks the operation
    const url = route.url ?? fastifyUrl(route.specPath);
    app.route({ method: route.method, url, handler: pipeline(deps, route, `${route.method} ${url}`) });
}

function registerNotFound(app: FastifyInstance, stats: StatsCounter): void {
    app.setNotFoundHandler((req, reply) => {
        stats.request(`${req.method} (no such route)`, false);
        stats.reply(404);
        return sendJson(reply, 404, { error: { message: `no such route: ${req.method} ${req.url.split("?")[0]}` } });
    });
}

export function createServer(options: ServerOptions): EmulatorServer {
    const app = Fastify({ logger: false, bodyLimit: 10 * 1024 * 1024, routerOptions: { maxParamLength: 1000 } });
    const { pageSize, clock = systemClock, ...rest } = options;
    const deps: PipelineDeps = { ...rest, clock, faults: new FaultInjector(), rateLimit: new RateLimiter(clock), pageSize: new PageSizeSetting(pageSize), stats: new StatsCounter() };
    acceptJsonBodies(app);
    for (const route of [...permissionsRoutes(), ...provisioningRoutes(), ...adminRoutes()]) registerRoute(app, deps, route);
    registerControls(app, deps);
    registerNotFound(app, deps.stats);
    return {
        app,
        faults: deps.faults,
        rateLimit: deps.rateLimit,
        pageSize: deps.pageSize,
        stats: () => deps.stats.snapshot(),
        resetStats: () => deps.stats.reset(),
    };
}

// What a route is and what its handler sees and returns: shared by the route tables and the server, kept apart
// from both so that neither imports the other.
import type { ErrorFamily } from "../errors";
import type { ProductEnvironmentRecord } from "../model";
import type { SpecName } from "../openapi";
import type { Store } from "../state";

export interface RouteContext {
    store: Store;
    params: Record<string, string>;
    /** Query parameters the spec declares, coerced to their types (booleans, arrays, parsed JSON). */
    query: Record<string, unknown>;
    body: unknown;
    /** For Admin API routes: the product environment named by cloud_name (authenticated). */
    productEnvironment?: ProductEnvironmentRecord;
}

export interface RouteResult {
    status: number;
    body?: unknown;
    headers?: Record<string, string>;
}

export interface RouteDef {
    spec: SpecName;
    family: ErrorFamily;
    method: "GET" | "POST" | "PUT" | "DELETE";
    /** The operation's path template in the spec. */
    specPath: string;
    /** The fastify route when it differs from the spec path ({folder} spans several segments). */
    url?: string;
    auth: "account" | "admin" | "none";
    /** A state-changing operation (counted in `writes`). */
    write: boolean;
    handler: (ctx: RouteContext) => RouteResult | Promise<RouteResult>;
}

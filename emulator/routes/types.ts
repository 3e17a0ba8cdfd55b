// What a route is and what its handler sees and returns: shared by the route tables and the server, kept apart
// from both so that neither imports the other.
import type { ErrorFamily } from "../errors";
import type { ProductEnvironmentRecord } from "../model";
import type { SpecName } from "../openapi";
import type { Store } from "../store";

export interface RouteContext {
    store: Store;
    params: Record<string, string>;
    /** Query parameters the spec declares, coerced to their types (booleans, arrays, parsed JSON). */
    query: Record<string, unknown>;
    /** The route's `extraQuery` parameters, as sent (strings). */
    extraQuery: Record<string, string | undefined>;
    body: unknown;
    /** For Admin API routes: the product environment named by cloud_name (authenticated). */
    productEnvironment?: ProductEnvironmentRecord;
    /** The server's page size; undefined: a listing is one page unless the request asks for less. */
    pageSize: number | undefined;
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
    /**
     * Query parameters the spec does not declare for the operation but its paging needs (the README says which
     * and why); read as strings into `extraQuery`.
     */
    extraQuery?: readonly string[];
    auth: "account" | "admin" | "none";
    /** A state-changing operation (counted in `writes`). */
    write: boolean;
    handler: (ctx: RouteContext) => RouteResult | Promise<RouteResult>;
}

/** Builds the routes of one API: the spec, error family and usual auth are the table's. */
export type RouteMaker = (method: RouteDef["method"], specPath: string, write: boolean, handler: RouteDef["handler"], options?: Partial<Pick<RouteDef, "auth" | "extraQuery" | "url">>) => RouteDef;

// Basic authentication of the API routes: the account's provisioning key for the account APIs, a product
// environment's API key for its Admin API.
import type { ErrorStyle } from "./errors";
import type { ProductEnvironmentRecord } from "./model";
import type { RouteDef } from "./routes/types";
import type { Store } from "./state";

function parseBasicAuth(header: string | undefined): { user: string; pass: string } | undefined {
    if (!header || !/^basic /i.test(header)) return undefined;
    const decoded = Buffer.from(header.slice(6).trim(), "base64").toString("utf8");
    const i = decoded.indexOf(":");
    if (i < 0) return undefined;
    return { user: decoded.slice(0, i), pass: decoded.slice(i + 1) };
}

function checkAccountKey(store: Store, errors: ErrorStyle, header: string | undefined, params: Record<string, string>): void {
    const creds = parseBasicAuth(header);
    if (!creds || creds.user !== store.accountApiKey || creds.pass !== store.accountApiSecret) throw errors.auth(401);
    if (params.account_id !== store.accountId) throw errors.auth(403);
}

function checkAdminKey(store: Store, errors: ErrorStyle, header: string | undefined, params: Record<string, string>): ProductEnvironmentRecord {
    const creds = parseBasicAuth(header);
    const found = creds ? store.apiKeys.get(creds.user) : undefined;
    if (!creds || !found || found.key.secret !== creds.pass || !found.key.enabled) throw errors.auth(401);
    if (found.pe.cloudName !== params.cloud_name) throw errors.auth(403, `API key ${creds.user} is not allowed for cloud ${params.cloud_name}`);
    return found.pe;
}

/**
 * Throws the route's 401/403 when the Authorization header does not fit the route; for Admin API routes,
 * returns the product environment the key belongs to.
 */
export function authenticate(store: Store, route: RouteDef, errors: ErrorStyle, header: string | undefined, params: Record<string, string>): ProductEnvironmentRecord | undefined {
    if (route.auth === "account") checkAccountKey(store, errors, header, params);
    if (route.auth === "admin") return checkAdminKey(store, errors, header, params);
    return undefined;
}

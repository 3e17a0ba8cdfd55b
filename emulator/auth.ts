// Basic authentication of the API routes: the account's provisioning key for the account APIs, a product
// environment's API key for its Admin API.
import type { ProductEnvironmentRecord } from "./model";
import { forbidden, unauthenticated } from "./problems";
import type { RouteDef } from "./routes/types";
import type { AccountReader } from "./store";

function parseBasicAuth(header: string | undefined): { user: string; pass: string } | undefined {
    if (!header || !/^basic /i.test(header)) return undefined;
    const decoded = Buffer.from(header.slice(6).trim(), "base64").toString("utf8");
    const i = decoded.indexOf(":");
    if (i < 0) return undefined;
    return { user: decoded.slice(0, i), pass: decoded.slice(i + 1) };
}

function checkAccountKey(store: AccountReader, header: string | undefined, params: Record<string, string>): void {
    const creds = parseBasicAuth(header);
    if (!creds || creds.user !== store.accountApiKey || creds.pass !== store.accountApiSecret) throw unauthenticated();
    if (params.account_id !== store.accountId) throw forbidden(`the credentials are not those of account ${params.account_id}`);
}

function checkAdminKey(store: AccountReader, header: string | undefined, params: Record<string, string>): ProductEnvironmentRecord {
    const creds = parseBasicAuth(header);
    const found = creds ? store.apiKey(creds.user) : undefined;
    if (!creds || !found || found.key.secret !== creds.pass || !found.key.enabled) throw unauthenticated();
    if (found.productEnvironment.cloudName !== params.cloud_name) throw forbidden(`API key ${creds.user} is not allowed for cloud ${params.cloud_name}`);
    return found.productEnvironment;
}

/**
 * Throws the problem when the Authorization header does not fit the route (unauthenticated: 401, forbidden: 403);
 * for Admin API routes, returns the product environment the key belongs to.
 */
export function authenticate(store: AccountReader, route: RouteDef, header: string | undefined, params: Record<string, string>): ProductEnvironmentRecord | undefined {
    if (route.auth === "account") checkAccountKey(store, header, params);
    if (route.auth === "admin") return checkAdminKey(store, header, params);
    return undefined;
}

// The tests' own check of every API response against the official specs in openapi/, independent of the
// emulator's validator (emulator/openapi.ts): openapi-backend routes the request to its operation and validates the
// body against the operation's response schema; a path or method the spec does not have is a failure, and so is a
// body sent for a response the spec declares without content.
import Ajv, { ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import * as fs from "node:fs";
import * as path from "node:path";
import { OpenAPIBackend, type Operation } from "openapi-backend";
import { parse as parseYaml } from "yaml";

const OPENAPI = path.resolve(__dirname, "..", "..", "openapi");

type SpecName = "permissions" | "provisioning" | "admin";

const FILES: Record<SpecName, string> = { permissions: "permissions.yml", provisioning: "provisioning.yml", admin: "asset-management.yml" };

/** What an error status the operation does not list is checked against (the specs' generic error bodies). */
const GENERIC_ERRORS: Record<SpecName, string> = { permissions: "ErrorResponse", provisioning: "ErrorResponse", admin: "api_error" };

/** Which spec describes a path; undefined for paths that are no API's (the emulator's controls). */
export function specOf(urlPath: string): SpecName | undefined {
    if (urlPath.startsWith("/_emulator")) return undefined;
    if (urlPath.startsWith("/v2/accounts")) return "permissions";
    if (urlPath.startsWith("/v1_1/provisioning")) return "provisioning";
    if (urlPath.startsWith("/v1_1/")) return "admin";
    throw new Error(`no spec describes ${urlPath}`);
}

interface LoadedSpec {
    api: OpenAPIBackend;
    genericError: ValidateFunction;
}

const loaded = new Map<SpecName, Promise<LoadedSpec>>();

async function load(name: SpecName): Promise<LoadedSpec> {
    const definition = parseYaml(fs.readFileSync(path.join(OPENAPI, FILES[name]), "utf8"), { maxAliasCount: -1 });
    const api = new OpenAPIBackend({ definition, quick: true, strict: false, validate: true, customizeAjv: (ajv) => addFormats(ajv) as typeof ajv });
    await api.init();
    const ajv = addFormats(new Ajv({ strict: false, allErrors: true }));
    const genericError = ajv.compile({ ...(api.definition.components?.schemas?.[GENERIC_ERRORS[name]] as object) });
    return { api, genericError };
}

const spec = (name: SpecName) => {
    let promise = loaded.get(name);
    if (!promise) loaded.set(name, (promise = load(name)));
    return promise;
};

/**
 * The operation of a request. The Admin API's {folder} is a whole path (a/b/c) where the router takes one segment,
 * so a folder path is tried again as one encoded segment.
 */
function operationOf(api: OpenAPIBackend, method: string, urlPath: string): Operation | undefined {
    const found = api.router.matchOperation({ method: method.toLowerCase(), path: urlPath, headers: {} });
    if (found) return found;
    const folder = /^(\/v1_1\/[^/]+\/folders\/)(.+)$/.exec(urlPath);
    return folder ? api.router.matchOperation({ method: method.toLowerCase(), path: `${folder[1]}${encodeURIComponent(decodeURIComponent(folder[2]))}`, headers: {} }) : undefined;
}

const isEmpty = (body: unknown) => body === undefined || body === null || body === "";

/** The specs list statuses one by one (no `4XX` or `default` ranges). */
function declaredStatus(operation: Operation, status: number): string | undefined {
    return String(status) in (operation.responses ?? {}) ? String(status) : undefined;
}

/** Why a response breaks the spec, or undefined when it fits. */
export async function responseProblem(method: string, urlPath: string, status: number, body: unknown): Promise<string | undefined> {
    const name = specOf(urlPath);
    if (!name) return undefined;
    const { api, genericError } = await spec(name);
    const operation = operationOf(api, method, urlPath);
    const where = `${method} ${urlPath} -> ${status}`;
    if (!operation) return `${where}: ${FILES[name]} has no such path and method`;
    const declared = declaredStatus(operation, status);
    const content = declared ? (operation.responses![declared] as { content?: Record<string, unknown> }).content?.["application/json"] : undefined;
    if (!declared && status < 400) return `${where}: status not declared for ${operation.operationId}`;
    if (!content && status >= 400) {
        // An error the operation does not list, or lists without a body (validate's 400): the spec's generic error.
        return genericError(body) ? undefined : `${where}: not the spec's ${GENERIC_ERRORS[name]}: ${JSON.stringify(genericError.errors)}`;
    }
    if (!content) return isEmpty(body) ? undefined : `${where}: ${operation.operationId} declares no body for ${declared}, got ${JSON.stringify(body)}`;
    const result = api.validator.validateResponse(body, operation, status);
    return result.valid ? undefined : `${where}: ${operation.operationId}: ${JSON.stringify(result.errors)}`;
}

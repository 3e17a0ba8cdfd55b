// One error mapper per API: a domain problem (problems.ts), a fault or an emulator bug becomes that API's status
// and error body, in the shapes the specs give them. The Permissions API (account v2) uses ErrorResponse with
// category/code/message/details (the *ErrorExample bodies of permissions.yml); the Provisioning API and the Admin
// API use `{ error: { message } }` (provisioning.yml ErrorResponse, asset-management.yml api_error).
import type { Entity, InvalidField, Problem, Within } from "./problems";

export type ErrorFamily = "permissions" | "provisioning" | "admin";

/** A reply the pipeline sends as it is. */
export interface Reply {
    status: number;
    body?: unknown;
    headers?: Record<string, string>;
}

type Headers = Record<string, string>;

export interface ErrorMapper {
    problem(problem: Problem): Reply;
    /** An injected fault or a rate-limit refusal (429, 420, 5xx). */
    fault(status: number, headers?: Headers): Reply;
    /** 500: a handler that failed, or a response that breaks the spec (both emulator bugs). */
    internal(message?: string): Reply;
}

const STATUS: Record<Problem["kind"], number> = { missing: 400, invalid: 400, cedar: 400, notFound: 404, conflict: 409, unauthenticated: 401, forbidden: 403 };

function faultMessage(status: number): string {
    return status === 429 ? "Rate Limit Exceeded" : status === 503 ? "Service Unavailable" : "something went wrong";
}

// ---- Permissions API ---------------------------------------------------------------------------------------

function accountsError(status: number, category: "user_error" | "server_error", code: string, message: string, fields?: unknown[]): Reply {
    return { status, body: { error: { category, code, message, ...(fields ? { details: { fields } } : {}) } } };
}

const fieldsOf = (fields: readonly InvalidField[]) => fields.map((f) => ({ [f.field]: f.value }));

/** The spec's examples, codes, categories and messages verbatim; the emulator's choices where it has none. */
function permissionsProblem(p: Problem): Reply {
    switch (p.kind) {
        case "missing": // MissingFieldsErrorExample
            return accountsError(400, "user_error", "ACCOUNTS_00005", "missing fields", [...p.fields]);
        case "invalid": // InvalidFieldErrorExample, InvalidPolicyIDFieldErrorExample, InvalidOperationFieldErrorExample
            return accountsError(400, "user_error", "ACCOUNTS_00005", "invalid request", fieldsOf(p.fields));
        case "cedar": // CedarErrorExample
            return accountsError(400, "user_error", "ACCOUNTS_00002", "invalid request", [{ policy_statement: p.statement }, { cedar_errors: p.messages.map((m) => ({ cedar_message: m })) }]);
        case "notFound": // Role/Principal/Scope/Policy NotFoundErrorExample
            return accountsError(404, "server_error", "ACCOUNTS_00003", "not found", [{ [p.field]: p.value }]);
        case "conflict":
            // A held role has no status in the spec: 409 with the code of the spec's other conflicts.
            if (p.holders !== undefined) return accountsError(409, "user_error", "ACCOUNTS_00006", `role has ${p.holders} assigned principal(s); remove them or delete with force=true`, [{ [p.field]: p.value }]);
            // CustomPolicyAlreadyExistsErrorExample, RoleAlreadyExistsErrorExample
            return accountsError(409, "user_error", "ACCOUNTS_00006", p.field === "policy_statement" ? "already exists for the scope" : "already exists", [{ [p.field]: p.value }]);
        case "unauthenticated": // AuthorizationErrorExample
            return accountsError(401, "user_error", "ACCOUNTS_00006", "invalid credentials");
        case "forbidden": // ForbiddenErrorExample
            return accountsError(403, "user_error", "ACCOUNTS_00006", "not allowed");
    }
}

const permissions: ErrorMapper = {
    problem: permissionsProblem,
    fault(status, headers) {
        // The spec's example for 500; the other statuses have none, so the shape without a code.
        if (status === 500) return { ...permissions.internal(), headers };
        return { status, body: { error: { category: status >= 500 ? "server_error" : "user_error", message: faultMessage(status) } }, headers };
    },
    internal: (message = "something went wrong") => accountsError(500, "server_error", "ACCOUNTS_00001", message),
};

// ---- Provisioning and Admin APIs: `{ error: { message } }`, the emulator's own wording --------------------------

const LABELS: Record<Entity, string> = {
    role: "Role",
    principal: "Principal",
    scope: "Scope",
    policy: "Policy",
    folder: "Folder",
    user: "User",
    group: "User group",
    productEnvironment: "Product environment",
};

/** "User group Designers" for an id-like field, "User with email x@y" for any other. */
function named(entity: Entity, field: string, value: unknown): string {
    const shown = typeof value === "string" ? value : JSON.stringify(value);
    return /(^|_)id$/.test(field) ? `${LABELS[entity]} ${shown}` : `${LABELS[entity]} with ${field} ${shown}`;
}

const where = (within?: Within) => (within ? ` in ${LABELS[within.entity].toLowerCase()} ${within.id}` : "");

function message(p: Problem, badCredentials: string): string {
    switch (p.kind) {
        case "missing":
            return `Missing required parameter - ${p.fields.join(", ")}`;
        case "invalid":
            return p.fields.map((f) => `Invalid value for ${f.field}: ${JSON.stringify(f.value)}${f.reason ? ` (${f.reason})` : ""}`).join("; ");
        case "cedar":
            return p.messages.join("; ");
        case "notFound":
            return `${named(p.entity, p.field, p.value)} not found${where(p.within)}`;
        case "conflict":
            return `${named(p.entity, p.field, p.value)} already exists${where(p.within)}`;
        case "unauthenticated":
            return badCredentials;
        case "forbidden":
            return p.reason ?? "not allowed";
    }
}

/** The Provisioning and Admin API style; they differ only in the 401 message. */
function messageMapper(badCredentials: string): ErrorMapper {
    const error = (status: number, text: string, headers?: Headers): Reply => ({ status, body: { error: { message: text } }, ...(headers ? { headers } : {}) });
    return {
        problem: (p) => error(STATUS[p.kind], message(p, badCredentials)),
        fault: (status, headers) => error(status, status === 500 ? "Internal Server Error" : faultMessage(status), headers),
        internal: (text = "Internal Server Error") => error(500, text),
    };
}

/** The error mapper of each API, as the request pipeline picks it by the route's family. */
export const errorMappers: Record<ErrorFamily, ErrorMapper> = {
    permissions,
    provisioning: messageMapper("Invalid credentials"),
    admin: messageMapper("Invalid Signature or API key"),
};

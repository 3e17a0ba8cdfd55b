// Error replies in the shapes the specs give them. The Permissions API (account v2) uses ErrorResponse with
// category/code/message/details (the *ErrorExample bodies of permissions.yml); the Provisioning API and the
// Admin API use `{ error: { message } }` (provisioning.yml ErrorResponse, asset-management.yml api_error).
// Each API has one error-style object: the request pipeline uses the ErrorStyle part, handlers the rest.
import type { Problem } from "./model";

export type ErrorFamily = "permissions" | "provisioning" | "admin";

/** An error reply: thrown by handlers, turned into a response by the server. */
export class ApiError extends Error {
    constructor(
        readonly status: number,
        readonly body: unknown,
        readonly headers: Record<string, string> = {},
    ) {
        super(`${status} ${JSON.stringify(body)}`);
    }
}

type Field = Record<string, unknown>;
type Headers = Record<string, string>;

/** What the request pipeline needs from an API's error style, whatever the API. */
export interface ErrorStyle {
    /** 400 for the query or body fields the spec rejects. */
    badRequest(missing: string[], invalid: Field[]): ApiError;
    /** A broken domain rule raised by the store (Store.checkAssignment). */
    fromProblem(problem: Problem): ApiError;
    /** 401 for bad credentials, 403 for credentials not allowed here. */
    auth(status: 401 | 403, message?: string): ApiError;
    /** An injected fault or a rate-limit refusal. */
    fault(status: number, headers?: Headers): ApiError;
    /** 500: a handler that failed, or a response that breaks the spec (both emulator bugs). */
    internal(message?: string): ApiError;
}

function faultMessage(status: number): string {
    return status === 429 ? "Rate Limit Exceeded" : status === 503 ? "Service Unavailable" : "something went wrong";
}

function accountsError(status: number, category: "user_error" | "server_error", code: string, message: string, fields?: Array<string | Field>): ApiError {
    return new ApiError(status, { error: { category, code, message, ...(fields ? { details: { fields } } : {}) } });
}

/** Permissions API errors, copied from the spec's examples (codes, categories and messages verbatim). */
class PermissionsErrors implements ErrorStyle {
    /** MissingFieldsErrorExample */
    missingFields(fields: string[]): ApiError {
        return accountsError(400, "user_error", "ACCOUNTS_00005", "missing fields", fields);
    }
    /** InvalidFieldErrorExample / InvalidPolicyIDFieldErrorExample / InvalidOperationFieldErrorExample */
    invalid(fields: Field[]): ApiError {
        return accountsError(400, "user_error", "ACCOUNTS_00005", "invalid request", fields);
    }
    /** CedarErrorExample */
    cedar(statement: string, cedarMessages: string[]): ApiError {
        return accountsError(400, "user_error", "ACCOUNTS_00002", "invalid request", [
            { policy_statement: statement },
            { cedar_errors: cedarMessages.map((m) => ({ cedar_message: m })) },
        ]);
    }
    /** Role/Principal/Scope/Policy NotFoundErrorExample */
    notFound(field: string, value: unknown): ApiError {
        return accountsError(404, "server_error", "ACCOUNTS_00003", "not found", [{ [field]: value }]);
    }
    /** RoleAlreadyExistsErrorExample */
    alreadyExists(field: string, value: unknown): ApiError {
        return accountsError(409, "user_error", "ACCOUNTS_00006", "already exists", [{ [field]: value }]);
    }
    /** CustomPolicyAlreadyExistsErrorExample */
    alreadyExistsForScope(statement: string): ApiError {
        return accountsError(409, "user_error", "ACCOUNTS_00006", "already exists for the scope", [{ policy_statement: statement }]);
    }
    /** AuthorizationErrorExample */
    unauthorized(): ApiError {
        return accountsError(401, "user_error", "ACCOUNTS_00006", "invalid credentials");
    }
    /** ForbiddenErrorExample */
    forbidden(): ApiError {
        return accountsError(403, "user_error", "ACCOUNTS_00006", "not allowed");
    }
    /** InternalServerErrorExample */
    internal(message = "something went wrong"): ApiError {
        return accountsError(500, "server_error", "ACCOUNTS_00001", message);
    }
    /**
     * Deleting an assigned role without force. The spec lists no status for it; the emulator answers 409 with
     * ErrorResponse, code ACCOUNTS_00006 (the code of the spec's other conflicts).
     */
    roleHasPrincipals(roleId: string, count: number): ApiError {
        return accountsError(409, "user_error", "ACCOUNTS_00006", `role has ${count} assigned principal(s); remove them or delete with force=true`, [{ role_id: roleId }]);
    }

    badRequest(missing: string[], invalid: Field[]): ApiError {
        return missing.length ? this.missingFields(missing) : this.invalid(invalid);
    }
    fromProblem(p: Problem): ApiError {
        if (p.kind === "missing") return this.missingFields(p.fields);
        if (p.kind === "invalid") return this.invalid([{ [p.field]: p.value }]);
        return this.notFound(p.field, p.value);
    }
    auth(status: 401 | 403): ApiError {
        return status === 401 ? this.unauthorized() : this.forbidden();
    }
    fault(status: number, headers?: Headers): ApiError {
        // The spec's example for 500; the other statuses have none, so the shape without a code.
        const body = status === 500 ? this.internal().body : { error: { category: status >= 500 ? "server_error" : "user_error", message: faultMessage(status) } };
        return new ApiError(status, body, headers);
    }
}

/** The Provisioning and Admin API style: `{ error: { message } }`; they differ only in the 401 message. */
class MessageErrors implements ErrorStyle {
    constructor(private readonly badCredentials: string) {}

    private error(status: number, message: string, headers?: Headers): ApiError {
        return new ApiError(status, { error: { message } }, headers);
    }
    invalid(message: string): ApiError {
        return this.error(400, message);
    }
    notFound(message: string): ApiError {
        return this.error(404, message);
    }
    conflict(message: string): ApiError {
        return this.error(409, message);
    }
    internal(message = "Internal Server Error"): ApiError {
        return this.error(500, message);
    }

    badRequest(missing: string[], invalid: Field[]): ApiError {
        const parts = [
            ...(missing.length ? [`Missing required parameter - ${missing.join(", ")}`] : []),
            ...invalid.map((f) => `Invalid value for ${Object.keys(f)[0]}: ${JSON.stringify(Object.values(f)[0])}`),
        ];
        return this.invalid(parts.join("; "));
    }
    fromProblem(p: Problem): ApiError {
        if (p.kind === "missing") return this.invalid(`Missing required parameter - ${p.fields.join(", ")}`);
        if (p.kind === "invalid") return this.invalid(`Invalid ${p.field}: ${JSON.stringify(p.value)}`);
        return this.notFound(`${p.field.replace(/_id$/, "").replace(/_/g, " ")} ${String(p.value)} not found`);
    }
    auth(status: 401 | 403, message?: string): ApiError {
        return this.error(status, message ?? (status === 401 ? this.badCredentials : "not allowed"));
    }
    fault(status: number, headers?: Headers): ApiError {
        return this.error(status, status === 500 ? "Internal Server Error" : faultMessage(status), headers);
    }
}

export const permissionsErrors = new PermissionsErrors();
export const provisioningErrors = new MessageErrors("Invalid credentials");
export const adminErrors = new MessageErrors("Invalid Signature or API key");

/** The error style of each API, as the request pipeline picks it by the route's family. */
export const errorStyles: Record<ErrorFamily, ErrorStyle> = { permissions: permissionsErrors, provisioning: provisioningErrors, admin: adminErrors };

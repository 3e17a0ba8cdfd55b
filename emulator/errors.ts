// Error replies in the shapes the specs give them. The Permissions API (account v2) uses ErrorResponse with
// category/code/message/details (the *ErrorExample bodies of permissions.yml); the Provisioning API and the
// Admin API use `{ error: { message } }` (provisioning.yml ErrorResponse, asset-management.yml api_error).

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

function accountsError(status: number, category: "user_error" | "server_error", code: string, message: string, fields?: Array<string | Field>): ApiError {
    return new ApiError(status, { error: { category, code, message, ...(fields ? { details: { fields } } : {}) } });
}

/** Permissions API errors, copied from the spec's examples (codes, categories and messages verbatim). */
export const permissionsErrors = {
    /** MissingFieldsErrorExample */
    missingFields: (fields: string[]) => accountsError(400, "user_error", "ACCOUNTS_00005", "missing fields", fields),
    /** InvalidFieldErrorExample / InvalidPolicyIDFieldErrorExample / InvalidOperationFieldErrorExample */
    invalid: (fields: Field[]) => accountsError(400, "user_error", "ACCOUNTS_00005", "invalid request", fields),
    /** CedarErrorExample */
    cedar: (statement: string, cedarMessages: string[]) =>
        accountsError(400, "user_error", "ACCOUNTS_00002", "invalid request", [
            { policy_statement: statement },
            { cedar_errors: cedarMessages.map((m) => ({ cedar_message: m })) },
        ]),
    /** Role/Principal/Scope/Policy NotFoundErrorExample */
    notFound: (field: string, value: unknown) => accountsError(404, "server_error", "ACCOUNTS_00003", "not found", [{ [field]: value }]),
    /** RoleAlreadyExistsErrorExample */
    alreadyExists: (field: string, value: unknown) => accountsError(409, "user_error", "ACCOUNTS_00006", "already exists", [{ [field]: value }]),
    /** CustomPolicyAlreadyExistsErrorExample */
    alreadyExistsForScope: (statement: string) => accountsError(409, "user_error", "ACCOUNTS_00006", "already exists for the scope", [{ policy_statement: statement }]),
    /** AuthorizationErrorExample */
    unauthorized: () => accountsError(401, "user_error", "ACCOUNTS_00006", "invalid credentials"),
    /** ForbiddenErrorExample */
    forbidden: () => accountsError(403, "user_error", "ACCOUNTS_00006", "not allowed"),
    /** InternalServerErrorExample */
    internal: (message = "something went wrong") => accountsError(500, "server_error", "ACCOUNTS_00001", message),
    /**
     * Deleting an assigned role without force. The spec lists no status for it; the emulator answers 409 with
     * ErrorResponse, code ACCOUNTS_00006 (the code of the spec's other conflicts).
     */
    roleHasPrincipals: (roleId: string, count: number) =>
        accountsError(409, "user_error", "ACCOUNTS_00006", `role has ${count} assigned principal(s); remove them or delete with force=true`, [{ role_id: roleId }]),
};

/** `{ error: { message } }`, the Provisioning and Admin API error body. */
export function messageError(status: number, message: string, headers?: Record<string, string>): ApiError {
    return new ApiError(status, { error: { message } }, headers);
}

/** The body of an injected fault or a rate-limit refusal, in the shape of the API it answers for. */
export function faultBody(family: ErrorFamily, status: number): unknown {
    const message = status === 429 ? "Rate Limit Exceeded" : status === 503 ? "Service Unavailable" : "something went wrong";
    if (family === "permissions") {
        if (status === 500) return permissionsErrors.internal().body;
        return { error: { category: status >= 500 ? "server_error" : "user_error", message } };
    }
    return { error: { message: status === 500 ? "Internal Server Error" : message } };
}

/** The 401/403 bodies of each API family. */
export function authError(family: ErrorFamily, status: 401 | 403, message?: string): ApiError {
    if (family === "permissions") return status === 401 ? permissionsErrors.unauthorized() : permissionsErrors.forbidden();
    if (family === "provisioning") return messageError(status, message ?? (status === 401 ? "Invalid credentials" : "not allowed"));
    return messageError(status, message ?? (status === 401 ? "Invalid Signature or API key" : "not allowed"));
}

// The domain problems a request can run into, in the domain's words and without HTTP: what is missing, what is
// invalid, what was not found or already exists. Routes, the store and the pipeline throw them; one mapper per
// API (errors.ts) turns each into that API's status and error body.

/** What a problem is about: the mappers name it in their messages. */
export type Entity = "role" | "principal" | "scope" | "policy" | "folder" | "user" | "group" | "productEnvironment";

export interface InvalidField {
    field: string;
    value: unknown;
    /** Why the value is refused, in words (the Provisioning and Admin APIs show it; the Permissions API does not). */
    reason?: string;
}

/** Where a thing was looked for or found, when that is another thing (a user in a group). */
export interface Within {
    entity: Entity;
    id: string;
}

export type Problem =
    | { kind: "missing"; fields: readonly string[] }
    | { kind: "invalid"; fields: readonly InvalidField[] }
    | { kind: "notFound"; entity: Entity; field: string; value: unknown; within?: Within }
    /** `holders`: a role that cannot go because principals still hold it. */
    | { kind: "conflict"; entity: Entity; field: string; value: unknown; within?: Within; holders?: number }
    | { kind: "unauthenticated" }
    | { kind: "forbidden"; reason?: string }
    /** A Cedar statement the engine refuses, with one message per problem found. */
    | { kind: "cedar"; statement: string; messages: readonly string[] };

export class ProblemError extends Error {
    constructor(readonly problem: Problem) {
        super(`${problem.kind}: ${JSON.stringify(problem)}`);
    }
}

export const missing = (...fields: string[]): ProblemError => new ProblemError({ kind: "missing", fields });

export const invalid = (field: string, value: unknown, reason?: string): ProblemError =>
    new ProblemError({ kind: "invalid", fields: [{ field, value, ...(reason ? { reason } : {}) }] });

export const invalidFields = (fields: readonly InvalidField[]): ProblemError => new ProblemError({ kind: "invalid", fields });

export const notFound = (entity: Entity, field: string, value: unknown, within?: Within): ProblemError =>
    new ProblemError({ kind: "notFound", entity, field, value, ...(within ? { within } : {}) });

export const conflict = (entity: Entity, field: string, value: unknown, within?: Within): ProblemError =>
    new ProblemError({ kind: "conflict", entity, field, value, ...(within ? { within } : {}) });

export const stillHeld = (roleId: string, holders: number): ProblemError => new ProblemError({ kind: "conflict", entity: "role", field: "role_id", value: roleId, holders });

export const unauthenticated = (): ProblemError => new ProblemError({ kind: "unauthenticated" });

export const forbidden = (reason?: string): ProblemError => new ProblemError({ kind: "forbidden", ...(reason ? { reason } : {}) });

export const cedarRefused = (statement: string, messages: readonly string[]): ProblemError => new ProblemError({ kind: "cedar", statement, messages });

/** The value, or the problem thrown when it is absent. */
export function required<T>(value: T | undefined | null, problem: () => ProblemError): T {
    if (value === undefined || value === null) throw problem();
    return value;
}

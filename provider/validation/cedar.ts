// Cedar statements checked locally with the Cedar engine itself (cedar-wasm): syntax, then the account's Cedar
// schema in strict mode. Each problem carries its line and column inside the statement and, where the engine has
// one, its fix ("did you mean ..."). Shared by the provider's check and the emulator's validation.
import type * as Cedar from "@cedar-policy/cedar-wasm/nodejs";
import { closest } from "./suggest";

let engine: typeof Cedar | undefined;
/** Loaded on first use: the wasm module takes a moment to initialize. */
export function cedarEngine(): typeof Cedar {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (engine ??= require("@cedar-policy/cedar-wasm/nodejs") as typeof Cedar);
}

export type CedarSchema = Cedar.Schema;

export interface CedarProblem {
    kind: "syntax" | "schema";
    message: string;
    /** The engine's suggestion, e.g. "did you mean `Cloudinary::Folder`?". */
    help?: string;
    /** 1-based, inside the statement. */
    line: number;
    column: number;
    /** The statement's text at the problem. */
    excerpt: string;
}

/** 1-based line and column of a character offset. */
export function position(text: string, offset: number): { line: number; column: number } {
    const before = text.slice(0, offset);
    const line = before.split("\n").length;
    return { line, column: offset - before.lastIndexOf("\n") };
}

/** Cedar reports UTF-8 byte offsets; JavaScript strings count UTF-16 units. */
function charOffset(text: string, byteOffset: number): number {
    return Buffer.from(text, "utf8").subarray(0, byteOffset).toString("utf8").length;
}

function problemOf(text: string, kind: CedarProblem["kind"], error: Cedar.DetailedError): CedarProblem {
    const location = error.sourceLocations?.[0];
    const start = location ? charOffset(text, location.start) : 0;
    const end = location ? charOffset(text, location.end) : start;
    const message = error.message.replace(/^failed to parse policies from string: /, "").replace(/^for policy `[^`]*`, /, "");
    const label = location && "label" in location && location.label ? `: ${location.label}` : "";
    const help = error.help?.replace(/^for policy `[^`]*`, /, "");
    return { kind, message: `${message}${label}`, ...(help ? { help } : {}), ...position(text, start), excerpt: text.slice(start, Math.min(end, start + 60)).split("\n")[0] };
}

/**
 * The problems of a statement: syntax errors, or (with a schema) strict validation errors. A policy that can never
 * apply (no action fits its principal and resource) is a problem too: the engine only warns, but such a policy
 * grants or forbids nothing, which is never what its author meant.
 */
export function cedarProblems(statement: string, schema?: CedarSchema): CedarProblem[] {
    const cedar = cedarEngine();
    const parsed = cedar.checkParsePolicySet({ staticPolicies: statement });
    if (parsed.type !== "success") return parsed.errors.map((e) => problemOf(statement, "syntax", e));
    if (!statement.replace(/\/\/.*$/gm, "").trim()) return [{ kind: "syntax", message: "the statement holds no policy", line: 1, column: 1, excerpt: "" }];
    if (!schema) return [];
    const answer = cedar.validate({ validationSettings: { mode: "strict" }, schema, policies: { staticPolicies: statement } });
    if (answer.type !== "success") return answer.errors.map((e) => problemOf(statement, "schema", e));
    const errors = answer.validationErrors.length ? answer.validationErrors : answer.validationWarnings.filter((w) => /impossible|applicable action/.test(w.error.message));
    const problems = errors.map((e) => sameNamespaceHelp(problemOf(statement, "schema", e.error), schema));
    // One problem per place: the engine reports "no applicable action" and "impossible" for the same policy.
    return problems.filter((p, i) => problems.findIndex((q) => q.line === p.line && q.column === p.column) === i);
}

/** The schema's entity types and actions, fully qualified (`Cloudinary::Folder`, `Cloudinary::Action::"read"`). */
function schemaNames(schema: CedarSchema): { types: string[]; actions: string[] } {
    const json = typeof schema === "string" ? undefined : schema;
    const namespaces = Object.entries(json ?? {});
    return {
        types: namespaces.flatMap(([ns, def]) => Object.keys(def.entityTypes ?? {}).map((t) => `${ns}::${t}`)),
        actions: namespaces.flatMap(([ns, def]) => Object.keys(def.actions ?? {}).map((a) => `${ns}::Action::"${a}"`)),
    };
}

/**
 * The engine suggests the closest name in any namespace (`MediaFlows::Action::"read"` for a misspelt
 * `Cloudinary::Action::"raed"`); the fix a user wants stays in the namespace they wrote.
 */
function sameNamespaceHelp(p: CedarProblem, schema: CedarSchema): CedarProblem {
    const m = /unrecognized (entity type|action) `((\w+)::[^`]*)`/.exec(p.message);
    if (!m) return p;
    const names = schemaNames(schema);
    const candidates = (m[1] === "action" ? names.actions : names.types).filter((n) => n.startsWith(`${m[3]}::`));
    const match = closest(m[2], candidates);
    return { ...p, help: match ? `did you mean \`${match}\`?` : p.help };
}

/** "line 2, column 14: unrecognized entity type `Cloudinary::Foldr`; did you mean `Cloudinary::Folder`?" */
export function describeProblem(p: CedarProblem, place = ""): string {
    return `line ${p.line}, column ${p.column}${place}: ${p.message}${p.help ? `; ${p.help}` : ""}`;
}

/** An unknown entity type where the statement names its principal (the spec's "invalid_principal"). */
export function isInvalidPrincipal(statement: string, p: CedarProblem): boolean {
    if (!/unrecognized entity type/.test(p.message)) return false;
    const lines = statement.split("\n");
    const offset = lines.slice(0, p.line - 1).reduce((n, l) => n + l.length + 1, 0) + p.column - 1;
    return /principal\s*(==|in|is)\s*$/.test(statement.slice(0, offset));
}

/** An entity a statement names by id, with where it is named. */
export interface NamedEntity {
    type: string;
    id: string;
    line: number;
    column: number;
}

/**
 * The users, groups, API keys and folders a statement names: entity literals (`Cloudinary::User::"id"`) and the
 * folder ids of `ancestor_ids.contains("id")` conditions. Only for a statement that parses.
 */
export function namedEntities(statement: string): NamedEntity[] {
    const found: NamedEntity[] = [];
    const add = (type: string, id: string, needle: string) => {
        if (found.some((e) => e.type === type && e.id === id)) return;
        const at = statement.indexOf(needle);
        found.push({ type, id, ...position(statement, Math.max(at, 0)) });
    };
    for (const m of statement.matchAll(/((?:[A-Za-z_]\w*::)+)"((?:[^"\\]|\\.)*)"/g)) {
        const type = m[1].slice(0, -2).replace(/^Cloudinary::/, "");
        if (type !== "Action") add(type, m[2], m[0]);
    }
    for (const m of statement.matchAll(/ancestor_ids\s*\.\s*contains\s*\(\s*"((?:[^"\\]|\\.)*)"\s*\)/g)) add("Folder", m[1], m[0]);
    return found;
}

/** Whom one policy of a statement applies to, from its principal constraint. */
export type PrincipalScope = { op: "all" } | { op: "==" | "in"; type: string; id: string } | { op: "is"; type: string; inId?: string };

/** The principal constraints of a statement's policies (none when it does not parse). Types lose the `Cloudinary::` prefix. */
export function principalScopes(statement: string): PrincipalScope[] {
    const cedar = cedarEngine();
    const parts = cedar.policySetTextToParts(statement);
    if (parts.type !== "success") return [];
    const short = (t: string) => t.replace(/^Cloudinary::/, "");
    return parts.policies.flatMap((text): PrincipalScope[] => {
        const json = cedar.policyToJson(text);
        if (json.type !== "success") return [];
        const c = json.json.principal;
        const uid = (e: Cedar.EntityUidJson) => ("__entity" in e ? e.__entity : e);
        if (c.op === "All") return [{ op: "all" }];
        if ((c.op === "==" || c.op === "in") && "entity" in c) return [{ op: c.op, type: short(uid(c.entity).type), id: uid(c.entity).id }];
        if (c.op === "is") return [{ op: "is", type: short(c.entity_type), ...(c.in && "entity" in c.in ? { inId: uid(c.in.entity).id } : {}) }];
        return [];
    });
}

const CEDAR_PRINCIPAL_TYPES: Record<string, string> = { user: "User", group: "Group", apiKey: "APIKey", provisioningKey: "APIKey" };

/** The Cedar entity type of a principal type of the APIs (user → User). */
export function cedarPrincipalType(principalType: string): string {
    return CEDAR_PRINCIPAL_TYPES[principalType] ?? principalType;
}

/**
 * Whether a statement applies to a principal: a policy with no principal constraint, one naming the principal,
 * or (for a user) one naming a group the user belongs to.
 */
export function appliesToPrincipal(scopes: PrincipalScope[], principalType: string, principalId: string, groupIds: readonly string[] = []): boolean {
    const type = cedarPrincipalType(principalType);
    const isMe = (t: string, id: string) => (t === type && id === principalId) || (t === "Group" && groupIds.includes(id));
    return scopes.some((s) => {
        if (s.op === "all") return true;
        if (s.op === "is") return s.type === type && (s.inId === undefined || isMe("Group", s.inId) || s.inId === principalId);
        return isMe(s.type, s.id);
    });
}

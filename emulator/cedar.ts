// The emulator's Cedar checks, with the Cedar engine itself (cedar-wasm) against the schema the emulator serves
// (cedarSchema.ts): what is wrong with a custom policy's statement, as the API reports it in cedar_errors, and whom
// a statement's policies apply to (for the effective policies of a principal).
import type * as Cedar from "@cedar-policy/cedar-wasm/nodejs";
import { closest } from "fastest-levenshtein";
import { CEDAR_SCHEMA } from "./cedarSchema";
import type { PrincipalRef, PrincipalType } from "./model";

let loaded: typeof Cedar | undefined;
/** The wasm module takes a moment to initialize: loaded on first use, not at start. */
function engine(): typeof Cedar {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (loaded ??= require("@cedar-policy/cedar-wasm/nodejs") as typeof Cedar);
}

const SCHEMA = CEDAR_SCHEMA as unknown as Cedar.Schema;

/** Every entity type and action the schema declares, by namespace: `Cloudinary::Folder`, `Cloudinary::Action::"read"`. */
const DECLARED = Object.entries(CEDAR_SCHEMA).map(([ns, def]) => ({
    ns,
    types: Object.keys(def.entityTypes).map((t) => `${ns}::${t}`),
    actions: Object.keys(def.actions).map((a) => `${ns}::Action::"${a}"`),
}));
const ENTITY_TYPES = new Set(DECLARED.flatMap((d) => d.types));

/** The Cedar entity type of each principal type of the APIs. */
export const CEDAR_PRINCIPAL_TYPE: Record<PrincipalType, string> = { user: "Cloudinary::User", group: "Cloudinary::Group", apiKey: "Cloudinary::APIKey", provisioningKey: "Cloudinary::APIKey" };

// ---- what is wrong with a statement ----------------------------------------------------------------------

/** "line 2, column 14" of a UTF-8 byte offset (Cedar counts bytes, JavaScript UTF-16 units). */
function place(text: string, byteOffset: number): string {
    const before = Buffer.from(text, "utf8").subarray(0, byteOffset).toString("utf8");
    const lines = before.split("\n");
    return `line ${lines.length}, column ${lines[lines.length - 1].length + 1}`;
}

/** The engine's message without its framing ("failed to parse ...: ", "for policy `policy0`, "). */
const bare = (text: string) => text.replace(/^failed to parse policies from string: /, "").replace(/^for policy `[^`]*`, /, "");

/**
 * The engine suggests the closest name in any namespace (`MediaFlows::Action::"read"` for a misspelt
 * `Cloudinary::Action::"raed"`); the fix its author wants stays in the namespace they wrote.
 */
function fix(message: string, engineHelp: string | null): string | undefined {
    const m = /unrecognized (entity type|action) `((\w+)::[^`]*)`/.exec(message);
    const declared = m && DECLARED.find((d) => d.ns === m[3]);
    if (!m || !declared) return engineHelp ?? undefined;
    const candidates = m[1] === "action" ? declared.actions : declared.types;
    return candidates.length ? `did you mean \`${closest(m[2], candidates)}\`?` : (engineHelp ?? undefined);
}

function describe(statement: string, error: Cedar.DetailedError): { at: number; text: string } {
    const location = error.sourceLocations?.[0];
    const at = location?.start ?? 0;
    const message = bare(error.message) + (location?.label ? `: ${location.label}` : "");
    const help = fix(message, error.help ? bare(error.help) : null);
    return { at, text: `${place(statement, at)}: ${message}${help ? `; ${help}` : ""}` };
}

/** Each policy of a statement that parses, as its own text. */
function policiesOf(statement: string): string[] {
    const parts = engine().policySetTextToParts(statement);
    return parts.type === "success" ? parts.policies : [];
}

type PrincipalConstraint = Cedar.PrincipalConstraint;

function principalConstraint(policy: string): PrincipalConstraint | undefined {
    const json = engine().policyToJson(policy);
    return json.type === "success" ? json.json.principal : undefined;
}

const uid = (e: Cedar.EntityUidJson): { type: string; id: string } => ("__entity" in e ? e.__entity : e);

/** The entity types a principal constraint names (`principal == T::"x"`, `in T::"x"`, `is T`). */
function principalTypes(c: PrincipalConstraint | undefined): string[] {
    if (!c || c.op === "All") return [];
    if (c.op === "is") return [c.entity_type, ...(c.in && "entity" in c.in ? [uid(c.in.entity).type] : [])];
    return "entity" in c ? [uid(c.entity).type] : [];
}

/**
 * The problems of a custom policy's statement, as the API lists them in cedar_errors: syntax errors, or else
 * strict validation against the schema. A principal of a type the schema does not declare is "invalid_principal"
 * (the spec's CedarErrorExample). A policy that can never apply (no action fits its principal and resource) is a
 * problem too: the engine only warns, but such a policy grants or forbids nothing.
 */
export function statementProblems(statement: string): string[] {
    const parsed = engine().checkParsePolicySet({ staticPolicies: statement });
    if (parsed.type !== "success") return unique(parsed.errors.map((e) => describe(statement, e).text));
    const policies = policiesOf(statement);
    if (policies.length === 0) return ["line 1, column 1: the statement holds no policy"];
    const unknownPrincipals = new Set(policies.flatMap((p) => principalTypes(principalConstraint(p))).filter((t) => !ENTITY_TYPES.has(t)));
    const answer = engine().validate({ validationSettings: { mode: "strict" }, schema: SCHEMA, policies: { staticPolicies: statement } });
    if (answer.type !== "success") return unique(answer.errors.map((e) => describe(statement, e).text));
    const aboutUnknownPrincipal = (e: Cedar.DetailedError) => [...unknownPrincipals].some((t) => e.message.includes(`unrecognized entity type \`${t}\``));
    const errors = answer.validationErrors.map((v) => v.error).filter((e) => !aboutUnknownPrincipal(e));
    const pointless = answer.validationWarnings.map((w) => w.error).filter((e) => /impossible|applicable action/.test(e.message));
    const found = (errors.length || unknownPrincipals.size ? errors : pointless).map((e) => describe(statement, e));
    // One message per place: the engine says "no applicable action" and "impossible" of the same policy.
    const onePerPlace = found.filter((f, i) => found.findIndex((g) => g.at === f.at) === i).map((f) => f.text);
    return unique([...(unknownPrincipals.size ? ["invalid_principal"] : []), ...onePerPlace]);
}

const unique = (list: string[]) => [...new Set(list)];

// ---- whom a statement applies to -------------------------------------------------------------------------

/** A principal as Cedar sees it: its entity, and the groups it is a member of (its parents). */
interface CedarPrincipal {
    type: string;
    id: string;
    parents: Array<{ type: string; id: string }>;
}

const same = (a: { type: string; id: string }, b: { type: string; id: string }) => a.type === b.type && a.id === b.id;
const isOrIn = (p: CedarPrincipal, e: { type: string; id: string }) => same(p, e) || p.parents.some((g) => same(g, e));

/** Cedar's meaning of a principal constraint (`==`, `in`, `is`, `is ... in`) for one principal. */
function satisfies(c: PrincipalConstraint, p: CedarPrincipal): boolean {
    switch (c.op) {
        case "All":
            return true;
        case "==":
            return "entity" in c && same(p, uid(c.entity));
        case "in":
            return "entity" in c && isOrIn(p, uid(c.entity));
        case "is":
            return c.entity_type === p.type && (!c.in || ("entity" in c.in && isOrIn(p, uid(c.in.entity))));
        default:
            return false;
    }
}

/**
 * Whether any policy of the statement applies to the principal or to one of the groups it belongs to (the
 * effective policies list a user's groups as principals of their own): its principal constraint holds for one
 * of them, a user being a member of its groups.
 */
export function appliesTo(statement: string, principal: PrincipalRef, groupIds: readonly string[]): boolean {
    const group = (id: string): CedarPrincipal => ({ type: CEDAR_PRINCIPAL_TYPE.group, id, parents: [] });
    const holders: CedarPrincipal[] = [{ type: CEDAR_PRINCIPAL_TYPE[principal.type], id: principal.id, parents: groupIds.map(group) }, ...groupIds.map(group)];
    return policiesOf(statement).some((policy) => {
        const c = principalConstraint(policy);
        return c !== undefined && holders.some((h) => satisfies(c, h));
    });
}

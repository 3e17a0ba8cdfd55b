// Plan-time validation against the top-level schema.json (the JSON Schema of every resource's inputs and of
// the GitOps permissions.yaml), with messages that name the property and say how to fix it.
import Ajv2020, { ErrorObject, ValidateFunction } from "ajv/dist/2020";
import * as fs from "node:fs";
import * as path from "node:path";
import { PACKAGE } from "../api/package-info";
import type { ResourceKind } from "../generated/resources";
import { didYouMean } from "./suggest";

export type { ResourceKind };

export interface Failure {
    /** The top-level input the problem is in (camelCase, as the user wrote it). */
    property: string;
    reason: string;
}

/** A schema violation at a path of the validated value (object keys and list indexes). */
export interface Problem {
    path: (string | number)[];
    reason: string;
    /** Where to point in a source file when that is not `path` itself (an invalid key points at the key). */
    location?: (string | number)[];
}

export const SCHEMA = JSON.parse(fs.readFileSync(path.join(PACKAGE.root, "schema.json"), "utf8"));
const ajv = new Ajv2020({ allErrors: true, strict: true, verbose: true });
// Annotations for other readers of schema.json, which validation ignores: tsType (the TypeScript type
// scripts/gen-types.js writes for a definition), x-onChange (what a change of a property makes the diff do:
// update in place, replace, or state: recorded with no API call), x-unmanagedWhenAbsent (an optional input
// whose live value, such as a generated id or the members, is left alone when the input is absent), x-name (an
// input that also takes a name: see names.ts), and what scripts/gen-types.js derives provider/generated/resources.ts
// from: x-resource (a resource's inputs), x-key (the input a permissions.yaml section's keys supply), x-value (the
// input a section's values are, when they are not objects of inputs) and x-references (values that may name
// another section's key).
ajv.addVocabulary(["tsType", "x-onChange", "x-unmanagedWhenAbsent", "x-name", "x-resource", "x-key", "x-value", "x-references"]);
ajv.addSchema(SCHEMA);

const validators = new Map<string, ValidateFunction>();

function validator(definition: string): ValidateFunction {
    let validate = validators.get(definition);
    if (!validate) {
        validate = ajv.getSchema(`${SCHEMA.$id}#/$defs/${definition}`);
        if (!validate) throw new Error(`schema.json has no definition '${definition}'`);
        validators.set(definition, validate);
    }
    return validate;
}

/** Every violation of a schema.json definition, one per path and reason. */
export function problems(definition: string, value: unknown, noun = "input"): Problem[] {
    const validate = validator(definition);
    if (validate(value)) return [];
    const out: Problem[] = [];
    const seen = new Set<string>();
    for (const error of validate.errors ?? []) {
        const problem = explain(error, noun);
        if (!problem) continue;
        const key = `${JSON.stringify(problem.path)}\u0000${problem.reason}`;
        if (!seen.has(key)) {
            seen.add(key);
            out.push(problem);
        }
    }
    return out;
}

/** Schema failures of one resource's inputs; properties whose value is not known yet are not reported missing. */
export function schemaFailures(kind: ResourceKind, inputs: Record<string, unknown>, unknown: ReadonlySet<string> = new Set()): Failure[] {
    return problems(kind, inputs)
        .filter((p) => !unknown.has(String(p.path[0])))
        .map((p) => ({ property: String(p.path[0] ?? kind), reason: p.path.length > 1 ? `${formatPath(p.path)} ${p.reason}` : p.reason }));
}

/** foo.bar[2].baz */
export function formatPath(segments: (string | number)[]): string {
    return segments.map((s, i) => (typeof s === "number" ? `[${s}]` : i > 0 ? `.${s}` : s)).join("");
}

/** `noun` names the top-level keys in messages: "input" for resources, "section" for the GitOps file. */
function explain(error: ErrorObject, noun: string): Problem | undefined {
    const at = error.instancePath
        .split("/")
        .slice(1)
        .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))
        .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
    const params = error.params as Record<string, any>;
    const schema = (error.parentSchema ?? {}) as { description?: string; enum?: string[]; properties?: Record<string, { $ref?: string; description?: string }> };
    const value = (error as ErrorObject & { data?: unknown }).data;
    switch (error.keyword) {
        case "required": {
            const name = params.missingProperty as string;
            return { path: [...at, name], reason: `is required${describeProperty(schema, name)}.` };
        }
        case "additionalProperties": {
            const name = params.additionalProperty as string;
            const allowed = Object.keys(schema.properties ?? {});
            const what = at.length ? `is not a key of ${formatPath(at)}` : `is not a valid ${noun}`;
            return { path: [...at, name], reason: `${what}${didYouMean(name, allowed) || "."} Valid ${at.length ? "keys" : `${noun}s`}: ${allowed.join(", ")}.` };
        }
        case "propertyNames":
            return undefined; // the key's own error (pattern, length) says more

        case "enum": {
            const allowed = (params.allowedValues as string[]) ?? schema.enum ?? [];
            const hint = typeof value === "string" ? didYouMean(value, allowed) : "";
            return { path: at, reason: `must be one of ${allowed.map((a) => `'${a}'`).join(", ")}, got ${JSON.stringify(value)}${hint}` };
        }
        case "type":
            return { path: at, reason: `must be ${article(params.type)}, got ${typeName(value)}` };
        case "pattern": {
            const fix = schema.description ?? `It must match ${params.pattern}.`;
            if (error.propertyName !== undefined) return { path: at, reason: `has an invalid key ${JSON.stringify(value)}. ${fix}`, location: [...at, String(value)] };
            return { path: at, reason: `${JSON.stringify(value)} is not valid. ${fix}` };
        }
        case "minLength":
            return { path: at, reason: "must not be empty" };
        case "maxLength":
            return { path: at, reason: `is too long: at most ${params.limit} characters` };
        case "minItems":
            return { path: at, reason: `must list at least ${params.limit} item${params.limit === 1 ? "" : "s"}` };
        case "maxItems":
            return { path: at, reason: `lists too many items: at most ${params.limit}` };
        case "uniqueItems":
            return { path: at, reason: `lists ${JSON.stringify((value as unknown[])[params.j])} twice; remove the duplicate` };
        case "minProperties":
        case "maxProperties":
            return { path: at, reason: schema.description ?? "has the wrong number of properties" };
        default:
            return { path: at, reason: error.message ?? "is invalid" };
    }
}

function describeProperty(schema: { properties?: Record<string, { $ref?: string; description?: string }> }, name: string): string {
    const property = schema.properties?.[name];
    const ref = property?.$ref ? SCHEMA.$defs?.[String(property.$ref).split("/").pop() as string] : undefined;
    const description: string | undefined = property?.description ?? ref?.description;
    return description ? `: ${description.replace(/\.$/, "")}` : "";
}

function typeName(value: unknown): string {
    if (value === null) return "null";
    if (Array.isArray(value)) return "a list";
    return typeof value === "object" ? "an object" : `${typeof value} ${JSON.stringify(value)}`;
}

function article(type: string | string[]): string {
    const t = Array.isArray(type) ? type.join(" or ") : type;
    const names: Record<string, string> = { string: "a string", array: "a list", object: "an object", boolean: "true or false", integer: "an integer", number: "a number" };
    return names[t] ?? t;
}

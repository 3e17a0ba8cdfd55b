// Plan-time validation of resource inputs against the top-level schema.json (the JSON Schema of every
// resource's inputs), with messages that name the property and say how to fix it.
import Ajv2020, { ErrorObject, ValidateFunction } from "ajv/dist/2020";
import * as fs from "node:fs";
import * as path from "node:path";
import { PACKAGE } from "../package-info";
import { didYouMean } from "./suggest";

export type ResourceKind = "CustomRole" | "RoleAssignment" | "FolderShare" | "Group";

export interface Failure {
    /** The top-level input the problem is in (camelCase, as the user wrote it). */
    property: string;
    reason: string;
}

export const SCHEMA = JSON.parse(fs.readFileSync(path.join(PACKAGE.root, "schema.json"), "utf8"));
const ajv = new Ajv2020({ allErrors: true, strict: true, verbose: true });
ajv.addSchema(SCHEMA);

const validators = new Map<string, ValidateFunction>();

export function validator(definition: string): ValidateFunction {
    let validate = validators.get(definition);
    if (!validate) {
        validate = ajv.getSchema(`${SCHEMA.$id}#/$defs/${definition}`);
        if (!validate) throw new Error(`schema.json has no definition '${definition}'`);
        validators.set(definition, validate);
    }
    return validate;
}

/** Schema failures of one resource's inputs; properties whose value is not known yet are not reported missing. */
export function schemaFailures(kind: ResourceKind, inputs: Record<string, unknown>, unknown: ReadonlySet<string> = new Set()): Failure[] {
    const validate = validator(kind);
    if (validate(inputs)) return [];
    const failures: Failure[] = [];
    const seen = new Set<string>();
    for (const error of validate.errors ?? []) {
        const failure = describeError(kind, error);
        if (!failure || unknown.has(failure.property)) continue;
        const key = `${failure.property}\u0000${failure.reason}`;
        if (!seen.has(key)) {
            seen.add(key);
            failures.push(failure);
        }
    }
    return failures;
}

function describeError(kind: ResourceKind, error: ErrorObject): Failure | undefined {
    const segments = error.instancePath.split("/").slice(1).map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
    const where = segments.map((s, i) => (i > 0 && /^\d+$/.test(s) ? `[${s}]` : i > 0 ? `.${s}` : s)).join("");
    const property = segments[0];
    const params = error.params as Record<string, any>;
    const schema = error.parentSchema as { description?: string; enum?: string[] } | undefined;
    switch (error.keyword) {
        case "required":
            return topLevelOrNested(kind, where, params.missingProperty, `is required${describe(kind, params.missingProperty)}.`);
        case "additionalProperties": {
            const allowed = Object.keys((error.parentSchema as { properties?: object })?.properties ?? {});
            const name = params.additionalProperty as string;
            const what = where ? `is not a key of ${where}` : `is not an input of ${kind}`;
            const hint = didYouMean(name, allowed);
            return topLevelOrNested(kind, where, name, `${what}${hint || "."} Valid ${where ? "keys" : "inputs"}: ${allowed.join(", ")}.`);
        }
        case "enum": {
            const value = valueAt(error);
            const allowed = (params.allowedValues as string[]) ?? schema?.enum ?? [];
            const hint = typeof value === "string" ? didYouMean(value, allowed) : "";
            return { property, reason: `${label(where)}must be one of ${allowed.map((a) => `'${a}'`).join(", ")}, got ${JSON.stringify(value)}${hint}` };
        }
        case "type":
            return { property, reason: `${label(where)}must be ${article(params.type)}, got ${typeName(valueAt(error))}` };
        case "pattern":
            return { property, reason: `${label(where)}${JSON.stringify(valueAt(error))} is not valid. ${schema?.description ?? `It must match ${params.pattern}.`}` };
        case "minLength":
            return { property, reason: `${label(where)}must not be empty` };
        case "maxLength":
            return { property, reason: `${label(where)}is too long: at most ${params.limit} characters` };
        case "minItems":
            return { property, reason: `${label(where)}must list at least ${params.limit} item${params.limit === 1 ? "" : "s"}` };
        case "maxItems":
            return { property, reason: `${label(where)}lists too many items: at most ${params.limit}` };
        case "uniqueItems":
            return { property, reason: `${label(where)}lists ${JSON.stringify((valueAt(error) as unknown[])[params.j])} twice; remove the duplicate` };
        case "minProperties":
        case "maxProperties":
            return { property, reason: `${label(where)}${schema?.description ?? `has the wrong number of properties`}` };
        default:
            return { property: property ?? "(inputs)", reason: `${label(where)}${error.message ?? "is invalid"}` };
    }
}

/** A missing or unexpected key is reported on the top-level input that holds it. */
function topLevelOrNested(kind: ResourceKind, where: string, name: string, reason: string): Failure {
    if (!where) return { property: name, reason };
    const top = where.split(/[.[]/)[0];
    return { property: top, reason: `${where}.${name} ${reason}` };
}

function describe(kind: ResourceKind, property: string): string {
    const text = SCHEMA.$defs?.[kind]?.properties?.[property];
    const ref = text?.$ref ? SCHEMA.$defs?.[String(text.$ref).split("/").pop() as string] : undefined;
    const description = text?.description ?? ref?.description;
    return description ? `: ${description.replace(/\.$/, "")}` : "";
}

function label(where: string): string {
    return where.includes(".") || where.includes("[") ? `${where} ` : "";
}

/** ajv does not hand out the failing value; it is found again from the error's data path. */
function valueAt(error: ErrorObject): unknown {
    return (error as ErrorObject & { data?: unknown }).data;
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

// Declarative diffing of inputs against the recorded outputs: each input is compared by its kind (a set, an
// optional string, a plain value) and either updates the resource in place or replaces it, as its schema.json
// entry says (x-onChange, x-unmanagedWhenAbsent).
import type * as pulumi from "@pulumi/pulumi";
import { ResourceKind, SCHEMA } from "../validation/schema";
import { canonical } from "../validation/grants";
import { isUnknown } from "./inputs";
import { sameSet } from "./sets";

export type Comparison = "value" | "set" | "optionalString" | "object";

export interface FieldRule {
    /**
     * What a change of this input does: `update` in place, `replace`, or `state`, an update that only records
     * the new value (settings such as adopt or forceDelete, read by later operations, with no API call).
     */
    onChange: "update" | "replace" | "state";
    compare?: Comparison;
    /** An optional input whose live value (a generated id, the members) is not compared when the input is absent. */
    unmanagedWhenAbsent?: boolean;
}

interface PropertySchema {
    $ref?: string;
    type?: string;
    "x-onChange"?: FieldRule["onChange"];
    "x-unmanagedWhenAbsent"?: boolean;
}

/** The diff table of a resource, from its schema.json entry: what a change does, and how values compare by type. */
export function fieldRules(kind: ResourceKind): Record<string, FieldRule> {
    const definition = SCHEMA.$defs[kind] as { properties: Record<string, PropertySchema>; required?: string[] };
    const rules: Record<string, FieldRule> = {};
    for (const [name, property] of Object.entries(definition.properties)) {
        const type = (property.$ref ? (SCHEMA.$defs[property.$ref.split("/").pop() as string] as PropertySchema) : property).type;
        const optional = !(definition.required ?? []).includes(name);
        const compare: Comparison = type === "array" ? "set" : type === "object" ? "object" : type === "string" && optional ? "optionalString" : "value";
        rules[name] = { onChange: property["x-onChange"] ?? "update", compare, ...(property["x-unmanagedWhenAbsent"] ? { unmanagedWhenAbsent: true } : {}) };
    }
    return rules;
}

export function equalAs(compare: Comparison, a: unknown, b: unknown): boolean {
    switch (compare) {
        case "set":
            // A set of objects (a principal's grants) compares its items by value.
            return sameSet((a as unknown[] | undefined)?.map(setItem), (b as unknown[] | undefined)?.map(setItem));
        case "optionalString":
            return (a ?? "") === (b ?? "");
        case "object":
            return canonical(a) === canonical(b);
        default:
            return (a ?? null) === (b ?? null);
    }
}

export function diffFields(
    olds: Record<string, unknown>,
    news: Record<string, unknown>,
    rules: Record<string, FieldRule>,
    options: { deleteBeforeReplace?: boolean } = {},
): pulumi.dynamic.DiffResult {
    const replaces: string[] = [];
    const stables: string[] = [];
    let changes = false;
    for (const [field, rule] of Object.entries(rules)) {
        const next = news[field];
        if (rule.unmanagedWhenAbsent && next === undefined) continue;
        const differs = isUnknown(next) || !equalAs(rule.compare ?? "value", olds[field], next);
        if (!differs) {
            if (rule.onChange === "replace") stables.push(field);
            continue;
        }
        changes = true;
        if (rule.onChange === "replace") replaces.push(field);
    }
    return {
        changes,
        replaces,
        stables,
        deleteBeforeReplace: replaces.length > 0 && options.deleteBeforeReplace === true,
    };
}

function setItem(item: unknown): string {
    return typeof item === "string" ? item : canonical(item);
}

// Helpers for the raw property bags the Pulumi engine hands to a dynamic provider: engine-internal keys (the
// serialized provider), and the unknown sentinel that stands for values not yet known during a preview.
import { unknownValue } from "@pulumi/pulumi/runtime/rpc";

export function isUnknown(value: unknown): boolean {
    return value === unknownValue;
}

export interface StrippedInputs {
    /** The inputs without engine-internal keys and without unknown values. */
    known: Record<string, unknown>;
    /** Top-level properties whose value (or part of it) is not known yet. */
    unknown: Set<string>;
}

/** Removes engine-internal keys (__provider) and unknown values, remembering which properties were unknown. */
export function stripInputs(inputs: Record<string, unknown>): StrippedInputs {
    const known: Record<string, unknown> = {};
    const unknown = new Set<string>();
    for (const [key, value] of Object.entries(inputs)) {
        if (key.startsWith("__") || value === undefined || value === null) continue;
        if (containsUnknown(value)) unknown.add(key);
        else known[key] = value;
    }
    return { known, unknown };
}

function containsUnknown(value: unknown): boolean {
    if (isUnknown(value)) return true;
    if (Array.isArray(value)) return value.some(containsUnknown);
    if (value && typeof value === "object") return Object.values(value).some(containsUnknown);
    return false;
}

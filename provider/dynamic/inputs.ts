// Helpers for the raw property bags the Pulumi engine hands to a dynamic provider: the serialized provider
// key, and the unknown sentinel that stands for values not yet known during a preview.
import { unknownValue } from "@pulumi/pulumi/runtime/rpc";

export const PROVIDER_KEY = "__provider";

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

/** Keeps only the named properties that are set, so outputs have one shape whatever the API returned. */
export function pick<T extends object>(value: T, keys: readonly (keyof T)[]): Partial<T> {
    const out: Partial<T> = {};
    for (const key of keys) if (value[key] !== undefined && value[key] !== null) out[key] = value[key];
    return out;
}

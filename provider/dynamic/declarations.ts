// Program-side checks across resources, which no single resource's check can see: two declarations of the
// same Cloudinary object (same role name, same assignment...) would fight each other and one's delete would
// remove what the other manages. Only plain values are compared; values computed from other resources
// (Outputs) are checked by Cloudinary itself at create time.
import * as pulumi from "@pulumi/pulumi";

const declared = new Map<string, string>();

export function claimUnique(kind: string, what: string, parts: unknown[], resourceName: string): void {
    if (!parts.every((p) => p === undefined || typeof p === "string" || typeof p === "boolean")) return;
    const key = `${kind}\u0000${what}\u0000${JSON.stringify(parts)}`;
    const owner = declared.get(key);
    if (owner !== undefined && owner !== resourceName) {
        throw new pulumi.RunError(
            `${kind} '${resourceName}' declares the same ${what} as ${kind} '${owner}' (${parts.filter((p) => p !== undefined).join(", ")}). ` +
                `Each Cloudinary object may be declared once; remove one of the two declarations.`,
        );
    }
    declared.set(key, resourceName);
}

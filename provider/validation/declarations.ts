// Checks across resources, which no single resource's check can see: two declarations of the same Cloudinary
// object (same role name, same assignment...) would fight each other and one's delete would remove what the
// other manages. They run twice: in the program, on plain values, naming both declarations; and in the
// provider process, on the values other resources' outputs resolve to, when the engine checks a resource
// before creating it during `pulumi up` (each process keeps its own registry: see withClaims).
import * as pulumi from "@pulumi/pulumi";

/** What one program (or one provider process) has declared so far. */
export class Claims {
    readonly declared = new Map<string, string>();
    readonly folderClaims = new Map<string, { share?: string; grants: Set<string> }>();
    readonly principalOwners = new Map<string, string>();
    readonly roleOwners = new Map<string, string>();
    readonly touches: { owner: string; principal?: string; roles: string[] }[] = [];
    /** Provider side: what each checked resource (by kind and id) declared. */
    readonly declarations = new Map<string, string>();
}

const programClaims = new Claims();
let current = programClaims;

/** Runs (synchronous) claims against another registry: the provider's, for resolved values. */
export function withClaims<T>(registry: Claims, run: () => T): T {
    const previous = current;
    current = registry;
    try {
        return run();
    } finally {
        current = previous;
    }
}

/**
 * In the provider, only the rules of authoritative resources run on resolved values: those are the conflicts
 * that would revoke and re-grant on every run. Uniqueness and shares stay on plain values, in the program
 * (a resource's name can change between two checks, and Cloudinary itself refuses a duplicate name or id).
 */
const inProvider = () => current !== programClaims;

export function claimUnique(kind: string, what: string, parts: unknown[], resourceName: string): void {
    if (inProvider()) return;
    if (!parts.every((p) => p === undefined || typeof p === "string" || typeof p === "boolean")) return;
    const key = `${kind}\u0000${what}\u0000${JSON.stringify(parts)}`;
    const owner = current.declared.get(key);
    if (owner !== undefined && owner !== resourceName) {
        throw new pulumi.RunError(
            `${kind} '${resourceName}' declares the same ${what} as ${kind} '${owner}' (${parts.filter((p) => p !== undefined).join(", ")}). ` +
                `Each Cloudinary object may be declared once; remove one of the two declarations.`,
        );
    }
    current.declared.set(key, resourceName);
}

// A FolderShare is authoritative for every folder role its principal holds on its folder, and Cloudinary keeps
// folder roles granted through the Permissions API (a content role with folder_id) in the same place: a
// RoleAssignment on the same folder and principal would be revoked by the share, and re-granted, on every run.
export function claimFolderRoles(kind: "FolderShare" | "RoleAssignment", principalType: unknown, principalId: unknown, folderId: unknown, resourceName: string): void {
    if (inProvider()) return;
    if (![principalType, principalId, folderId].every((p) => typeof p === "string")) return;
    const key = JSON.stringify([principalType, principalId, folderId]);
    const claim = current.folderClaims.get(key) ?? { grants: new Set<string>() };
    current.folderClaims.set(key, claim);
    // Two FolderShares of one folder and principal are caught by claimUnique.
    if (kind === "FolderShare") claim.share = resourceName;
    else claim.grants.add(resourceName);
    const grant = [...claim.grants][0];
    if (claim.share !== undefined && grant !== undefined) {
        throw new pulumi.RunError(
            `FolderShare '${claim.share}' and RoleAssignment '${grant}' both manage the folder roles of ${principalType} ${principalId} on folder ${folderId}. ` +
                `A FolderShare owns all of that principal's roles on its folder: add the role to the FolderShare's roles, or drop the FolderShare and use RoleAssignments.`,
        );
    }
}

// Authoritative resources own everything of their principal (PrincipalRoles) or role (RolePrincipals): any
// other declaration that grants a role to that principal, or grants that role, would be revoked by the owner on
// every run and re-granted by the other. Each declaration records the principal and roles it touches.

const plain = (...parts: unknown[]) => parts.every((p) => typeof p === "string");

function conflict(owner: string, what: string, other: string): never {
    throw new pulumi.RunError(
        `${owner} is authoritative for every grant of ${what}, and ${other} also grants to it; the two would undo each other on every run. ` +
            `Declare the grant in ${owner} only, or drop ${owner} and use additive resources.`,
    );
}

/** Records that a declaration grants `roles` to a principal (its type and id), and refuses one an authoritative resource owns. */
export function claimGrants(owner: string, principalType: unknown, principalId: unknown, roles: unknown[]): void {
    const principal = plain(principalType, principalId) ? `${principalType} ${principalId}` : undefined;
    const named = roles.filter((r): r is string => typeof r === "string");
    const byPrincipal = principal !== undefined ? current.principalOwners.get(principal) : undefined;
    if (byPrincipal !== undefined && byPrincipal !== owner) conflict(byPrincipal, `principal ${principal}`, owner);
    for (const role of named) {
        const byRole = current.roleOwners.get(role);
        if (byRole !== undefined && byRole !== owner) conflict(byRole, `role ${role}`, owner);
    }
    current.touches.push({ owner, principal, roles: named });
}

/** Records an authoritative resource over a principal ("type id") or a role, refusing a second owner or an earlier grant to it. */
export function claimAuthority(owner: string, over: { principal: unknown[] } | { role: unknown }): void {
    const [owners, key, what] = "principal" in over
        ? [current.principalOwners, plain(...over.principal) ? over.principal.join(" ") : undefined, "principal"]
        : [current.roleOwners, typeof over.role === "string" ? over.role : undefined, "role"];
    if (key === undefined) return;
    const first = owners.get(key);
    if (first !== undefined && first !== owner) {
        throw new pulumi.RunError(`${owner} and ${first} are both authoritative for ${what} ${key}; declare its grants in one of them only.`);
    }
    owners.set(key, owner);
    const other = current.touches.find((t) => t.owner !== owner && (what === "principal" ? t.principal === key : t.roles.includes(key)));
    if (other) conflict(owner, `${what} ${key}`, other.owner);
}

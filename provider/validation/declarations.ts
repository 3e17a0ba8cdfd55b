// Checks across resources, which no single resource's check can see: two declarations of the same Cloudinary
// object (same role name, same assignment...) would fight each other and one's delete would remove what the
// other manages. Each resource says what a declaration claims (a Claim, from its inputs); two registries apply
// the rules to it:
// - ProgramClaims, in the program, on plain values (a value that is another resource's Output is not compared),
//   naming both declarations: every rule;
// - ResolvedClaims, in the provider process, on the values other resources' outputs resolved to, when the engine
//   checks a resource before creating it during `pulumi up`: only the conflicts of authoritative resources, which
//   would revoke and re-grant on every run. Uniqueness and shares stay in the program (a resource's name can
//   change between two checks, and Cloudinary itself refuses a duplicate name or id).
import { CloudinaryPermissionsError } from "../api/errors";

/** What one declaration claims, read from its inputs; a value may be an Output (then it is not compared). */
export interface Claim {
    /** The Cloudinary objects it declares, each of which may be declared once: what it is, and the values naming it. */
    unique?: { what: string; parts: unknown[] }[];
    /** One principal's folder roles on one folder, which it grants (a FolderShare owns all of them). */
    folderRoles?: { principalType: unknown; principalId: unknown; folderId: unknown };
    /** The roles it grants, by principal. */
    grants?: { principalType: unknown; principalId: unknown; roles: unknown[] }[];
    /** Every grant of a principal (PrincipalRoles) or of a role (RolePrincipals), which it owns. */
    authority?: { principal: [unknown, unknown] } | { role: unknown };
}

/** Two declarations that would fight over one Cloudinary object: a plain message (marked as a RunError). */
export class DeclarationConflict extends CloudinaryPermissionsError {
    readonly name: string = "DeclarationConflict";
}

const plain = (...parts: unknown[]) => parts.every((p) => typeof p === "string");

/**
 * Authoritative resources own everything of their principal (PrincipalRoles) or role (RolePrincipals): any other
 * declaration that grants a role to that principal, or grants that role, would be revoked by the owner on every
 * run and re-granted by the other. Each declaration records the principal and roles it touches.
 */
class Authority {
    private readonly principalOwners = new Map<string, string>();
    private readonly roleOwners = new Map<string, string>();
    private readonly touches: { owner: string; principal?: string; roles: string[] }[] = [];

    apply(owner: string, claim: Claim): void {
        if (claim.authority) this.own(owner, claim.authority);
        for (const grant of claim.grants ?? []) this.grant(owner, grant.principalType, grant.principalId, grant.roles);
    }

    private grant(owner: string, principalType: unknown, principalId: unknown, roles: unknown[]): void {
        const principal = plain(principalType, principalId) ? `${principalType} ${principalId}` : undefined;
        const named = roles.filter((r): r is string => typeof r === "string");
        const byPrincipal = principal !== undefined ? this.principalOwners.get(principal) : undefined;
        if (byPrincipal !== undefined && byPrincipal !== owner) conflict(byPrincipal, `principal ${principal}`, owner);
        for (const role of named) {
            const byRole = this.roleOwners.get(role);
            if (byRole !== undefined && byRole !== owner) conflict(byRole, `role ${role}`, owner);
        }
        this.touches.push({ owner, principal, roles: named });
    }

    private own(owner: string, over: NonNullable<Claim["authority"]>): void {
        const [owners, key, what] = "principal" in over
            ? [this.principalOwners, plain(...over.principal) ? over.principal.join(" ") : undefined, "principal"]
            : [this.roleOwners, typeof over.role === "string" ? over.role : undefined, "role"];
        if (key === undefined) return;
        const first = owners.get(key);
        if (first !== undefined && first !== owner) {
            throw new DeclarationConflict(`${owner} and ${first} are both authoritative for ${what} ${key}; declare its grants in one of them only.`);
        }
        owners.set(key, owner);
        const other = this.touches.find((t) => t.owner !== owner && (what === "principal" ? t.principal === key : t.roles.includes(key)));
        if (other) conflict(owner, `${what} ${key}`, other.owner);
    }
}

function conflict(owner: string, what: string, other: string): never {
    throw new DeclarationConflict(
        `${owner} is authoritative for every grant of ${what}, and ${other} also grants to it; the two would undo each other on every run. ` +
            `Declare the grant in ${owner} only, or drop ${owner} and use additive resources.`,
    );
}

/** What one program has declared so far, compared on plain values; every conflict names both declarations. */
export class ProgramClaims {
    private readonly declared = new Map<string, string>();
    private readonly folderClaims = new Map<string, { share?: string; grants: Set<string> }>();
    private readonly authority = new Authority();

    /** Records a declaration (`kind` and its name in the program), refusing one that fights an earlier one. */
    claim(kind: string, name: string, claim: Claim): void {
        for (const { what, parts } of claim.unique ?? []) this.unique(kind, what, parts, name);
        if (claim.folderRoles) this.folderRoles(kind, claim.folderRoles, name);
        this.authority.apply(`${kind} '${name}'`, claim);
    }

    private unique(kind: string, what: string, parts: unknown[], name: string): void {
        if (!parts.every((p) => p === undefined || typeof p === "string" || typeof p === "boolean")) return;
        const key = `${kind}\u0000${what}\u0000${JSON.stringify(parts)}`;
        const owner = this.declared.get(key);
        if (owner !== undefined && owner !== name) {
            throw new DeclarationConflict(
                `${kind} '${name}' declares the same ${what} as ${kind} '${owner}' (${parts.filter((p) => p !== undefined).join(", ")}). ` +
                    `Each Cloudinary object may be declared once; remove one of the two declarations.`,
            );
        }
        this.declared.set(key, name);
    }

    // A FolderShare is authoritative for every folder role its principal holds on its folder, and Cloudinary keeps
    // folder roles granted through the Permissions API (a content role with folder_id) in the same place: a
    // RoleAssignment on the same folder and principal would be revoked by the share, and re-granted, on every run.
    private folderRoles(kind: string, { principalType, principalId, folderId }: NonNullable<Claim["folderRoles"]>, name: string): void {
        if (!plain(principalType, principalId, folderId)) return;
        const key = JSON.stringify([principalType, principalId, folderId]);
        const claim = this.folderClaims.get(key) ?? { grants: new Set<string>() };
        this.folderClaims.set(key, claim);
        // Two FolderShares of one folder and principal are caught as the same object declared twice.
        if (kind === "FolderShare") claim.share = name;
        else claim.grants.add(name);
        const grant = [...claim.grants][0];
        if (claim.share !== undefined && grant !== undefined) {
            throw new DeclarationConflict(
                `FolderShare '${claim.share}' and RoleAssignment '${grant}' both manage the folder roles of ${principalType} ${principalId} on folder ${folderId}. ` +
                    `A FolderShare owns all of that principal's roles on its folder: add the role to the FolderShare's roles, or drop the FolderShare and use RoleAssignments.`,
            );
        }
    }
}

/** What the resources one provider process has checked claim, on resolved values: authoritative conflicts only. */
export class ResolvedClaims {
    private readonly authority = new Authority();
    /** What each checked resource (by kind and id) declared. */
    private readonly declarations = new Map<string, string>();

    /**
     * Records a declaration (`kind` and its id), refusing one that fights an authoritative one. `declaration` (its
     * identifying inputs) is given for ids made of inputs: a second resource with the same id and other inputs
     * declares the same Cloudinary object again (two RolePrincipals of one role share its id).
     */
    claim(kind: string, owner: string, claim: Claim, declaration?: string): void {
        const key = `${kind} ${owner}`;
        const seen = declaration !== undefined ? this.declarations.get(key) : undefined;
        if (seen !== undefined && seen !== declaration) {
            throw new DeclarationConflict(`another ${kind} in this stack also declares ${owner}, with other inputs; each Cloudinary object may be declared once: remove one of the two declarations`);
        }
        if (declaration !== undefined) this.declarations.set(key, declaration);
        this.authority.apply(`${kind} '${owner}'`, claim);
    }
}

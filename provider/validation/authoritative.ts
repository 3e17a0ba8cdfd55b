// Rules shared by the authoritative resources (PrincipalRoles, RolePrincipals): each newly declared grant
// follows RoleAssignment's rules, and a revoke the inputs already show (a grant dropped from the list) is
// checked by the lock-out guard at preview.
import type { Grant } from "../api/domain";
import type { ProviderContext } from "../context";
import type { RoleAssignmentInputs } from "../generated/inputs";
import { grantChanges, grantKey } from "./grants";
import { lockoutReasons } from "./lockout";
import { roleAssignmentFailures } from "./roleAssignment";
import { Failure } from "./schema";

/**
 * RoleAssignment's rules for each grant not declared before; `same` holds the parts every grant of the list
 * shares (the principal, or the role), checked once by the caller and reported under its own property.
 */
export async function grantListFailures(ctx: ProviderContext, property: string, grants: Grant[], previous: Grant[] | undefined, same: Partial<RoleAssignmentInputs>): Promise<Failure[]> {
    const before = new Set((previous ?? []).map(grantKey));
    const reasons = new Set<string>();
    await Promise.all(
        grants.map(async (grant, i) => {
            if (before.has(grantKey(grant))) return;
            // Passing the shared parts as the previous inputs skips their checks: only this grant's own parts are checked.
            const failures = await roleAssignmentFailures(ctx, grant as RoleAssignmentInputs, { unknown: new Set(), olds: same });
            for (const f of failures) if (!(f.property in same)) reasons.add(`${property}[${i}] (${grant.roleId}): ${f.property} ${f.reason}`);
        }),
    );
    return [...reasons].map((reason) => ({ property, reason }));
}

/** The lock-out guard at preview, for the grants the new inputs drop. */
export async function droppedGrantFailures(ctx: ProviderContext, property: string, current: Grant[], previous: Grant[] | undefined, allowLockout: boolean | undefined): Promise<Failure[]> {
    if (!previous || allowLockout) return [];
    const { added, removed } = grantChanges(previous, current);
    if (removed.length === 0) return [];
    return (await lockoutReasons(ctx, removed, added)).map((reason) => ({ property, reason: `refused: ${reason}` }));
}

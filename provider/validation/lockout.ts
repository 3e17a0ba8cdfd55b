// The lock-out guard: no plan may leave the account without a principal holding Master Admin, nor revoke a
// role from the provisioning key this provider authenticates with, unless the resource opts in (allowLockout).
// Checked before the first write of every revoke, and at preview where the revoke is known from the inputs.
import type { Grant } from "../api/domain";
import { CloudinaryPermissionsError } from "../api/errors";
import type { ProviderContext } from "../context";
import { namesOfGrants } from "./names";

/** A plan refused before any write (it would lock the account out): shown as its message alone. */
export class RefusedError extends CloudinaryPermissionsError {
    readonly name: string = "RefusedError";
}

export const MASTER_ADMIN = "cld::role::account::master_admin";

const OPT_IN = "Set allowLockout: true on this resource if this is really intended.";

/** Why revoking these grants (and adding those) would lock the account out; empty when it is safe. */
export async function lockoutReasons(ctx: ProviderContext, revoked: readonly Grant[], added: readonly Grant[] = []): Promise<string[]> {
    const reasons: string[] = [];
    const ownKey = ctx.settings.account?.apiKey;
    const fromOwnKey = revoked.filter((g) => g.principalType === "provisioningKey" && g.principalId === ownKey);
    if (fromOwnKey.length) {
        reasons.push(`the plan revokes ${fromOwnKey.map((g) => g.roleId).join(", ")} from provisioning key ${ownKey}, the key this provider authenticates with; it could lose access to the account. ${OPT_IN}`);
    }
    const adminRevokes = revoked.filter((g) => g.roleId === MASTER_ADMIN);
    if (adminRevokes.length && !added.some((g) => g.roleId === MASTER_ADMIN)) {
        const gone = new Set(adminRevokes.map(holderKey));
        // Fresh: a "no one else holds it" must come from the API, not from what the run read earlier.
        const remaining = (await ctx.directory.holders(MASTER_ADMIN, "fresh")).filter((h) => !gone.has(holderKey(h)));
        if (remaining.length === 0) {
            const names = await namesOfGrants(ctx, adminRevokes).catch(() => ({}) as Record<string, string>);
            const who = adminRevokes.map((g) => `${g.principalType} ${names[g.principalId] ? `${names[g.principalId]} (${g.principalId})` : g.principalId}`);
            reasons.push(`the plan revokes ${MASTER_ADMIN} from ${who.join(", ")}, which would leave no principal holding it and lock everyone out of the account's administration. Grant it to someone else first. ${OPT_IN}`);
        }
    }
    return reasons;
}

/** Throws before any write when the revoke would lock the account out and the resource did not opt in. */
export async function guardLockout(ctx: ProviderContext, what: string, allow: boolean | undefined, revoked: readonly Grant[], added: readonly Grant[] = []): Promise<void> {
    if (allow || revoked.length === 0) return;
    const reasons = await lockoutReasons(ctx, revoked, added);
    if (reasons.length) throw new RefusedError(`${what}: refused, nothing was changed: ${reasons.join("; ")}`);
}

function holderKey(g: Grant): string {
    return `${g.principalType}|${g.principalId}`;
}

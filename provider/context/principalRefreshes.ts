// Refreshes of principals' grants (PrincipalRoles), served principal by principal or role by role, whichever
// costs fewer requests. Principal by principal costs one read per principal and permission type; role by role
// costs the two role listings and one read per role, shared by every principal of the run. A drift check of an
// account with a thousand principals and forty roles is then about forty requests instead of two thousand.
//
// The rule, by counts: refreshes that arrive together (within WINDOW_MS of the first, as the engine sends them
// at once) are counted. When they would cost at least MIN_READS reads principal by principal, the role listings
// are read; when the roles are fewer than those reads, the run reads role by role from then on. Both ways read
// the live account in this run, so a grant made out of band between two runs shows either way; what this
// process writes is applied to the views it reads from (context/directory.ts).
import type { Grant, PermissionType, Principal, Role } from "../api/domain";
import { CloudinaryApiError } from "../api/errors";

/** How long the first refresh waits for the others the engine sends with it. */
export const WINDOW_MS = 10;
/** Below this many reads principal by principal, the role listings are not worth reading to compare. */
export const MIN_READS = 8;

export interface RefreshReads {
    /** One principal's grants of the given permission types, as this run reads them for `reader`. */
    perPrincipal(principal: Principal, types: PermissionType[], reader: string): Promise<Grant[]>;
    /** Every role of the account, system and custom, as this run reads them. */
    roles(): Promise<Role[]>;
    /** Every grant of one role, as this run reads them for `reader`. */
    holders(roleId: string, reader: string): Promise<Grant[]>;
}

interface Ask {
    principal: Principal;
    types: PermissionType[];
    reader: string;
    resolve(grants: Grant[]): void;
    reject(error: unknown): void;
}

export class PrincipalRefreshes {
    private waiting: Ask[] | undefined;
    private byRole = false;

    constructor(private readonly reads: RefreshReads) {}

    /** One principal's grants of the given permission types, for the refresh `reader`. */
    grants(principal: Principal, types: PermissionType[], reader: string): Promise<Grant[]> {
        if (this.byRole) return this.fromRoles({ principal, types, reader });
        return new Promise((resolve, reject) => {
            if (!this.waiting) {
                this.waiting = [];
                setTimeout(() => void this.settle(), WINDOW_MS);
            }
            this.waiting.push({ principal, types, reader, resolve, reject });
        });
    }

    /** Which way this run reads refreshes now. */
    get mode(): "by principal" | "by role" {
        return this.byRole ? "by role" : "by principal";
    }

    private async settle(): Promise<void> {
        const asks = this.waiting ?? [];
        this.waiting = undefined;
        let byRole = this.byRole;
        try {
            byRole = byRole || (await this.cheaperByRole(asks));
        } catch {
            // The role listings failed: each principal is read on its own (and reports its own error).
        }
        for (const ask of asks) (byRole ? this.fromRoles(ask) : this.reads.perPrincipal(ask.principal, ask.types, ask.reader)).then(ask.resolve, ask.reject);
    }

    private async cheaperByRole(asks: Ask[]): Promise<boolean> {
        const perPrincipal = new Map(asks.map((a) => [a.reader, a.types.length]));
        const reads = [...perPrincipal.values()].reduce((sum, n) => sum + n, 0);
        if (reads < MIN_READS) return false;
        const roles = await this.reads.roles();
        this.byRole = roles.length < reads;
        return this.byRole;
    }

    /**
     * The principal's grants among every role's holders. A principal that holds nothing there may no longer exist:
     * it is read on its own, which says so (404) as a refresh principal by principal would.
     */
    private async fromRoles(ask: Omit<Ask, "resolve" | "reject">): Promise<Grant[]> {
        const roles = (await this.reads.roles()).filter((r) => ask.types.includes(r.permissionType));
        const held = await Promise.all(roles.map((r) => this.reads.holders(r.id, ask.reader).catch(goneIsEmpty)));
        const own = held.flat().filter((g) => g.principalType === ask.principal.principalType && g.principalId === ask.principal.principalId);
        return own.length ? own : this.reads.perPrincipal(ask.principal, ask.types, ask.reader);
    }
}

/** A role deleted since the listing holds no one. */
function goneIsEmpty(e: unknown): Grant[] {
    if (e instanceof CloudinaryApiError && e.isNotFound) return [];
    throw e;
}

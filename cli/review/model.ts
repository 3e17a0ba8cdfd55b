// The account as review models it: grants, group memberships, groups and roles, each fact marked with the
// declaration (URN) that adds it when the plan does, and each fact the plan takes away remembered with the
// declaration that removes it. The live account is one such state; the plan applied to it is the other.
import type { Grant, PermissionType, Principal, ScopeType } from "../../provider/api/domain";
import { cleanGrant, grantKey } from "../../provider/validation/grants";

/** Groups and roles the plan creates have no id until the up: review names them by their declaration. */
const NEW = "new:";
export const placeholderId = (urn: string): string => `${NEW}${urn}`;
export const isPlaceholder = (id: string | undefined): boolean => Boolean(id?.startsWith(NEW));

export interface PlannedGrant extends Grant {
    /** The declaration that adds the grant; absent for a grant the account already has. */
    by?: string;
}

export interface GroupInfo {
    id: string;
    name: string;
    /** The declaration that creates it, for a group the plan creates. */
    createdBy?: string;
}

export interface RoleInfo {
    id: string;
    name: string;
    custom: boolean;
    systemPolicyIds?: string[];
    permissionType?: PermissionType;
    scopeType?: ScopeType;
    /** The declaration that creates it, for a role the plan creates. */
    createdBy?: string;
}

/** A fact's key in `removedBy`. */
export const grantFact = (g: Grant): string => `grant ${grantKey(g)}`;
export const memberFact = (groupId: string, userId: string): string => `member ${groupId} ${userId}`;

export class AccessState {
    readonly grants = new Map<string, PlannedGrant>();
    /** group id → user id → the declaration that adds the membership (undefined: live) */
    readonly members = new Map<string, Map<string, string | undefined>>();
    readonly groups = new Map<string, GroupInfo>();
    readonly roles = new Map<string, RoleInfo>();
    /** fact → the declaration that takes it away */
    readonly removedBy = new Map<string, string>();

    clone(): AccessState {
        const copy = new AccessState();
        for (const [k, g] of this.grants) copy.grants.set(k, { ...g });
        for (const [g, m] of this.members) copy.members.set(g, new Map(m));
        for (const [k, g] of this.groups) copy.groups.set(k, { ...g });
        for (const [k, r] of this.roles) copy.roles.set(k, { ...r });
        for (const [k, v] of this.removedBy) copy.removedBy.set(k, v);
        return copy;
    }

    addGrant(grant: Grant, by?: string): void {
        const key = grantKey(grant);
        if (this.grants.has(key)) return;
        this.grants.set(key, { ...cleanGrant(grant), ...(by ? { by } : {}) });
    }

    removeGrants(match: (g: PlannedGrant) => boolean, by: string): void {
        for (const [key, g] of this.grants) {
            if (!match(g)) continue;
            this.grants.delete(key);
            if (!g.by) this.removedBy.set(grantFact(g), by);
        }
    }

    removeGrant(grant: Grant, by: string): void {
        const key = grantKey(grant);
        this.removeGrants((g) => grantKey(g) === key, by);
    }

    grantsOf(principal: Principal): PlannedGrant[] {
        return [...this.grants.values()].filter((g) => g.principalType === principal.principalType && g.principalId === principal.principalId);
    }

    /** `userIds` become members of the group; with `only`, they alone. */
    setMembers(groupId: string, userIds: string[], by: string, only = true): void {
        const current = this.members.get(groupId) ?? new Map<string, string | undefined>();
        this.members.set(groupId, current);
        if (only) for (const userId of [...current.keys()]) if (!userIds.includes(userId)) this.removeMember(groupId, userId, by);
        for (const userId of userIds) if (!current.has(userId)) current.set(userId, by);
    }

    removeMember(groupId: string, userId: string, by: string): void {
        const current = this.members.get(groupId);
        if (!current?.has(userId)) return;
        if (!current.get(userId)) this.removedBy.set(memberFact(groupId, userId), by);
        current.delete(userId);
    }

    /** The group is deleted: its memberships and its grants go with it. */
    removeGroup(groupId: string, by: string): void {
        this.setMembers(groupId, [], by);
        this.members.delete(groupId);
        this.groups.delete(groupId);
        this.removeGrants((g) => g.principalType === "group" && g.principalId === groupId, by);
    }
}

// The account after the plan, as the provider's operations would leave it. A delete (or the old half of a
// replacement) takes away what the resource declared. An update applies the difference between its state and its
// new inputs, as the provider's updates do (so a grant or member added out of band stays, unless the plan was made
// with --refresh, whose state is the live account). A create (or the new half of a replacement) of an
// authoritative resource sets its whole set against the live account, as the provider's creates do: the
// principal's grants (PrincipalRoles), the role's holders (RolePrincipals), the principal's roles on a folder
// (FolderShare), a group's members. The exclusive guard always compares with the live account, and runs last.
import type { Grant } from "../../provider/api/domain";
import { grantKey } from "../../provider/validation/grants";
import type { Declared, Effect } from "./declarations";
import { AccessState, RoleInfo } from "./model";

/** A custom role whose system policies the plan changes: every holder's access changes with it. */
export interface RoleChange {
    role: RoleInfo;
    addedPolicyIds: string[];
    removedPolicyIds: string[];
    urn: string;
}

// The order effects take hold in: roles and groups exist before grants name them; the guard revokes last.
const ORDER: Effect["type"][] = ["role", "group", "principalRoles", "rolePrincipals", "folderRoles", "grants", "exclusive", "none"];

export function applyPlan(live: AccessState, declared: Declared[]): { after: AccessState; roleChanges: RoleChange[] } {
    const after = live.clone();
    for (const { resource, before, after: next } of declared) {
        if (!before) continue;
        if (resource.op === "update" && next) takeAwayDifference(after, before, next, resource.urn);
        else takeAway(after, before, resource.urn);
    }
    const roleChanges: RoleChange[] = [];
    const afterSides = declared.filter((d) => d.after).sort((a, b) => ORDER.indexOf(a.after!.type) - ORDER.indexOf(b.after!.type));
    for (const { resource, before, after: effect } of afterSides) {
        putInPlace(after, effect!, resource.urn, resource.op !== "update");
        if (effect!.type === "role" && before?.type === "role" && resource.op === "update") {
            const change = policyChange(before.role, effect!.role, resource.urn);
            if (change) roleChanges.push(change);
        }
    }
    return { after, roleChanges };
}

/** A deleted resource's facts go. */
function takeAway(state: AccessState, effect: Effect, urn: string): void {
    switch (effect.type) {
        case "grants":
        case "principalRoles":
        case "rolePrincipals":
            for (const g of effect.grants) state.removeGrant(g, urn);
            return;
        case "folderRoles":
            for (const roleId of effect.roleIds) state.removeGrant(folderGrant(effect, roleId), urn);
            return;
        case "group":
            state.removeGroup(effect.group.id, urn);
            return;
        case "role":
            // Deleting a role revokes it from everyone (Cloudinary refuses unless forced when others still hold it).
            state.removeGrants((g) => g.roleId === effect.role.id, urn);
            return;
        default:
            return;
    }
}

/** An updated resource's facts that its new inputs no longer declare go. */
function takeAwayDifference(state: AccessState, before: Effect, after: Effect, urn: string): void {
    if ("grants" in before && "grants" in after) {
        const kept = new Set(after.grants.map(grantKey));
        for (const g of before.grants) if (!kept.has(grantKey(g))) state.removeGrant(g, urn);
    } else if (before.type === "folderRoles" && after.type === "folderRoles") {
        for (const roleId of before.roleIds) if (!after.roleIds.includes(roleId)) state.removeGrant(folderGrant(before, roleId), urn);
    } else if (before.type === "group" && after.type === "group" && after.memberIds) {
        for (const userId of before.memberIds ?? []) if (!after.memberIds.includes(userId)) state.removeMember(before.group.id, userId, urn);
    }
}

/** What a resource declares takes hold; `whole`: a create, which sets an authoritative set against the live account. */
function putInPlace(state: AccessState, effect: Effect, urn: string, whole: boolean): void {
    const addAll = (grants: Grant[]) => grants.forEach((g) => state.addGrant(g, urn));
    const keepOnly = (match: (g: Grant) => boolean, grants: Grant[]) => {
        const keep = new Set(grants.map(grantKey));
        if (whole) state.removeGrants((g) => match(g) && !keep.has(grantKey(g)), urn);
        addAll(grants);
    };
    switch (effect.type) {
        case "role":
            state.roles.set(effect.role.id, { ...state.roles.get(effect.role.id), ...effect.role });
            return;
        case "group":
            state.groups.set(effect.group.id, { ...state.groups.get(effect.group.id), ...effect.group });
            if (effect.memberIds) state.setMembers(effect.group.id, effect.memberIds, urn, whole);
            return;
        case "principalRoles":
            return keepOnly((g) => g.principalType === effect.principal.principalType && g.principalId === effect.principal.principalId, effect.grants);
        case "rolePrincipals":
            return keepOnly((g) => g.roleId === effect.roleId, effect.grants);
        case "folderRoles": {
            const onFolder = (g: Grant) => g.principalType === effect.principal.principalType && g.principalId === effect.principal.principalId && g.policyParameters !== undefined && "folderId" in g.policyParameters && g.policyParameters.folderId === effect.folderId;
            return keepOnly(onFolder, effect.roleIds.map((roleId) => folderGrant(effect, roleId)));
        }
        case "grants":
            return addAll(effect.grants);
        case "exclusive": {
            const declared = new Set(effect.declared.map(grantKey));
            const exempt = new Set(effect.exempt.map((p) => `${p.principalType} ${p.principalId}`));
            // Grants this plan makes are declared by it, whatever their ids turn out to be.
            state.removeGrants((g) => !g.by && !declared.has(grantKey(g)) && !exempt.has(`${g.principalType} ${g.principalId}`), urn);
            return;
        }
        default:
            return;
    }
}

function folderGrant(effect: Extract<Effect, { type: "folderRoles" }>, roleId: string): Grant {
    return { roleId, ...effect.principal, scopeId: effect.scopeId, policyParameters: { folderId: effect.folderId } };
}

function policyChange(before: RoleInfo, after: RoleInfo, urn: string): RoleChange | undefined {
    const old = new Set(before.systemPolicyIds ?? []);
    const now = new Set(after.systemPolicyIds ?? []);
    const addedPolicyIds = [...now].filter((p) => !old.has(p)).sort();
    const removedPolicyIds = [...old].filter((p) => !now.has(p)).sort();
    return addedPolicyIds.length || removedPolicyIds.length ? { role: after, addedPolicyIds, removedPolicyIds, urn } : undefined;
}

// The account after the plan: what each changed resource stops declaring is taken away, then what it declares is
// put in place, with each resource's own semantics (additive grants, a FolderShare's roles on its folder, the
// authoritative PrincipalRoles and RolePrincipals, a group's member list, the exclusive guard last, as it runs
// after everything else in an up).
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

const ADDITIVE = new Set(["grants", "folderRoles"]);
// The order effects take hold in: roles and groups exist before grants name them; the guard revokes last.
const ORDER: Effect["type"][] = ["role", "group", "principalRoles", "rolePrincipals", "folderRoles", "grants", "exclusive", "none"];

export function applyPlan(live: AccessState, declared: Declared[]): { after: AccessState; roleChanges: RoleChange[] } {
    const after = live.clone();
    for (const { resource, before } of declared) {
        if (!before) continue;
        // An update replaces what an additive resource declared; the others declare a whole (the new side says it all).
        const gone = resource.op !== "update" || ADDITIVE.has(before.type);
        if (gone) takeAway(after, before, resource.urn);
    }
    const roleChanges: RoleChange[] = [];
    const afterSides = declared.filter((d) => d.after).sort((a, b) => ORDER.indexOf(a.after!.type) - ORDER.indexOf(b.after!.type));
    for (const { resource, before, after: effect } of afterSides) {
        putInPlace(after, effect!, resource.urn);
        if (effect!.type === "role" && before?.type === "role" && resource.op === "update") {
            const change = policyChange(before.role, effect!.role, resource.urn);
            if (change) roleChanges.push(change);
        }
    }
    return { after, roleChanges };
}

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

function putInPlace(state: AccessState, effect: Effect, urn: string): void {
    switch (effect.type) {
        case "role":
            state.roles.set(effect.role.id, { ...state.roles.get(effect.role.id), ...effect.role });
            return;
        case "group":
            state.groups.set(effect.group.id, { ...state.groups.get(effect.group.id), ...effect.group });
            if (effect.memberIds) state.setMembers(effect.group.id, effect.memberIds, urn);
            return;
        case "principalRoles": {
            const keep = new Set(effect.grants.map(grantKey));
            state.removeGrants((g) => g.principalType === effect.principal.principalType && g.principalId === effect.principal.principalId && !keep.has(grantKey(g)), urn);
            for (const g of effect.grants) state.addGrant(g, urn);
            return;
        }
        case "rolePrincipals": {
            const keep = new Set(effect.grants.map(grantKey));
            state.removeGrants((g) => g.roleId === effect.roleId && !keep.has(grantKey(g)), urn);
            for (const g of effect.grants) state.addGrant(g, urn);
            return;
        }
        case "folderRoles": {
            const keep = new Set(effect.roleIds.map((roleId) => grantKey(folderGrant(effect, roleId))));
            const onFolder = (g: Grant) => g.principalType === effect.principal.principalType && g.principalId === effect.principal.principalId && g.policyParameters !== undefined && "folderId" in g.policyParameters && g.policyParameters.folderId === effect.folderId;
            state.removeGrants((g) => onFolder(g) && !keep.has(grantKey(g)), urn);
            for (const roleId of effect.roleIds) state.addGrant(folderGrant(effect, roleId), urn);
            return;
        }
        case "grants":
            for (const g of effect.grants) state.addGrant(g, urn);
            return;
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

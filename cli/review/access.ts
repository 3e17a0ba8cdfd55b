// Who holds which role where, before and after, and the difference. A grant reaches its principal, and each
// member of a group through the group; a role in all product environments ("all") reaches each of them; a folder
// role on F reaches F and every folder below it. A principal gains a role at a place only when no path gave it
// there before, and loses it only when no path is left; each change lists the paths it comes by (or came by).
import type { Principal } from "../../provider/api/domain";
import { AccessState, grantFact, memberFact, PlannedGrant } from "./model";

export type Place =
    | { type: "account" }
    | { type: "productEnvironment"; id: string }
    | { type: "folder"; productEnvironmentId: string; id: string }
    | { type: "collection"; productEnvironmentId: string; id: string };

/** How a principal holds a role at a place: directly, through a group, inherited from a parent folder, or both. */
export interface Via {
    groupId?: string;
    /** The folder the role was granted on, when it is a parent of the place. */
    folderId?: string;
}

export interface AccessChange {
    change: "gain" | "loss";
    principal: Principal;
    roleId: string;
    place: Place;
    via: Via;
    /** The plan's declarations (URNs) that make the change. */
    declarations: string[];
}

/** A folder read from the Admin API: its path and its ancestors' ids (root first). */
export interface FolderNode {
    id: string;
    path: string;
    ancestorIds: string[];
}

/** A folder and the folders below it, by product environment; a folder absent here could not be read. */
export type FolderTrees = Map<string, Map<string, FolderNode>>;

/** One principal holding one role at one place, by one path. */
interface Holding {
    principal: Principal;
    roleId: string;
    place: Place;
    groupId?: string;
    grant: PlannedGrant;
}

const principalKey = (p: Principal) => `${p.principalType} ${p.principalId}`;

export function placeKey(place: Place): string {
    return place.type === "account" ? "account" : place.type === "productEnvironment" ? `pe ${place.id}` : `${place.type} ${place.productEnvironmentId} ${place.id}`;
}

const holdingKey = (h: Pick<Holding, "principal" | "roleId" | "place">) => `${principalKey(h.principal)}|${h.roleId}|${placeKey(h.place)}`;

/** The places a grant applies to, as granted (before folder inheritance). */
function placesOf(grant: PlannedGrant, productEnvironmentIds: string[]): Place[] {
    const p = grant.policyParameters;
    if (p && grant.scopeId) return ["folderId" in p ? { type: "folder", productEnvironmentId: grant.scopeId, id: p.folderId } : { type: "collection", productEnvironmentId: grant.scopeId, id: p.collectionId }];
    if (!grant.scopeId) return [{ type: "account" }];
    const ids = grant.scopeId === "all" ? productEnvironmentIds : [grant.scopeId];
    return ids.map((id) => ({ type: "productEnvironment", id }));
}

/** Every holding of a state, at the places as granted. */
function holdings(state: AccessState, productEnvironmentIds: string[]): Holding[] {
    const out: Holding[] = [];
    for (const grant of state.grants.values()) {
        for (const place of placesOf(grant, productEnvironmentIds)) {
            const principal = { principalType: grant.principalType, principalId: grant.principalId };
            out.push({ principal, roleId: grant.roleId, place, grant });
            if (grant.principalType !== "group") continue;
            for (const userId of state.members.get(grant.principalId)?.keys() ?? []) {
                out.push({ principal: { principalType: "user", principalId: userId }, roleId: grant.roleId, place, groupId: grant.principalId, grant });
            }
        }
    }
    return out;
}

/** The folders where who holds what (as granted) differs: the change reaches them and every folder below them. */
export function touchedFolders(before: AccessState, after: AccessState, productEnvironmentIds: string[]): { productEnvironmentId: string; folderId: string }[] {
    const keysOn = (state: AccessState) => new Set(holdings(state, productEnvironmentIds).filter((h) => h.place.type === "folder").map(holdingKey));
    const [b, a] = [keysOn(before), keysOn(after)];
    const touched = new Map<string, { productEnvironmentId: string; folderId: string }>();
    for (const h of [...holdings(before, productEnvironmentIds), ...holdings(after, productEnvironmentIds)]) {
        if (h.place.type !== "folder" || b.has(holdingKey(h)) === a.has(holdingKey(h))) continue;
        touched.set(placeKey(h.place), { productEnvironmentId: h.place.productEnvironmentId, folderId: h.place.id });
    }
    return [...touched.values()];
}

/** Each path to each (principal, role, place): folder roles spread to the folders of `trees` below where they were granted. */
function effective(state: AccessState, productEnvironmentIds: string[], trees: FolderTrees): Map<string, { holding: Holding; via: Via }[]> {
    const out = new Map<string, { holding: Holding; via: Via }[]>();
    const add = (h: Holding, place: Place, via: Via) => {
        const key = holdingKey({ ...h, place });
        out.set(key, [...(out.get(key) ?? []), { holding: { ...h, place }, via }]);
    };
    for (const h of holdings(state, productEnvironmentIds)) {
        const group = h.groupId ? { groupId: h.groupId } : {};
        const tree = h.place.type === "folder" ? trees.get(h.place.productEnvironmentId) : undefined;
        if (h.place.type !== "folder" || !tree) {
            add(h, h.place, group);
            continue;
        }
        const grantedOn = h.place.id;
        if (!tree.has(grantedOn)) add(h, h.place, group);
        for (const node of tree.values()) {
            if (node.id === grantedOn) add(h, h.place, group);
            else if (node.ancestorIds.includes(grantedOn)) add(h, { ...h.place, id: node.id }, { ...group, folderId: grantedOn });
        }
    }
    return out;
}

/**
 * What the plan changes: each (principal, role, place) held after and not before is a gain, by each of its paths
 * in `after`; each held before and not after is a loss, by each path it had. Folder places are compared where a
 * change reaches (`trees`: the touched folders and those below them).
 */
export function accessChanges(before: AccessState, after: AccessState, productEnvironmentIds: string[], trees: FolderTrees): AccessChange[] {
    const [b, a] = [effective(before, productEnvironmentIds, trees), effective(after, productEnvironmentIds, trees)];
    const changes: AccessChange[] = [];
    for (const [key, paths] of a) {
        if (b.has(key)) continue;
        for (const { holding, via } of paths) {
            const declarations = [holding.grant.by, holding.groupId ? after.members.get(holding.groupId)?.get(holding.principal.principalId) : undefined];
            changes.push(changeOf("gain", holding, via, declarations));
        }
    }
    for (const [key, paths] of b) {
        if (a.has(key)) continue;
        for (const { holding, via } of paths) {
            const declarations = [after.removedBy.get(grantFact(holding.grant)), holding.groupId ? after.removedBy.get(memberFact(holding.groupId, holding.principal.principalId)) : undefined];
            changes.push(changeOf("loss", holding, via, declarations));
        }
    }
    return changes;
}

function changeOf(change: AccessChange["change"], h: Holding, via: Via, declarations: (string | undefined)[]): AccessChange {
    return { change, principal: h.principal, roleId: h.roleId, place: h.place, via, declarations: [...new Set(declarations.filter((d): d is string => Boolean(d)))] };
}

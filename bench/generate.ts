// Generates a realistic permissions.yaml of about N resources for the benchmarks and the chaos runs:
// 10% groups (1 to 3 members), 10% custom roles (global and folder roles), 60% role assignments (to groups,
// users and API keys, scoped to one or all product environments, folder roles on folders), 20% folder shares.
import { stringify } from "yaml";

const USERS = [
    "u0alice0000000000000000000001",
    "u0bob000000000000000000000002",
    "u0carol0000000000000000000003",
    "u0dave00000000000000000000004",
    "u0erin00000000000000000000005",
];
const PROD = { cloudName: "acme-prod", id: "pe0prod000000000000000000000001", apiKey: "820000000000002" };
const STAGING = { cloudName: "acme-staging", id: "pe0stag000000000000000000000002", apiKey: "830000000000002" };
const PROD_FOLDERS = [
    "fmarketing0000000000000000000001",
    "fcampaigns0000000000000000000002",
    "fwinter2026000000000000000000003",
    "fcreative00000000000000000000004",
    "fbrandassets000000000000000000005",
    "fproducts0000000000000000000006",
];
const GLOBAL_POLICIES = [
    "cld::policy::global::ml::access",
    "cld::policy::global::upload_presets::manage",
    "cld::policy::global::folder_and_asset_management::create_asset",
    "cld::policy::global::folder_and_asset_management::view",
    "cld::policy::global::assets::moderate",
    "cld::policy::global::reports::usage::view",
];
const FOLDER_POLICIES = ["cld::policy::content::folder::view_download", "cld::policy::content::folder::add_assets", "cld::policy::content::folder::move_assets"];
const FOLDER_ROLES = ["cld::role::folder::viewer", "cld::role::folder::contributor", "cld::role::folder::manager"];

export interface GeneratedStack {
    yaml: string;
    counts: { groups: number; members: number; customRoles: number; roleAssignments: number; folderShares: number; resources: number };
    /** Cloudinary writes an `up` from empty needs: one per object, one per group member. */
    writesToCreate: number;
    /** The same stack with about 10% of its resources changed in place, and the writes that change needs. */
    touched(): { yaml: string; changes: number; writes: number };
}

/** A small deterministic PRNG, so that a size always gives the same stack. */
function prng(seed: number): () => number {
    let s = seed >>> 0;
    return () => {
        s = (s * 1664525 + 1013904223) >>> 0;
        return s / 2 ** 32;
    };
}

export interface GenerateOptions {
    /**
     * Every principal a group of the file and every role a custom role of it, so that every grant waits for a
     * group and a role of the same program; no folder shares.
     */
    ownPrincipals?: boolean;
}

export function generateStack(size: number, seed = 1, options: GenerateOptions = {}): GeneratedStack {
    const random = prng(seed);
    const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)];
    // With ownPrincipals, the mix of the stale-cache report: 1/3 groups, 1/6 custom roles, the rest grants to them.
    const nGroups = Math.max(1, Math.round(size * (options.ownPrincipals ? 1 / 3 : 0.1)));
    const nRoles = Math.max(2, Math.round(size * (options.ownPrincipals ? 1 / 6 : 0.1)));
    const nShares = options.ownPrincipals ? 0 : Math.max(1, Math.round(size * 0.2));
    const nAssignments = Math.max(1, size - nGroups - nRoles - nShares);

    const groups: Record<string, { name: string; memberIds: string[] }> = {};
    for (let i = 0; i < nGroups; i++) {
        const members = [...new Set(Array.from({ length: 1 + Math.floor(random() * 3) }, () => pick(USERS)))];
        groups[`g${i}`] = { name: `Team ${i}`, memberIds: members };
    }
    const customRoles: Record<string, object> = {};
    const folderRoleKeys: string[] = [];
    const globalRoleKeys: string[] = [];
    for (let i = 0; i < nRoles; i++) {
        const folderRole = i % 4 === 3;
        const pool = folderRole ? FOLDER_POLICIES : GLOBAL_POLICIES;
        const policies = [...new Set(Array.from({ length: 1 + Math.floor(random() * 3) }, () => pick(pool)))];
        customRoles[`r${i}`] = { name: `Role ${i}`, description: `Generated role ${i}`, permissionType: folderRole ? "content" : "global", scopeType: "prodenv", systemPolicyIds: policies };
        (folderRole ? folderRoleKeys : globalRoleKeys).push(`r${i}`);
    }
    const groupKeys = Object.keys(groups);

    // Distinct grants: (role, principal, scope, folder).
    const roleAssignments: Record<string, object> = {};
    const seen = new Set<string>();
    // A FolderShare owns all of its principal's roles on its folder: no folder grant may share both.
    const folderGrants = new Set<string>();
    for (let i = 0, attempts = 0; i < nAssignments && attempts < nAssignments * 50; attempts++) {
        const kind = options.ownPrincipals ? 0 : random();
        const principal = kind < 0.6 ? { principalType: "group", principalId: pick(groupKeys) } : kind < 0.85 ? { principalType: "user", principalId: pick(USERS) } : { principalType: "apiKey", principalId: PROD.apiKey };
        const folder = random() < 0.3 && folderRoleKeys.length > 0;
        const roleId = folder ? pick(folderRoleKeys) : pick(globalRoleKeys);
        const scopeId = folder || principal.principalType === "apiKey" ? PROD.id : pick([PROD.id, STAGING.id, "all"]);
        const grant = { roleId, ...principal, scopeId, ...(folder ? { policyParameters: { folderId: pick(PROD_FOLDERS) } } : {}) };
        const key = JSON.stringify(grant);
        if (seen.has(key)) continue;
        seen.add(key);
        if (grant.policyParameters) folderGrants.add(`${grant.policyParameters.folderId}|${principal.principalId}`);
        roleAssignments[`a${i++}`] = grant;
    }
    const folderShares: Record<string, object> = {};
    const shared = new Set<string>();
    for (let i = 0, attempts = 0; i < nShares && attempts < nShares * 50; attempts++) {
        const group = options.ownPrincipals || random() < 0.8;
        const principalId = group ? pick(groupKeys) : pick(USERS);
        const folderId = pick(PROD_FOLDERS);
        const key = `${folderId}|${principalId}`;
        if (shared.has(key) || folderGrants.has(key)) continue;
        shared.add(key);
        folderShares[`s${i++}`] = { cloudName: PROD.cloudName, folderId, principalType: group ? "group" : "user", principalId, roles: [pick(FOLDER_ROLES)] };
    }

    const file = { groups, customRoles, roleAssignments, folderShares };
    const members = Object.values(groups).reduce((n, g) => n + g.memberIds.length, 0);
    const counts = {
        groups: nGroups,
        members,
        customRoles: nRoles,
        roleAssignments: Object.keys(roleAssignments).length,
        folderShares: Object.keys(folderShares).length,
        resources: nGroups + nRoles + Object.keys(roleAssignments).length + Object.keys(folderShares).length,
    };
    return {
        yaml: stringify(file),
        counts,
        writesToCreate: counts.groups + counts.members + counts.customRoles + counts.roleAssignments + counts.folderShares,
        touched: () => touch(file, random),
    };
}

/**
 * Changes about 10% of the resources in place, one Cloudinary write each: a role's description, a group's name,
 * one more role on a folder share. (Swapping a share's role would be two writes, an add and a remove.)
 */
function touch(file: { groups: Record<string, any>; customRoles: Record<string, any>; folderShares: Record<string, any>; roleAssignments: Record<string, any> }, random: () => number) {
    const copy = JSON.parse(JSON.stringify(file));
    const total = Object.keys(copy.groups).length + Object.keys(copy.customRoles).length + Object.keys(copy.roleAssignments).length + Object.keys(copy.folderShares).length;
    const target = Math.max(1, Math.round(total * 0.1));
    const candidates: (() => void)[] = [
        ...Object.values(copy.customRoles).map((r: any) => () => (r.description = `${r.description} (revised)`)),
        ...Object.values(copy.groups).map((g: any) => () => (g.name = `${g.name} (renamed)`)),
        ...Object.values(copy.folderShares).map((s: any) => () => (s.roles = [...s.roles, FOLDER_ROLES.find((r) => !s.roles.includes(r))])),
    ];
    // A deterministic shuffle, then the first `target` changes.
    for (let i = candidates.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [candidates[i], candidates[j]] = [candidates[j], candidates[i]];
    }
    const chosen = candidates.slice(0, Math.min(target, candidates.length));
    chosen.forEach((change) => change());
    return { yaml: stringify(copy), changes: chosen.length, writes: chosen.length };
}

// The live account, read through the provider's run directory, as much as the plan needs and in a bounded number
// of requests: the users, groups (one listing with members), product environments and roles (two listings), the
// holders of each role the plan concerns (one read per role: every role when the plan changes a principal's
// whole set of grants, a group, or the exclusive guard), and only the folders a change reaches (one read each
// for a folder and all folders below it). Never one read per grant.
import type { Grant } from "../../provider/api/domain";
import type { ProviderContext } from "../../provider/context";
import type { FolderTrees } from "./access";
import type { AccountListings } from "./declarations";
import { AccessState, isPlaceholder, RoleInfo } from "./model";
import { isUnknown, Kind, Plan } from "./plan";

// A change to these declares a principal's (or a group's, or the account's) whole set: every role's holders are needed.
const WHOLE_ACCOUNT: Kind[] = ["PrincipalRoles", "Group", "AccountGrants", "FolderShare"];

export interface LiveAccount {
    accountId: string;
    listings: AccountListings;
    state: AccessState;
    /** Notes on what the review could not see (a product environment without Admin API credentials). */
    notes: string[];
    /** The folders read so far, each with those below it. */
    trees: FolderTrees;
    /** Reads the folders below each of these (once each; folders already read are not read again). */
    readTrees(folders: { productEnvironmentId: string; folderId: string }[]): Promise<void>;
}

/** The roles whose holders the plan can change or needs to compare against: "all", or their ids. */
export function rolesConcerned(plan: Plan): "all" | string[] {
    if (plan.resources.some((r) => WHOLE_ACCOUNT.includes(r.kind))) return "all";
    const ids = new Set<string>();
    for (const r of plan.resources) {
        for (const side of [r.before, r.after]) {
            const roleId = side?.inputs.roleId;
            if (typeof roleId === "string" && !isUnknown(roleId)) ids.add(roleId);
            if (r.kind === "CustomRole" && side?.id) ids.add(side.id);
        }
    }
    return [...ids];
}

export async function readLiveAccount(ctx: ProviderContext, plan: Plan): Promise<LiveAccount> {
    const { directory } = ctx;
    const [catalog, listed, users, groups, productEnvironments] = await Promise.all([
        directory.catalog(),
        Promise.all((["global", "content"] as const).map((t) => ctx.api.account.listRoles(t, "custom"))).then((l) => l.flat()),
        directory.users(),
        directory.groups().then((byId) => [...byId.values()]),
        directory.productEnvironments(),
    ]);
    const roles = new Map<string, RoleInfo>();
    for (const r of catalog.roles.values()) roles.set(r.id, { id: r.id, name: r.name, custom: false, systemPolicyIds: r.systemPolicyIds, permissionType: r.permissionType, scopeType: r.scopeType });
    for (const r of listed) roles.set(r.id, { id: r.id, name: r.name, custom: true, permissionType: r.permissionType, scopeType: r.scopeType });

    const concerned = rolesConcerned(plan);
    const roleIds = concerned === "all" ? [...roles.keys()] : concerned.filter((id) => roles.has(id) && !isPlaceholder(id));
    const grants: Grant[] = (await Promise.all(roleIds.map((id) => directory.holders(id, "known")))).flat();

    const state = new AccessState();
    for (const g of grants) state.addGrant(g);
    for (const g of groups) {
        state.groups.set(g.id, { id: g.id, name: g.name });
        state.members.set(g.id, new Map((g.memberIds ?? []).map((u) => [u, undefined])));
    }
    for (const [id, r] of roles) state.roles.set(id, r);

    const notes: string[] = [];
    const trees: FolderTrees = new Map();
    const read = new Set<string>();
    const cloudNameOf = (peId: string) => productEnvironments.get(peId)?.cloudName;
    const folders = (peId: string) => {
        const cloudName = cloudNameOf(peId);
        if (cloudName && ctx.hasProductEnvironment(cloudName)) return directory.folders(cloudName);
        const note = `folders of ${cloudName ?? peId} are shown by id and roles granted on a folder are not followed to the folders below it: no Admin API credentials for it (CLOUDINARY_PRODUCT_ENVIRONMENTS)`;
        if (!notes.includes(note)) notes.push(note);
        return undefined;
    };
    /** Reads the folder and those below it into `trees`; false when the folder does not exist. */
    const readTree = async (peId: string, folderId: string): Promise<boolean> => {
        const tree = trees.get(peId) ?? new Map();
        if (tree.has(folderId) || read.has(`${peId} ${folderId}`)) return tree.has(folderId);
        read.add(`${peId} ${folderId}`);
        const nodes = await folders(peId)?.subtree(folderId);
        if (!nodes) return false;
        for (const node of nodes) tree.set(node.id, { id: node.id, path: node.path, ancestorIds: node.ancestorIds ?? [] });
        trees.set(peId, tree);
        return true;
    };

    const listings: AccountListings = {
        users,
        groups: new Map(groups.map((g) => [g.id, g])),
        productEnvironments,
        roles,
        async folderId(peId, idOrPath) {
            const api = folders(peId);
            if (!api) return idOrPath;
            if (await readTree(peId, idOrPath)) return idOrPath;
            const id = (await api.folderAt(idOrPath))?.id;
            if (id) await readTree(peId, id);
            return id;
        },
    };
    return {
        accountId: ctx.settings.account?.accountId ?? "",
        listings,
        state,
        notes,
        trees,
        async readTrees(list) {
            // A folder already inside a tree read is not read again.
            for (const { productEnvironmentId, folderId } of list) if (!trees.get(productEnvironmentId)?.has(folderId)) await readTree(productEnvironmentId, folderId);
        },
    };
}

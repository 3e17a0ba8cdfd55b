// A review of a plan: the live account (before) against the account after the plan, as changes in who holds
// which role where, named as people know them, with what declares each change, and the gains of denied roles.
import type { Principal } from "../../provider/api/domain";
import type { ProviderContext } from "../../provider/context";
import { AccessChange, accessChanges, Place, touchedFolders, Via } from "./access";
import { LiveAccount, readLiveAccount } from "./account";
import { applyPlan, RoleChange } from "./apply";
import { declarationsOf, Unresolved } from "./declarations";
import { AccessState, isPlaceholder, RoleInfo } from "./model";
import { declarationLabel, Plan } from "./plan";
import { PolicyChangeView, policyChanges } from "./policies";
import { ReviewWarning, reviewWarnings } from "./warnings";

export interface PrincipalView {
    type: Principal["principalType"];
    /** null for a group the plan creates (its id is assigned at the up). */
    id: string | null;
    name: string;
    new?: true;
}

export interface RoleView {
    id: string | null;
    name: string;
    custom: boolean;
    new?: true;
    /** For a custom role: the system policies it carries. */
    systemPolicyIds?: string[];
}

export interface PlaceView {
    type: Place["type"];
    id: string;
    name: string;
    /** For a folder or collection: its product environment. */
    productEnvironment?: { id: string; name: string };
}

export interface ViaView {
    group?: { id: string | null; name: string };
    folder?: { id: string; path: string };
}

export interface ChangeView {
    change: "gain" | "loss";
    principal: PrincipalView;
    roleId: string | null;
    role: RoleView;
    place: PlaceView;
    via?: ViaView;
    /** URNs of the declarations that make the change. */
    declarations: string[];
    /** A gain of a role given with --deny. */
    denied?: true;
}

export interface RoleChangeView {
    role: RoleView;
    addedPolicyIds: string[];
    removedPolicyIds: string[];
    declaration: string;
    /** Who holds the role after the plan (a group's members through it): their access changes with the role. */
    holders: PrincipalView[];
}

export interface ReviewReport {
    stack?: string;
    account: { id: string };
    summary: { gains: number; losses: number; principals: number; denied: number };
    changes: ChangeView[];
    roleChanges: RoleChangeView[];
    /** Custom policies (Cedar) the plan adds, removes or changes. */
    policyChanges: PolicyChangeView[];
    /** Inputs the review could not resolve (an id unknown at preview that no resource of the plan accounts for). */
    unresolved: Unresolved[];
    /** What the review could not see. */
    notes: string[];
    warnings: ReviewWarning[];
}

export interface ReviewOptions {
    stack?: string;
    deny?: string[];
}

export async function review(ctx: ProviderContext, plan: Plan, options: ReviewOptions = {}): Promise<ReviewReport> {
    const live = await readLiveAccount(ctx, plan);
    const { declared, unresolved } = await declarationsOf(plan.resources, live.listings);
    const { after, roleChanges } = applyPlan(live.state, declared);
    const peIds = [...live.listings.productEnvironments.keys()];
    await live.readTrees(touchedFolders(live.state, after, peIds));
    const changes = accessChanges(live.state, after, peIds, live.trees);
    const names = new Names(ctx, live, after);
    await names.loadPolicies([...changes.map((c) => c.roleId), ...roleChanges.map((r) => r.role.id)]);
    const views = sortChanges(changes.map((c) => names.change(c, options.deny ?? [])));
    return {
        ...(options.stack ? { stack: options.stack } : {}),
        account: { id: live.accountId },
        summary: {
            gains: views.filter((c) => c.change === "gain").length,
            losses: views.filter((c) => c.change === "loss").length,
            principals: new Set(views.map((c) => principalLabel(c.principal))).size,
            denied: views.filter((c) => c.denied).length,
        },
        changes: views,
        roleChanges: roleChanges.map((r) => names.roleChange(r)),
        policyChanges: policyChanges(plan.resources, live.listings, live.accountId),
        unresolved,
        notes: live.notes,
        warnings: await reviewWarnings(ctx, live.state, after),
    };
}

/** Names for ids: users by email, groups and roles by name (as declared, for new ones), places by cloud name and path. */
class Names {
    private readonly policies = new Map<string, string[]>();

    constructor(
        private readonly ctx: ProviderContext,
        private readonly live: LiveAccount,
        private readonly after: AccessState,
    ) {}

    /** The system policies of the live custom roles named (one read each, only for the roles in changes). */
    async loadPolicies(roleIds: string[]): Promise<void> {
        const custom = [...new Set(roleIds)].filter((id) => !isPlaceholder(id) && this.live.state.roles.get(id)?.custom && !this.after.roles.get(id)?.systemPolicyIds);
        await Promise.all(custom.map(async (id) => this.policies.set(id, (await this.ctx.directory.role(id))?.systemPolicyIds ?? [])));
    }

    principal(p: Principal): PrincipalView {
        if (p.principalType === "user") {
            const user = this.live.listings.users.get(p.principalId);
            return { type: "user", id: p.principalId, name: user?.email ?? user?.name ?? p.principalId };
        }
        if (p.principalType === "group") {
            const group = this.after.groups.get(p.principalId) ?? this.live.state.groups.get(p.principalId);
            return isPlaceholder(p.principalId) ? { type: "group", id: null, name: group?.name ?? p.principalId, new: true } : { type: "group", id: p.principalId, name: group?.name ?? p.principalId };
        }
        return { type: p.principalType, id: p.principalId, name: p.principalId };
    }

    role(roleId: string): RoleView {
        const info: RoleInfo | undefined = this.after.roles.get(roleId) ?? this.live.state.roles.get(roleId);
        const custom = info?.custom ?? !roleId.startsWith("cld::");
        const systemPolicyIds = info?.systemPolicyIds ?? this.policies.get(roleId);
        return {
            id: isPlaceholder(roleId) ? null : roleId,
            name: info?.name ?? roleId,
            custom,
            ...(info?.createdBy ? { new: true as const } : {}),
            ...(custom && systemPolicyIds ? { systemPolicyIds } : {}),
        };
    }

    place(place: Place): PlaceView {
        if (place.type === "account") return { type: "account", id: this.live.accountId, name: "account" };
        const pe = this.live.listings.productEnvironments.get(place.type === "productEnvironment" ? place.id : place.productEnvironmentId);
        if (place.type === "productEnvironment") return { type: "productEnvironment", id: place.id, name: pe?.cloudName ?? place.id };
        const productEnvironment = { id: place.productEnvironmentId, name: pe?.cloudName ?? place.productEnvironmentId };
        return { type: place.type, id: place.id, name: place.type === "folder" ? this.folderPath(place.productEnvironmentId, place.id) : place.id, productEnvironment };
    }

    folderPath(peId: string, folderId: string): string {
        return this.live.trees.get(peId)?.get(folderId)?.path ?? folderId;
    }

    via(via: Via, place: Place): ViaView | undefined {
        const out: ViaView = {};
        if (via.groupId) {
            const group = this.principal({ principalType: "group", principalId: via.groupId });
            out.group = { id: group.id, name: group.name };
        }
        if (via.folderId && place.type === "folder") out.folder = { id: via.folderId, path: this.folderPath(place.productEnvironmentId, via.folderId) };
        return out.group || out.folder ? out : undefined;
    }

    change(c: AccessChange, deny: string[]): ChangeView {
        const via = this.via(c.via, c.place);
        const role = this.role(c.roleId);
        return {
            change: c.change,
            principal: this.principal(c.principal),
            roleId: role.id,
            role,
            place: this.place(c.place),
            ...(via ? { via } : {}),
            declarations: c.declarations,
            ...(c.change === "gain" && deny.includes(c.roleId) ? { denied: true as const } : {}),
        };
    }

    roleChange(r: RoleChange): RoleChangeView {
        const holders = new Map<string, PrincipalView>();
        for (const g of this.after.grants.values()) {
            if (g.roleId !== r.role.id) continue;
            const direct = this.principal(g);
            holders.set(principalLabel(direct), direct);
            if (g.principalType !== "group") continue;
            for (const userId of this.after.members.get(g.principalId)?.keys() ?? []) {
                const member = this.principal({ principalType: "user", principalId: userId });
                holders.set(principalLabel(member), member);
            }
        }
        return { role: this.role(r.role.id), addedPolicyIds: r.addedPolicyIds, removedPolicyIds: r.removedPolicyIds, declaration: r.urn, holders: [...holders.values()] };
    }
}

const TYPE_ORDER = ["user", "group", "apiKey", "provisioningKey"];
const PLACE_ORDER = ["account", "productEnvironment", "folder", "collection"];

export function principalLabel(p: PrincipalView): string {
    return p.type === "user" ? p.name : `${p.type === "group" ? "group" : p.type === "apiKey" ? "API key" : "provisioning key"} ${p.name}${p.new ? " (new)" : ""}`;
}

export function placeLabel(p: PlaceView): string {
    if (p.type === "account") return "the account";
    if (p.type === "productEnvironment") return p.name;
    return `${p.productEnvironment?.name}:${p.name}${p.type === "collection" ? " (collection)" : ""}`;
}

function sortChanges(changes: ChangeView[]): ChangeView[] {
    const key = (c: ChangeView) => [TYPE_ORDER.indexOf(c.principal.type), principalLabel(c.principal), PLACE_ORDER.indexOf(c.place.type), placeLabel(c.place), c.role.name, c.change, c.via?.group?.name ?? "", c.via?.folder?.path ?? ""];
    return [...changes].sort((a, b) => {
        const [x, y] = [key(a), key(b)];
        for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return typeof x[i] === "number" ? (x[i] as number) - (y[i] as number) : String(x[i]).localeCompare(String(y[i]));
        return 0;
    });
}

/** "user bob@acme.example gains Master Admin (cld::role::account::master_admin) on the account through group Platform, declared by Group 'platform'". */
export function describeDenied(c: ChangeView): string {
    const how = c.via?.group ? ` through group ${c.via.group.name}` : "";
    const from = c.via?.folder ? ` (inherited from ${c.via.folder.path})` : "";
    const place = c.place.type === "account" ? "on the account" : `in ${placeLabel(c.place)}`;
    const declared = c.declarations.map((urn) => `${declarationLabel(urn)} (${urn})`).join(", ") || "the plan";
    return `${c.principal.type} ${c.principal.name} gains ${c.role.name} (${c.roleId ?? "new role"}) ${place}${how}${from}, declared by ${declared}`;
}

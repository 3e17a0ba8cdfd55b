// Custom policies (Cedar) the plan adds, removes or changes: access too, though not by role. Each is listed with
// where it applies and whom its principal constraints name (read from the statement by the Cedar engine).
import { principalScopes } from "../../provider/validation/cedar";
import type { AccountListings } from "./declarations";
import type { PlannedResource, ResourceSide } from "./plan";

export interface PolicyChangeView {
    change: "added" | "removed" | "changed";
    /** null for a policy the plan creates. */
    id: string | null;
    name: string;
    place: { type: "account" | "productEnvironment"; id: string; name: string };
    /** Whom the statement names: "user bob@acme.example", "group Platform", "every principal", "every APIKey". */
    appliesTo: string[];
    declaration: string;
}

const enabled = (side?: ResourceSide) => Boolean(side) && side!.inputs.enabled !== false;

export function policyChanges(resources: PlannedResource[], listings: AccountListings, accountId: string): PolicyChangeView[] {
    const out: PolicyChangeView[] = [];
    for (const r of resources.filter((x) => x.kind === "CustomPolicy")) {
        const [was, is] = [enabled(r.before), enabled(r.after)];
        const same = was && is && ["policyStatement", "scopeType", "scopeId"].every((k) => r.before!.inputs[k] === r.after!.inputs[k]);
        if ((!was && !is) || same) continue;
        const side = (is ? r.after : r.before)!;
        const change = was && is ? "changed" : is ? "added" : "removed";
        out.push({ change, id: r.before?.id ?? null, name: String(side.inputs.name ?? r.name), place: placeOf(side, listings, accountId), appliesTo: appliesTo(String(side.inputs.policyStatement ?? ""), listings), declaration: r.urn });
    }
    return out;
}

function placeOf(side: ResourceSide, listings: AccountListings, accountId: string): PolicyChangeView["place"] {
    const scopeId = side.inputs.scopeId as string | undefined;
    if (side.inputs.scopeType !== "prodenv" || !scopeId) return { type: "account", id: accountId, name: "account" };
    if (scopeId === "all") return { type: "productEnvironment", id: "all", name: "all product environments" };
    const pe = listings.productEnvironments.get(scopeId) ?? [...listings.productEnvironments.values()].find((p) => p.cloudName === scopeId);
    return { type: "productEnvironment", id: pe?.id ?? scopeId, name: pe?.cloudName ?? scopeId };
}

function appliesTo(statement: string, listings: AccountListings): string[] {
    const named = (type: string, id: string) => {
        if (type === "User") return `user ${listings.users.get(id)?.email ?? id}`;
        if (type === "Group") return `group ${listings.groups.get(id)?.name ?? id}`;
        return `${type} ${id}`;
    };
    const names = principalScopes(statement).map((s) => (s.op === "all" ? "every principal" : s.op === "is" ? `every ${s.type}${s.inId ? ` in ${named("Group", s.inId)}` : ""}` : named(s.type, s.id)));
    return [...new Set(names)];
}

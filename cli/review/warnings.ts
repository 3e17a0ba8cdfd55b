// Warnings for grants that do nothing, as review reports them (the rules: provider/validation/effect.ts, on the
// Console guide's facts). They are about what the plan changes: the grants it adds, the grants of groups whose
// members it changes, and the custom roles it creates or changes, seen in the account as the plan leaves it.
import type { ProviderContext } from "../../provider/context";
import { GroupFacts, ineffectiveGrants, RoleFacts } from "../../provider/validation/effect";
import { accountFacts } from "../../provider/validation/effectFacts";
import { grantKey } from "../../provider/validation/grants";
import type { AccessState, RoleInfo } from "./model";

export interface ReviewWarning {
    /** Which rule: the warnings module's code for it. */
    code: string;
    message: string;
    /** The declaration the warning is about. */
    urn?: string;
}

export async function reviewWarnings(ctx: ProviderContext, before: AccessState, after: AccessState, silenced: readonly string[] | "all" = ctx.settings.silencedWarnings ?? []): Promise<ReviewWarning[]> {
    if (silenced === "all") return [];
    const grants = [...after.grants.values()];
    const regrouped = new Set([...after.members.keys()].filter((groupId) => [...after.members.get(groupId)!.values()].some((by) => by !== undefined)));
    const subjects = grants.filter((g) => g.by || (g.principalType === "group" && regrouped.has(g.principalId)));
    const roles = [...after.roles.values()].filter((r) => r.custom && r.permissionType && r.scopeType && (r.createdBy || changedPolicies(before.roles.get(r.id), r)));
    if (subjects.length === 0 && roles.length === 0) return [];
    const groups: GroupFacts[] = [...after.members].map(([id, members]) => ({ id, ...(after.groups.get(id) ? { name: after.groups.get(id)!.name } : {}), memberIds: [...members.keys()] }));
    const facts = await accountFacts(ctx, grants, groups);
    // Roles the plan makes or changes, as the plan leaves them.
    facts.roles = [...facts.roles.filter((r) => !roles.some((p) => p.id === r.id)), ...roles.map(roleFacts)];
    // The declaration behind each subject: the one adding the grant, or else the one changing its group's members.
    const memberChange = (groupId: string) => [...(after.members.get(groupId)?.values() ?? [])].find((by) => by !== undefined);
    const bySubject = new Map(subjects.map((g) => [grantKey(g), g.by ?? (g.principalType === "group" ? memberChange(g.principalId) : undefined)]));
    return ineffectiveGrants(facts, { grants: subjects, roleIds: roles.map((r) => r.id) })
        .filter((w) => !silenced.includes(w.code))
        .map((w) => {
            const urn = w.grant ? bySubject.get(grantKey(w.grant)) : roles.find((r) => r.id === w.roleId)?.createdBy;
            return { code: w.code, message: w.message, ...(urn ? { urn } : {}) };
        });
}

function changedPolicies(before: RoleInfo | undefined, after: RoleInfo): boolean {
    return JSON.stringify([...(before?.systemPolicyIds ?? [])].sort()) !== JSON.stringify([...(after.systemPolicyIds ?? [])].sort());
}

function roleFacts(r: RoleInfo): RoleFacts {
    return { id: r.id, name: r.name, managementType: "custom", permissionType: r.permissionType!, scopeType: r.scopeType!, systemPolicyIds: r.systemPolicyIds ?? [] };
}

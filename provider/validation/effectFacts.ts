// The facts the warnings of one run need (see effect.ts), read at most once per run through the run's directory:
// what the run's resources declare, merged with the live account where the run declares nothing. Only resources whose inputs changed are
// looked at, and only their principals are read: the users listing, the group listing with members, the users of
// a product environment (only when a member cannot enter every one), a key's global roles, a changed group's
// roles, and the roles concerned (the catalog, custom roles by id). All of them are cached for the run.
import type { Grant, PermissionType, Principal, ScopeType } from "../api/domain";
import type { ProviderContext } from "../context";
import { GRANT_EFFECTS } from "../catalog/grantEffects";
import { AccessFacts, GrantFacts, GroupFacts, RoleFacts, UserFacts, WarningSubjects } from "./effect";

/** What one resource declares, in domain terms. */
export interface DeclaredEffect {
    /** The grants it makes; a part a preview does not know yet is listed in `unknown`. */
    grants?: GrantFacts[];
    /** The product environment of its grants by cloud name (FolderShare), instead of their scopeId. */
    cloudName?: string;
    /** Every grant of this principal is declared here (PrincipalRoles). */
    authoritativeFor?: Principal;
    /** A group and, when declared, its members; `adopt` when it takes over a group that exists. */
    group?: { name: string; memberIds?: string[]; adopt?: boolean };
    /** A custom role: its id when it is an input. */
    role?: { id?: string; name: string; permissionType: PermissionType; scopeType: ScopeType; systemPolicyIds: string[] };
}

const GRANT_PARTS = ["roleId", "principalId", "scopeId", "policyParameters"] as const;

/**
 * A declared grant, its parts a preview does not know yet marked (`unknown` holds input names; an unknown
 * principalType counts as an unknown principal). A list input not known yet is declared as one grant with the
 * list's parts unknown, as it may hold anything: e.g. `{ principalType, principalId }` with roleId unknown.
 */
export function declaredGrant(parts: Partial<Grant>, unknown: Iterable<string>): GrantFacts {
    const marked = new Set(unknown);
    const missing = GRANT_PARTS.filter((k) => marked.has(k) || (k === "principalId" && marked.has("principalType")) || (k !== "scopeId" && k !== "policyParameters" && parts[k] === undefined));
    return {
        roleId: parts.roleId ?? "",
        principalType: parts.principalType ?? "apiKey",
        principalId: parts.principalId ?? "",
        ...(parts.scopeId !== undefined ? { scopeId: parts.scopeId } : {}),
        ...(parts.policyParameters !== undefined ? { policyParameters: parts.policyParameters } : {}),
        ...(missing.length ? { unknown: missing } : {}),
    };
}

/** One checked resource of the run. `changed`: new or with other inputs than before, so its warnings are shown. */
export interface Declaration {
    effect: DeclaredEffect;
    changed: boolean;
    /** New in this run (no previous inputs). */
    created: boolean;
}

/** The run's facts and, per declaration, what its warnings look at. */
export interface RunFacts {
    facts: AccessFacts;
    subjects: Map<Declaration, WarningSubjects>;
}

const key = (p: Principal) => `${p.principalType}:${p.principalId}`;

/**
 * The facts about live grants (the access report, the review command): their roles, the groups given with their
 * members, the users among those members with the product environments they can enter, the product environments.
 */
export async function accountFacts(ctx: ProviderContext, grants: Grant[], groups: GroupFacts[]): Promise<AccessFacts> {
    const [roles, users, environments] = await Promise.all([liveRoleFacts(ctx, grants.map((g) => g.roleId)), userFacts(ctx, groups, grants), ctx.directory.productEnvironments()]);
    return { grants, roles, groups, users, productEnvironments: [...environments.values()].map((pe) => ({ id: pe.id, cloudName: pe.cloudName })) };
}

export async function runFacts(ctx: ProviderContext, declarations: Declaration[]): Promise<RunFacts> {
    const { directory } = ctx;
    const environments = [...(await directory.productEnvironments()).values()];
    // Groups by name, read only when a group's declaration changed.
    const groupId = async (name: string) => [...(await directory.groups()).values()].find((g) => g.name === name)?.id;

    // Declared grants, with a share's product environment resolved from its cloud name.
    const declaredGrants = new Map<Declaration, GrantFacts[]>();
    for (const d of declarations) {
        const peId = d.effect.cloudName ? environments.find((pe) => pe.cloudName === d.effect.cloudName)?.id : undefined;
        const grants = (d.effect.grants ?? []).map((g) => (d.effect.cloudName ? (peId ? { ...g, scopeId: peId } : { ...g, unknown: [...(g.unknown ?? []), "scopeId" as const] }) : g));
        declaredGrants.set(d, grants);
    }
    const declared = [...declaredGrants.values()].flat();
    const authoritative = new Set(declarations.flatMap((d) => (d.effect.authoritativeFor ? [key(d.effect.authoritativeFor)] : [])));
    const declaredGroups = new Map(declarations.flatMap((d) => (d.effect.group ? [[d.effect.group.name, d.effect.group] as const] : [])));

    // What each changed declaration looks at.
    const subjects = new Map<Declaration, WarningSubjects>();
    const live: Grant[] = [];
    const liveOf = async (principal: Principal, types: PermissionType[]) => {
        if (!authoritative.has(key(principal))) live.push(...(await directory.principalGrants(principal, "known", types)));
    };
    for (const d of declarations.filter((x) => x.changed)) {
        const grants = declaredGrants.get(d) ?? [];
        // A group this run creates held nothing before (unless it takes over one): its grants are new, and looked at themselves.
        const existing = d.effect.group && (!d.created || d.effect.group.adopt);
        const id = existing ? await groupId(d.effect.group!.name) : undefined;
        if (id) await liveOf({ principalType: "group", principalId: id }, ["global", "content"]);
        const ofGroup = id ? [...declared, ...live].filter((g) => g.principalType === "group" && g.principalId === id) : [];
        subjects.set(d, { grants: [...grants, ...ofGroup], roleIds: d.effect.role ? [roleFactId(d.effect.role)] : [] });
    }
    const subjectGrants = [...subjects.values()].flatMap((s) => s.grants ?? []).filter((g) => !g.unknown?.length);
    // A key's content role needs its global roles (declared or live).
    const keys = new Map(subjectGrants.filter((g) => g.principalType === "apiKey").map((g) => [g.principalId, g]));
    for (const principalId of keys.keys()) await liveOf({ principalType: "apiKey", principalId }, ["global"]);
    const grants = dedupe([...declared, ...live]);

    const roles = await roleFacts(ctx, declarations, grants);
    const groups = await groupFacts(ctx, subjectGrants, declaredGroups);
    const users = await userFacts(ctx, groups, subjectGrants);
    return { facts: { grants, roles, groups, users, productEnvironments: environments.map((pe) => ({ id: pe.id, cloudName: pe.cloudName })) }, subjects };
}

/** A declared custom role's id in the facts: its roleId input, or a name no Cloudinary id can be. */
function roleFactId(role: NonNullable<DeclaredEffect["role"]>): string {
    return role.id ?? `(declared) ${role.name}`;
}

async function roleFacts(ctx: ProviderContext, declarations: Declaration[], grants: GrantFacts[]): Promise<RoleFacts[]> {
    const declared: RoleFacts[] = declarations.flatMap((d) => (d.effect.role ? [{ ...d.effect.role, id: roleFactId(d.effect.role), managementType: "custom" as const }] : []));
    const ids = grants.filter((g) => !g.unknown?.includes("roleId")).map((g) => g.roleId).filter((id) => !declared.some((r) => r.id === id));
    return [...declared, ...(await liveRoleFacts(ctx, ids))];
}

/** Roles by id from the run's directory (the catalog, custom roles by id); a role that does not exist is left out. */
export async function liveRoleFacts(ctx: ProviderContext, roleIds: string[]): Promise<RoleFacts[]> {
    const live = await Promise.all([...new Set(roleIds)].map((id) => ctx.directory.role(id)));
    return live.flatMap((r) =>
        r
            ? [
                  {
                      id: r.id,
                      name: r.name,
                      managementType: r.managementType,
                      permissionType: r.permissionType,
                      scopeType: r.scopeType,
                      // The catalog gives no policies for some system roles: not known, rather than none.
                      ...(r.managementType === "custom" || r.systemPolicyIds.length ? { systemPolicyIds: r.systemPolicyIds } : {}),
                  },
              ]
            : [],
    );
}

async function groupFacts(ctx: ProviderContext, grants: GrantFacts[], declared: Map<string, { name: string; memberIds?: string[] }>): Promise<GroupFacts[]> {
    const ids = [...new Set(grants.filter((g) => g.principalType === "group").map((g) => g.principalId))];
    return Promise.all(
        ids.map(async (id) => {
            const live = await ctx.directory.group(id);
            const name = live?.name;
            const members = (name !== undefined ? declared.get(name)?.memberIds : undefined) ?? live?.memberIds;
            return { id, ...(name !== undefined ? { name } : {}), ...(members ? { memberIds: members } : {}) };
        }),
    );
}

/** The members of the groups, with the product environments they can enter where the groups' grants apply. */
export async function userFacts(ctx: ProviderContext, groups: GroupFacts[], grants: Grant[]): Promise<UserFacts[]> {
    const listed = await ctx.directory.users();
    const members = new Set(groups.flatMap((g) => g.memberIds ?? []));
    const all = (u: { accountRole?: string; allProductEnvironments?: boolean }) => u.allProductEnvironments === true || u.accountRole === GRANT_EFFECTS.productEnvironmentAccess.allAccessAccountRole;
    const restricted = [...members].filter((id) => listed.has(id) && !all(listed.get(id)!));
    // Who can enter the product environments the groups' roles apply in ('all': every one).
    const scopes = new Set(grants.filter((g) => g.principalType === "group" && g.scopeId).map((g) => g.scopeId!));
    const environments = restricted.length ? (scopes.has("all") ? [...(await ctx.directory.productEnvironments()).keys()] : [...scopes]) : [];
    const entrants = new Map(await Promise.all(environments.map(async (pe) => [pe, await ctx.directory.usersInProductEnvironment(pe)] as const)));
    // The list below holds the product environments read; for 'all' every one is read, so it is complete.
    return [...members].flatMap((id) => {
        const user = listed.get(id);
        if (!user) return [];
        const productEnvironmentIds = all(user) ? ("all" as const) : [...entrants].filter(([, ids]) => ids.has(id)).map(([pe]) => pe);
        return [{ id, ...(user.name ? { name: user.name } : {}), ...(user.email ? { email: user.email } : {}), productEnvironmentIds }];
    });
}

function dedupe(grants: GrantFacts[]): GrantFacts[] {
    return [...new Map(grants.map((g) => [JSON.stringify([g.roleId, g.principalType, g.principalId, g.scopeId ?? "", g.policyParameters ?? null, g.unknown ?? []]), g])).values()];
}

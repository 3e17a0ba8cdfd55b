// Grants that do nothing, as Cloudinary's Console guide names them: a pure function of plain domain facts (the
// grants, the roles with their system policies, the groups with their members, the users with the product
// environments they can enter). The rules read their facts from provider/catalog/grant-effects.json, with sources.
// The provider calls it at preview, the access report and the review command on what they read. Where a fact is
// not known (a role whose policies the catalog does not list, an id a preview does not know yet), no warning is
// given: a warning must be right when it is shown.
import type { Grant, PermissionType, PrincipalType, ScopeType } from "../api/domain";
import { CONSOLE_ONLY_POLICIES, GRANT_EFFECTS, MEDIA_LIBRARY_POLICY, TASKS, TaskPart, WarningCode } from "../catalog/grantEffects";

export type { WarningCode };

export interface RoleFacts {
    id: string;
    name?: string;
    managementType?: "system" | "custom";
    permissionType: PermissionType;
    scopeType: ScopeType;
    /** Undefined when not known (the catalog lists no policies for some system roles). */
    systemPolicyIds?: string[];
}

export interface UserFacts {
    id: string;
    email?: string;
    name?: string;
    /** The product environments the user can enter: "all" (also every master admin), their ids, or undefined when not known. */
    productEnvironmentIds?: "all" | string[];
}

export interface GroupFacts {
    id: string;
    name?: string;
    /** Undefined when not known. */
    memberIds?: string[];
}

/** A grant in force (or planned). `unknown` lists the parts a preview does not know yet; such a grant may be anything there. */
export interface GrantFacts extends Grant {
    unknown?: ("roleId" | "principalId" | "scopeId" | "policyParameters")[];
}

export interface AccessFacts {
    grants: GrantFacts[];
    roles: RoleFacts[];
    groups: GroupFacts[];
    users: UserFacts[];
    /** For names in messages. */
    productEnvironments?: { id: string; cloudName: string }[];
}

/** What to look at; by default every grant of `facts` and every custom role. */
export interface WarningSubjects {
    grants?: GrantFacts[];
    /** Custom roles to check for partial tasks, by id (a role's facts must be in `facts.roles`). */
    roleIds?: string[];
}

export interface NamedPrincipal {
    principalType: PrincipalType;
    principalId: string;
    /** "Erin Contractor <erin@acme.example>", "Designers". */
    name?: string;
}

export interface IneffectiveGrant {
    code: WarningCode;
    /** One sentence naming the principals, the role and the place, and what to do. */
    message: string;
    roleId: string;
    /** The grant concerned (absent for partial-task, which is about a role). */
    grant?: Grant;
    /** Who the grant does nothing for. */
    principals: NamedPrincipal[];
    productEnvironmentId?: string;
    /** Policies that would make it work. */
    missingPolicyIds?: string[];
}

export function ineffectiveGrants(facts: AccessFacts, subjects: WarningSubjects = {}): IneffectiveGrant[] {
    const world = new World(facts);
    const grants = subjects.grants ?? facts.grants;
    const roleIds = subjects.roleIds ?? facts.roles.filter((r) => r.managementType === "custom").map((r) => r.id);
    const warnings: IneffectiveGrant[] = [];
    for (const grant of grants) {
        if (grant.unknown?.length) continue;
        warnings.push(...[membersWithoutEnvironment(world, grant), keyWithoutMediaLibrary(world, grant), consoleOnlyOnKey(world, grant)].filter((w): w is IneffectiveGrant => w !== undefined));
    }
    for (const roleId of roleIds) {
        const warning = partialTask(world, roleId);
        if (warning) warnings.push(warning);
    }
    return warnings;
}

/** The facts indexed, with the names messages use. */
class World {
    readonly roles: Map<string, RoleFacts>;
    readonly users: Map<string, UserFacts>;
    readonly groups: Map<string, GroupFacts>;
    private readonly environments: Map<string, string>;

    constructor(readonly facts: AccessFacts) {
        this.roles = new Map(facts.roles.map((r) => [r.id, r]));
        this.users = new Map(facts.users.map((u) => [u.id, u]));
        this.groups = new Map(facts.groups.map((g) => [g.id, g]));
        this.environments = new Map((facts.productEnvironments ?? []).map((pe) => [pe.id, pe.cloudName]));
    }

    environment(id: string): string {
        return id === "all" ? "every product environment" : (this.environments.get(id) ?? id);
    }

    role(roleId: string): string {
        const name = this.roles.get(roleId)?.name;
        return name && roleId ? `${name} (${roleId})` : (name ?? roleId);
    }

    principal(principalType: PrincipalType, principalId: string): NamedPrincipal {
        const name = principalType === "user" ? userName(this.users.get(principalId)) : principalType === "group" ? this.groups.get(principalId)?.name : undefined;
        return { principalType, principalId, ...(name ? { name } : {}) };
    }

    /** "Erin Contractor <erin@acme.example>", "group Designers", "API key 8200…" */
    describe(p: NamedPrincipal): string {
        if (p.principalType === "user") return p.name ?? `user ${p.principalId}`;
        if (p.principalType === "group") return `group ${p.name ?? p.principalId}`;
        return `${p.principalType === "apiKey" ? "API key" : "provisioning key"} ${p.principalId}`;
    }
}

function userName(user: UserFacts | undefined): string | undefined {
    if (!user) return undefined;
    if (user.name && user.email) return `${user.name} <${user.email}>`;
    return user.email ?? user.name;
}

const onContent = (grant: Grant) => (grant.policyParameters ? ("folderId" in grant.policyParameters ? ` on folder ${grant.policyParameters.folderId}` : ` on collection ${grant.policyParameters.collectionId}`) : "");

// ---- 1. a group's product-environment role and a member who cannot enter that product environment -------------

function canEnter(user: UserFacts, environmentId: string): boolean | undefined {
    const access = user.productEnvironmentIds;
    if (access === undefined) return undefined;
    if (access === "all") return true;
    return environmentId === "all" ? access.length > 0 : access.includes(environmentId);
}

function membersWithoutEnvironment(world: World, grant: GrantFacts): IneffectiveGrant | undefined {
    const role = world.roles.get(grant.roleId);
    const members = world.groups.get(grant.principalId)?.memberIds;
    if (grant.principalType !== "group" || role?.scopeType !== "prodenv" || !grant.scopeId || !members) return undefined;
    const scopeId = grant.scopeId;
    const outside = members.map((id) => world.users.get(id)).filter((u): u is UserFacts => u !== undefined && canEnter(u, scopeId) === false);
    if (!outside.length) return undefined;
    const principals = outside.map((u) => world.principal("user", u.id));
    const who = principals.map((p) => world.describe(p)).join(", ");
    const where = world.environment(scopeId);
    const cannot = scopeId === "all" ? "can enter no product environment" : `cannot enter ${where}`;
    return {
        code: "group-member-without-environment",
        message:
            `${world.describe(world.principal("group", grant.principalId))} holds ${world.role(grant.roleId)} in ${where}${onContent(grant)}, but ${who} ${cannot}, ` +
            `so the role does not reach ${outside.length > 1 ? "them" : "this member"}: group membership gives no product environment; give ${outside.length > 1 ? "them" : "the member"} access to ${scopeId === "all" ? "a product environment" : where} (the user's product environments, sub_account_ids)`,
        roleId: grant.roleId,
        grant: plain(grant),
        principals,
        productEnvironmentId: scopeId,
    };
}

// ---- 2. a content role on an API key without Media Library access there --------------------------------------

/** True, false, or undefined when the role's policies are not known. */
function givesMediaLibrary(role: RoleFacts | undefined): boolean | undefined {
    if (!role) return undefined;
    if (role.permissionType !== "global" || role.scopeType !== "prodenv") return false;
    if (GRANT_EFFECTS.mediaLibraryAccess.systemRolesThatInclude.some((r) => r.roleId === role.id)) return true;
    return role.systemPolicyIds?.includes(MEDIA_LIBRARY_POLICY);
}

function keyWithoutMediaLibrary(world: World, grant: GrantFacts): IneffectiveGrant | undefined {
    const role = world.roles.get(grant.roleId);
    if (grant.principalType !== "apiKey" || role?.permissionType !== "content" || !grant.scopeId || grant.scopeId === "all") return undefined;
    const keyGrants = world.facts.grants.filter((g) => g.principalType === "apiKey" && (g.principalId === grant.principalId || g.unknown?.includes("principalId")));
    const there = keyGrants.filter((g) => g.unknown?.length || g.scopeId === grant.scopeId || g.scopeId === "all");
    // A grant whose role or scope a preview does not know yet, or a role whose policies are not known, may give it.
    if (there.some((g) => g.unknown?.length || givesMediaLibrary(world.roles.get(g.roleId)) !== false)) return undefined;
    const where = world.environment(grant.scopeId);
    const example = GRANT_EFFECTS.mediaLibraryAccess.systemRolesThatInclude[0];
    const key = world.principal("apiKey", grant.principalId);
    return {
        code: "content-role-key-without-media-library",
        message:
            `${world.describe(key)} holds the content role ${world.role(grant.roleId)}${onContent(grant)} in ${where}, but no global role with ${GRANT_EFFECTS.mediaLibraryAccess.label} ` +
            `(${MEDIA_LIBRARY_POLICY}) there, so the content role does nothing for it: also grant it such a role in ${where}, e.g. ${example.label} (${example.roleId})`,
        roleId: grant.roleId,
        grant: plain(grant),
        principals: [key],
        productEnvironmentId: grant.scopeId,
        missingPolicyIds: [MEDIA_LIBRARY_POLICY],
    };
}

// ---- 4. a role of Console areas only, on an API key --------------------------------------------------------------

function consoleOnlyOnKey(world: World, grant: GrantFacts): IneffectiveGrant | undefined {
    const policies = world.roles.get(grant.roleId)?.systemPolicyIds;
    if ((grant.principalType !== "apiKey" && grant.principalType !== "provisioningKey") || !policies?.length) return undefined;
    if (!policies.every((id) => CONSOLE_ONLY_POLICIES.has(id))) return undefined;
    const key = world.principal(grant.principalType, grant.principalId);
    const areas = policies.map((id) => CONSOLE_ONLY_POLICIES.get(id)!.label).join(", ");
    return {
        code: "console-only-role-on-key",
        message:
            `${world.describe(key)} holds ${world.role(grant.roleId)}${grant.scopeId ? ` in ${world.environment(grant.scopeId)}` : ""}, whose permissions are all Console areas (${areas}): ` +
            `only users use the Console, so the role does nothing for an API key; revoke it, or grant the key a role with the permissions its API calls need`,
        roleId: grant.roleId,
        grant: plain(grant),
        principals: [key],
        ...(grant.scopeId ? { productEnvironmentId: grant.scopeId } : {}),
    };
}

// ---- 3. a custom role holding part of a task that needs several permissions -----------------------------------

interface VariantState {
    engaged: boolean;
    missing: TaskPart[];
    /** Parts of the role's type with no published policy id: mentioned, never counted. */
    unpublished: TaskPart[];
}

/** One way of doing a task (the guide's global or content column), as far as one role of type `type` can carry it. */
function variantState(parts: TaskPart[], type: PermissionType, held: Set<string>): VariantState {
    const own = parts.filter((p) => p.permissionType === type);
    const holds = (p: TaskPart) => p.policyIds.some((id) => held.has(id));
    const needed = own.filter((p) => !p.otherGrant && !p.onlyIn);
    return {
        engaged: own.some((p) => p.trigger && holds(p)),
        missing: needed.filter((p) => p.policyIds.length > 0 && !holds(p)),
        unpublished: needed.filter((p) => p.policyIds.length === 0),
    };
}

const partText = (p: TaskPart) => `${p.label}${p.where ? ` (${p.where})` : ""} (${p.policyIds.join(" or ")})`;

function partialTask(world: World, roleId: string): IneffectiveGrant | undefined {
    const role = world.roles.get(roleId);
    if (!role?.systemPolicyIds || role.managementType === "system") return undefined;
    const held = new Set(role.systemPolicyIds);
    const gaps: { action: string; state: VariantState }[] = [];
    for (const task of TASKS) {
        const engaged = [task.global, task.content].map((parts) => variantState(parts, role.permissionType, held)).filter((s) => s.engaged);
        if (!engaged.length || engaged.some((s) => s.missing.length === 0)) continue;
        gaps.push({ action: task.action, state: engaged.sort((a, b) => a.missing.length - b.missing.length)[0] });
    }
    if (!gaps.length) return undefined;
    const missing = [...new Set(gaps.flatMap((g) => g.state.missing.flatMap((p) => p.policyIds)))];
    const holders = world.facts.grants.filter((g) => g.roleId === roleId && !g.unknown?.length).map((g) => world.principal(g.principalType, g.principalId));
    const principals = [...new Map(holders.map((p) => [`${p.principalType}:${p.principalId}`, p])).values()];
    const tasks = gaps.map(({ action, state }) => {
        const unpublished = state.unpublished.length ? `; it also needs ${state.unpublished.map((p) => p.label).join(", ")}, whose policy id is not published` : "";
        return `"${action}" needs ${state.missing.map(partText).join(" and ")} too${unpublished}`;
    });
    const heldBy = principals.length ? ` (held by ${principals.map((p) => world.describe(p)).join(", ")})` : "";
    return {
        code: "partial-task",
        message: `custom role ${role.name ?? roleId}${heldBy} holds part of a task that needs several permissions: ${tasks.join("; ")}. Its holders cannot do the task unless another role gives them the rest: add the missing permissions to the role`,
        roleId,
        principals,
        missingPolicyIds: missing,
    };
}

function plain(grant: GrantFacts): Grant {
    const { unknown: _unknown, ...rest } = grant;
    return rest;
}

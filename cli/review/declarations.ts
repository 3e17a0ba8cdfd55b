// What each planned resource declares, in the account's ids: the plan's inputs are what the provider's check
// returned (ids, as a rule), but names are accepted too (a user's email, a group's name, a cloud name, a folder
// path) and mapped through the account's listings. A value unknown at preview (the id of a group or role the
// plan creates) is linked to its resource through propertyDependencies; what cannot be linked is reported as
// unresolved, never guessed.
import type { Grant, Principal, PrincipalType, ProductEnvironment, User, Group } from "../../provider/api/domain";
import type { AccountGrantsInputs, FolderShareInputs, GroupInputs, PolicyParameters, PrincipalRolesInputs, RoleAssignmentInputs, RolePrincipalsInputs } from "../../provider/generated/inputs";
import { GroupInfo, isPlaceholder, placeholderId, RoleInfo } from "./model";
import { isUnknown, Kind, PlannedResource, ResourceSide } from "./plan";

/** The account's listings that names are resolved through. */
export interface AccountListings {
    users: Map<string, User>;
    groups: Map<string, Group>;
    productEnvironments: Map<string, ProductEnvironment>;
    roles: Map<string, RoleInfo>;
    /** A folder's id from its id or its path in the product environment; undefined when it is neither. */
    folderId(productEnvironmentId: string, idOrPath: string): Promise<string | undefined>;
}

/** What one side of a resource declares. */
export type Effect =
    | { type: "grants"; grants: Grant[] }
    /** A FolderShare: the principal's roles on the folder are exactly these. */
    | { type: "folderRoles"; principal: Principal; scopeId: string; folderId: string; roleIds: string[] }
    | { type: "principalRoles"; principal: Principal; grants: Grant[] }
    | { type: "rolePrincipals"; roleId: string; grants: Grant[] }
    | { type: "group"; group: GroupInfo; memberIds?: string[] }
    | { type: "role"; role: RoleInfo }
    | { type: "exclusive"; declared: Grant[]; exempt: Principal[] }
    | { type: "none" };

export interface Unresolved {
    urn: string;
    /** The input, as `roles[1].roleId`. */
    property: string;
    reason: string;
}

export interface Declared {
    resource: PlannedResource;
    before?: Effect;
    after?: Effect;
}

/** The plan's resources with what each declares before and after, and what could not be resolved. */
export async function declarationsOf(resources: PlannedResource[], listings: AccountListings): Promise<{ declared: Declared[]; unresolved: Unresolved[] }> {
    const unresolved: Unresolved[] = [];
    const reader = new SideReader(resources, listings, unresolved);
    const declared: Declared[] = [];
    for (const resource of resources) {
        declared.push({
            resource,
            ...(resource.before ? { before: await reader.effect(resource, resource.before, "before") } : {}),
            ...(resource.after ? { after: await reader.effect(resource, resource.after, "after") } : {}),
        });
    }
    return { declared, unresolved };
}

class SideReader {
    private readonly byUrn: Map<string, PlannedResource>;

    constructor(
        resources: PlannedResource[],
        private readonly listings: AccountListings,
        private readonly unresolved: Unresolved[],
    ) {
        this.byUrn = new Map(resources.map((r) => [r.urn, r]));
    }

    effect(resource: PlannedResource, side: ResourceSide, which: "before" | "after"): Promise<Effect> {
        const read = new InputReader(this, resource, side);
        switch (resource.kind) {
            case "RoleAssignment":
                return read.roleAssignment();
            case "FolderShare":
                return read.folderShare();
            case "PrincipalRoles":
                return read.principalRoles();
            case "RolePrincipals":
                return read.rolePrincipals();
            case "Group":
                return Promise.resolve(read.group(this.groupOf(resource, which)));
            case "CustomRole":
                return Promise.resolve({ type: "role", role: this.roleOf(resource, which) });
            case "AccountGrants":
                return read.accountGrants();
            default:
                return Promise.resolve({ type: "none" });
        }
    }

    /** The id a group declared in the plan has (or will have) on this side. */
    groupOf(resource: PlannedResource, which: "before" | "after"): GroupInfo {
        const side = (which === "before" ? resource.before : resource.after)!;
        const name = String(side.inputs.name ?? resource.name);
        if (which === "before" || resource.op === "update") return { id: resource.before?.id ?? placeholderId(resource.urn), name };
        // A create takes over a group of the same name (adopt, or an identical one).
        const existing = [...this.listings.groups.values()].find((g) => g.name === name);
        return existing ? { id: existing.id, name } : { id: placeholderId(resource.urn), name, createdBy: resource.urn };
    }

    /** The id a role declared in the plan has (or will have) on this side, with what it is made of. */
    roleOf(resource: PlannedResource, which: "before" | "after"): RoleInfo {
        const side = (which === "before" ? resource.before : resource.after)!;
        const name = String(side.inputs.name ?? resource.name);
        const systemPolicyIds = ((side.inputs.systemPolicyIds as string[] | undefined) ?? []).filter((p) => !isUnknown(p));
        const { permissionType, scopeType } = side.inputs as Pick<RoleInfo, "permissionType" | "scopeType">;
        const types = { ...(typeof permissionType === "string" ? { permissionType } : {}), ...(typeof scopeType === "string" ? { scopeType } : {}) };
        const base = { name, custom: true, systemPolicyIds, ...types };
        if (which === "before" || resource.op === "update") return { ...base, id: resource.before?.id ?? placeholderId(resource.urn) };
        const declaredId = side.inputs.roleId;
        if (typeof declaredId === "string" && !isUnknown(declaredId)) return { ...base, id: declaredId, ...(this.listings.roles.has(declaredId) ? {} : { createdBy: resource.urn }) };
        // A create takes over a custom role of the same name (adopt, or an identical one).
        const existing = resource.op === "create" ? [...this.listings.roles.values()].find((r) => r.custom && r.name === name) : undefined;
        return existing ? { ...base, id: existing.id } : { ...base, id: placeholderId(resource.urn), createdBy: resource.urn };
    }

    /** The entity a dependency URN names, when it is a group or role of the plan: its id after the plan. */
    entityOf(urn: string, kind: Kind): string | undefined {
        const resource = this.byUrn.get(urn);
        if (!resource || resource.kind !== kind || !resource.after) return undefined;
        return kind === "Group" ? this.groupOf(resource, "after").id : this.roleOf(resource, "after").id;
    }

    note(urn: string, property: string, reason: string): void {
        this.unresolved.push({ urn, property, reason });
    }

    productEnvironment(value: string): string | undefined {
        if (value === "all" || this.listings.productEnvironments.has(value)) return value;
        return [...this.listings.productEnvironments.values()].find((pe) => pe.cloudName === value)?.id;
    }

    get dir(): AccountListings {
        return this.listings;
    }
}

/** Reads one side's inputs: ids as they are, names mapped, unknowns linked to the plan's resources. */
class InputReader {
    constructor(
        private readonly reader: SideReader,
        private readonly resource: PlannedResource,
        private readonly side: ResourceSide,
    ) {}

    private note(property: string, reason: string, quiet = false): undefined {
        if (!quiet) this.reader.note(this.resource.urn, property, reason);
        return undefined;
    }

    /** An id unknown at preview, from the one resource of `kind` its input came from. */
    private fromDependency(property: string, kind: Kind, quiet = false): string | undefined {
        const candidates = (this.side.dependencies[property] ?? []).map((urn) => this.reader.entityOf(urn, kind)).filter((id): id is string => Boolean(id));
        if (candidates.length === 1) return candidates[0];
        return this.note(property, `unknown at preview and not traceable to one ${kind} of this plan (it depends on ${(this.side.dependencies[property] ?? []).join(", ") || "nothing"})`, quiet);
    }

    role(value: unknown, property: string): string | undefined {
        if (isUnknown(value)) return this.fromDependency(property, "CustomRole");
        return typeof value === "string" ? value : this.note(property, "missing");
    }

    user(value: unknown, property: string, quiet = false): string | undefined {
        if (typeof value !== "string" || isUnknown(value)) return this.note(property, "unknown at preview", quiet);
        if (!value.includes("@")) return value;
        const match = [...this.reader.dir.users.values()].find((u) => u.email?.toLowerCase() === value.toLowerCase());
        return match?.id ?? this.note(property, `no user with email ${value} in the account`, quiet);
    }

    principal(type: PrincipalType, value: unknown, property: string, quiet = false): string | undefined {
        if (type === "user") return this.user(value, property, quiet);
        if (type !== "group") return typeof value === "string" && !isUnknown(value) ? value : this.note(property, "unknown at preview", quiet);
        if (isUnknown(value)) return this.fromDependency(property, "Group", quiet);
        if (typeof value !== "string") return this.note(property, "missing", quiet);
        if (this.reader.dir.groups.has(value) || isPlaceholder(value)) return value;
        return [...this.reader.dir.groups.values()].find((g) => g.name === value)?.id ?? value;
    }

    /**
     * Ids in a list input (`values[i]`, "" where the entry has none to resolve) whose unknown entries are linked to
     * the plan's resources of `kind` that the list depends on: in order, as the engine lists a property's
     * dependencies in the order the program's values reference them. Each known entry accounts for its own resource.
     */
    listIds(values: string[], property: string, kind: Kind, entryProperty: string): (string | undefined)[] {
        const known = new Set(values.filter((v) => v && !isUnknown(v)));
        const candidates = [...new Set((this.side.dependencies[property] ?? []).map((urn) => this.reader.entityOf(urn, kind)).filter((id): id is string => Boolean(id) && !known.has(id!)))];
        const unknownAt = values.flatMap((v, i) => (isUnknown(v) ? [i] : []));
        const ids: (string | undefined)[] = values.map((v) => (isUnknown(v) ? undefined : v));
        if (unknownAt.length === 0) return ids;
        if (candidates.length === unknownAt.length || candidates.length === 1) {
            unknownAt.forEach((i, n) => (ids[i] = candidates[candidates.length === 1 ? 0 : n]));
            return ids;
        }
        for (const i of unknownAt) this.note(entryProperty.replace("#", String(i)), `unknown at preview; ${unknownAt.length} unknown entries but ${candidates.length} ${kind}s of this plan to take them from`);
        return ids;
    }

    async roleAssignment(): Promise<Effect> {
        const grant = await this.grant(this.side.inputs as unknown as RoleAssignmentInputs, "");
        return { type: "grants", grants: grant ? [grant] : [] };
    }

    async principalRoles(): Promise<Effect> {
        const p = this.side.inputs as unknown as PrincipalRolesInputs;
        const principalId = this.principal(p.principalType, p.principalId, "principalId");
        if (!principalId) return { type: "none" };
        const roles = p.roles ?? [];
        const roleIds = this.listIds(roles.map((r) => r.roleId), "roles", "CustomRole", "roles[#].roleId");
        const grants: Grant[] = [];
        for (const [i, r] of roles.entries()) {
            const g = roleIds[i] && (await this.grant({ ...r, roleId: roleIds[i]!, principalType: p.principalType, principalId }, `roles[${i}].`));
            if (g) grants.push(g);
        }
        return { type: "principalRoles", principal: { principalType: p.principalType, principalId }, grants };
    }

    async rolePrincipals(): Promise<Effect> {
        const r = this.side.inputs as unknown as RolePrincipalsInputs;
        const roleId = this.role(r.roleId, "roleId");
        if (!roleId) return { type: "none" };
        const principals = r.principals ?? [];
        const groupIds = this.listIds(principals.map((p) => (p.principalType === "group" ? p.principalId : "")), "principals", "Group", "principals[#].principalId");
        const grants: Grant[] = [];
        for (const [i, p] of principals.entries()) {
            const principalId = p.principalType === "group" && isUnknown(p.principalId) ? groupIds[i] : p.principalId;
            const g = principalId && (await this.grant({ ...p, principalId, roleId }, `principals[${i}].`));
            if (g) grants.push(g);
        }
        return { type: "rolePrincipals", roleId, grants };
    }

    group(group: GroupInfo): Effect {
        const memberIds = (this.side.inputs as unknown as GroupInputs).memberIds?.map((m, i) => this.user(m, `memberIds[${i}]`)).filter((m): m is string => Boolean(m));
        return { type: "group", group, ...(memberIds ? { memberIds } : {}) };
    }

    async accountGrants(): Promise<Effect> {
        const a = this.side.inputs as unknown as AccountGrantsInputs;
        // Entries with values unknown at preview are grants the plan itself makes, which the guard never revokes.
        const declared: Grant[] = [];
        for (const [i, d] of (a.declared ?? []).entries()) {
            if ([d.roleId, d.principalId, d.scopeId, d.cloudName].some(isUnknown)) continue;
            const scopeId = d.cloudName ? this.reader.productEnvironment(d.cloudName) : d.scopeId;
            const g = await this.grant({ ...d, ...(scopeId ? { scopeId } : {}) }, `declared[${i}].`, true);
            if (g) declared.push(g);
        }
        const exempt = (a.exempt ?? []).map((p) => ({ principalType: p.principalType, principalId: this.principal(p.principalType, p.principalId, "exempt", true) ?? p.principalId }));
        return { type: "exclusive", declared, exempt };
    }

    /**
     * A grant in the account's ids; undefined (and noted) when a part of it cannot be resolved. `prefix` names a list
     * entry (`roles[1].`), whose unknown ids the caller has already linked (see listIds); names are mapped here.
     */
    async grant(g: RoleAssignmentInputs, prefix: string, quiet = false): Promise<Grant | undefined> {
        const roleId = prefix ? g.roleId : this.role(g.roleId, "roleId");
        const principalId = this.principal(g.principalType, g.principalId, `${prefix}principalId`, quiet);
        if (!roleId || !principalId) return undefined;
        let scopeId: string | undefined;
        if (g.scopeId !== undefined) {
            scopeId = isUnknown(g.scopeId) ? undefined : this.reader.productEnvironment(g.scopeId);
            if (!scopeId) return this.note(`${prefix}scopeId`, isUnknown(g.scopeId) ? "unknown at preview" : `no product environment ${g.scopeId} in the account`, quiet);
        }
        const policyParameters = await this.parameters(g.policyParameters, scopeId, `${prefix}policyParameters`, quiet);
        if (g.policyParameters && !policyParameters) return undefined;
        return { roleId, principalType: g.principalType, principalId, ...(scopeId ? { scopeId } : {}), ...(policyParameters ? { policyParameters } : {}) };
    }

    private async parameters(p: PolicyParameters | undefined, scopeId: string | undefined, property: string, quiet: boolean): Promise<PolicyParameters | undefined> {
        if (!p) return undefined;
        if ("collectionId" in p) return isUnknown(p.collectionId) ? this.note(`${property}.collectionId`, "unknown at preview", quiet) : p;
        if (isUnknown(p.folderId) || !scopeId || scopeId === "all") return this.note(`${property}.folderId`, isUnknown(p.folderId) ? "unknown at preview" : "a folder needs its product environment as scopeId", quiet);
        const folderId = await this.reader.dir.folderId(scopeId, p.folderId);
        return folderId ? { folderId } : this.note(`${property}.folderId`, `no folder ${p.folderId} in product environment ${scopeId}`, quiet);
    }

    async folderShare(): Promise<Effect> {
        const s = this.side.inputs as unknown as FolderShareInputs;
        const none: Effect = { type: "none" };
        const scopeId = isUnknown(s.cloudName) ? undefined : this.reader.productEnvironment(s.cloudName);
        if (!scopeId) return this.note("cloudName", isUnknown(s.cloudName) ? "unknown at preview" : `no product environment ${s.cloudName} in the account`) ?? none;
        const principalId = this.principal(s.principalType, s.principalId, "principalId");
        if (!principalId) return none;
        const parameters = await this.parameters({ folderId: s.folderId }, scopeId, "folderId", false);
        if (!parameters || !("folderId" in parameters)) return none;
        const roleIds = (s.roles ?? []).filter((r, i) => (isUnknown(r) ? this.note(`roles[${i}]`, "unknown at preview") : true));
        return { type: "folderRoles", principal: { principalType: s.principalType, principalId }, scopeId, folderId: parameters.folderId, roleIds };
    }
}

// Who can do what, where: a principals × (account, product environments, folders) matrix of roles and custom
// policies, read from the Permissions API (inspect per scope and per folder, custom policies per scope), the
// Provisioning API (names, group members) and, where configured, the Admin API (folder paths).
import type { CustomPolicy, Grant, InspectedPrincipal, Principal, ProductEnvironment } from "../provider/api/domain";
import type { ProviderContext } from "../provider/context";
import { principalScopes } from "../provider/validation/cedar";
import { IneffectiveGrant, ineffectiveGrants, GroupFacts } from "../provider/validation/effect";
import { accountFacts } from "../provider/validation/effectFacts";
import { WARNING_CODES } from "../provider/catalog/grantEffects";

export interface Column {
    key: string;
    label: string;
    kind: "account" | "prodenv" | "folder";
}

export interface Row {
    key: string;
    label: string;
    principalType: string;
    principalId: string;
}

/** One thing a principal holds in a column: a role or a custom policy, and how it comes to hold it. */
export interface Entry {
    kind: "role" | "policy";
    name: string;
    id: string;
    viaGroup?: string;
    inheritedFrom?: string;
}

export interface AccessMatrix {
    columns: Column[];
    rows: Row[];
    /** rowKey → columnKey → entries */
    cells: Map<string, Map<string, Entry[]>>;
    /** Grants that do nothing (see provider/validation/effect.ts), silenced codes left out. */
    warnings: IneffectiveGrant[];
}

export interface MatrixOptions {
    principal?: Principal;
    /** Only this product environment (by cloud name). */
    cloud?: string;
}

const keyOf = (type: string, id: string) => `${type}:${id}`;

export async function accessMatrix(ctx: ProviderContext, options: MatrixOptions = {}): Promise<AccessMatrix> {
    const api = ctx.api.policies;
    const environments = [...(await ctx.directory.productEnvironments()).values()].filter((pe) => !options.cloud || pe.cloudName === options.cloud);
    if (options.cloud && environments.length === 0) throw new Error(`no product environment with cloud name '${options.cloud}' in this account`);
    const principal = options.principal;
    const matrix: AccessMatrix = { columns: [{ key: "account", label: "account", kind: "account" }], rows: [], cells: new Map(), warnings: [] };
    /** The grants inspect reports, as held (a folder's inherited roles are not grants of their own). */
    const grants: Grant[] = [];
    const add = (p: { principalType: string; principalId: string }, column: string, entry: Entry) => {
        const row = keyOf(p.principalType, p.principalId);
        if (!matrix.cells.has(row)) matrix.cells.set(row, new Map());
        const cell = matrix.cells.get(row)!;
        cell.set(column, [...(cell.get(column) ?? []), entry]);
    };
    const record = (list: InspectedPrincipal[], column: string, folderId?: string) => {
        for (const p of list) for (const r of p.roles) add(p, column, { kind: "role", name: r.roleName, id: r.roleId, ...(folderId && r.folderId !== folderId ? { inheritedFrom: r.folderId } : {}) });
    };
    const account = await api.inspect({ scopeType: "account", principal });
    record(account, "account");
    grants.push(...heldGrants(account));
    for (const pe of environments) {
        const held = await api.inspect({ scopeType: "prodenv", scopeId: pe.id, principal });
        grants.push(...heldGrants(held, pe.id));
        matrix.columns.push({ key: pe.id, label: pe.cloudName, kind: "prodenv" });
        record(held.map((p) => ({ ...p, roles: p.roles.filter((r) => !r.folderId) })), pe.id);
        const folderIds = [...new Set(held.flatMap((p) => p.roles.map((r) => r.folderId).filter((f): f is string => Boolean(f))))];
        const folders = await Promise.all(folderIds.map(async (folderId) => ({ folderId, label: await folderLabel(ctx, pe, folderId) })));
        for (const { folderId, label } of folders.sort((a, b) => a.label.localeCompare(b.label))) {
            matrix.columns.push({ key: `${pe.id}/${folderId}`, label, kind: "folder" });
            record(await api.inspect({ scopeType: "prodenv", scopeId: pe.id, folderId, principal }), `${pe.id}/${folderId}`, folderId);
        }
    }
    await addCustomPolicies(ctx, matrix, environments, add);
    const groups = await addGroupMembers(ctx, matrix);
    const silenced = ctx.settings.silencedWarnings;
    if (silenced !== "all") {
        const unique = [...new Map(grants.map((g) => [JSON.stringify([g.roleId, g.principalType, g.principalId, g.scopeId, g.policyParameters]), g])).values()];
        const order = Object.keys(WARNING_CODES);
        matrix.warnings = ineffectiveGrants(await accountFacts(ctx, unique, groups))
            .filter((w) => !silenced.includes(w.code))
            .sort((a, b) => order.indexOf(a.code) - order.indexOf(b.code) || a.message.localeCompare(b.message));
    }
    // One principal asked about: its row, and the policies for every principal. (Its groups' rows were only
    // where its access through them came from.)
    if (principal) for (const row of [...matrix.cells.keys()]) if (row !== keyOf(principal.principalType, principal.principalId) && !row.startsWith("*:")) matrix.cells.delete(row);
    matrix.rows = await rowsOf(ctx, matrix);
    return matrix;
}

async function folderLabel(ctx: ProviderContext, pe: ProductEnvironment, folderId: string): Promise<string> {
    const path = ctx.hasProductEnvironment(pe.cloudName) ? (await ctx.directory.folders(pe.cloudName).folder(folderId))?.path : undefined;
    return `${pe.cloudName}:${path ?? folderId}`;
}

/** Enabled custom policies, in the row of each principal they name (a group's members get them through it). */
async function addCustomPolicies(ctx: ProviderContext, matrix: AccessMatrix, environments: ProductEnvironment[], add: (p: { principalType: string; principalId: string }, column: string, e: Entry) => void): Promise<void> {
    const scopes: Array<[string, CustomPolicy[]]> = [["account", await ctx.api.policies.list("account")]];
    for (const pe of environments) scopes.push([pe.id, await ctx.api.policies.list("prodenv", pe.id)]);
    for (const [column, policies] of scopes) {
        for (const policy of policies.filter((p) => p.enabled)) {
            const entry: Entry = { kind: "policy", name: policy.name, id: policy.id };
            for (const scope of principalScopes(policy.policyStatement)) {
                if (scope.op === "==" || scope.op === "in") add({ principalType: cedarToApi(scope.type), principalId: scope.id }, column, entry);
                else add({ principalType: "*", principalId: scope.op === "is" ? scope.type : "any" }, column, entry);
            }
        }
    }
}

function cedarToApi(type: string): string {
    return ({ User: "user", Group: "group", APIKey: "apiKey" } as Record<string, string>)[type] ?? type;
}

/** A principal's roles as grants: a product environment's roles in it (or in 'all'), on their folder or collection. */
function heldGrants(list: InspectedPrincipal[], productEnvironmentId?: string): Grant[] {
    return list.flatMap((p) =>
        p.roles.map((r) => {
            const policyParameters = r.folderId ? { folderId: r.folderId } : r.collectionId ? { collectionId: r.collectionId } : undefined;
            const scopeId = productEnvironmentId ? (r.scopeId ?? productEnvironmentId) : undefined;
            return { roleId: r.roleId, principalType: p.principalType, principalId: p.principalId, ...(scopeId ? { scopeId } : {}), ...(policyParameters ? { policyParameters } : {}) };
        }),
    );
}

/** Each member of a group gets the group's cells, marked as held through it. Returns the groups with their members. */
async function addGroupMembers(ctx: ProviderContext, matrix: AccessMatrix): Promise<GroupFacts[]> {
    const groups: GroupFacts[] = [];
    for (const [row, cells] of [...matrix.cells]) {
        const [type, groupId] = row.split(/:(.*)/s);
        if (type !== "group") continue;
        const group = await ctx.directory.group(groupId);
        if (group) groups.push({ id: group.id, name: group.name, memberIds: group.memberIds ?? [] });
        for (const userId of group?.memberIds ?? []) {
            const userRow = keyOf("user", userId);
            if (!matrix.cells.has(userRow)) matrix.cells.set(userRow, new Map());
            const userCells = matrix.cells.get(userRow)!;
            for (const [column, entries] of cells) userCells.set(column, [...(userCells.get(column) ?? []), ...entries.map((e) => ({ ...e, viaGroup: group?.name ?? groupId }))]);
        }
    }
    return groups;
}

async function rowsOf(ctx: ProviderContext, matrix: AccessMatrix): Promise<Row[]> {
    const users = await ctx.directory.users();
    const groups = await ctx.directory.groups();
    const label = (type: string, id: string): string => {
        if (type === "user") return users.get(id)?.name ? `${users.get(id)!.name} <${users.get(id)!.email ?? id}>` : id;
        if (type === "group") return `group ${groups.get(id)?.name ?? id}`;
        if (type === "*") return id === "any" ? "(every principal)" : `(every ${id})`;
        return `${type} ${id}`;
    };
    const order = ["user", "group", "apiKey", "provisioningKey", "*"];
    return [...matrix.cells.keys()]
        .map((row) => {
            const [type, id] = row.split(/:(.*)/s);
            return { key: row, label: label(type, id), principalType: type, principalId: id };
        })
        .sort((a, b) => order.indexOf(a.principalType) - order.indexOf(b.principalType) || a.label.localeCompare(b.label));
}

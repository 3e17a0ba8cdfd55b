// Names where people use names: every input that takes an id also takes the name a person sees in the Console.
// Which inputs, and what they name, is written once in schema.json (`x-name`): a principal (a user by email, a
// group by name, as its sibling principalType says), a user (by email), a product environment (by cloud name)
// and a folder (by path, inside the product environment of its grant or share). At check the name is resolved
// through the run's directory and the resource is bound to the id: writing the same grant by name instead of by
// id is no change. The names and ids seen are kept beside the inputs, so outputs and messages can show both.
import type { Grant } from "../api/domain";
import type { ProviderContext } from "../context";
import type { NameMatch } from "../context/directory";
import { describeGrant } from "./grants";
import { Failure, formatPath, ResourceKind, SCHEMA } from "./schema";
import { closest } from "./suggest";

export type NameKind = "principal" | "user" | "productEnvironment" | "folder";

/** id → the name a person knows it by (an email, a group's name, a cloud name, a folder's path). */
export type Names = Record<string, string>;

export interface Resolution {
    /** The inputs with every name replaced by its id. */
    inputs: Record<string, unknown>;
    names: Names;
    failures: Failure[];
}

interface SchemaNode {
    $ref?: string;
    type?: string;
    properties?: Record<string, SchemaNode>;
    items?: SchemaNode;
    "x-name"?: NameKind;
}

/** Where a value sits: what its grant says about the principal type and the product environment. */
interface Scope {
    principalType?: string;
    cloudName?: string;
    /** A product environment id (resolved), or "all". */
    environmentId?: string;
}

const definitionOf = (ref: string): SchemaNode => SCHEMA.$defs[ref.split("/").pop() as string] as SchemaNode;

/** A node with its $ref followed; an annotation written beside the $ref wins over the referenced one. */
function resolved(node: SchemaNode): SchemaNode {
    return node.$ref ? { ...resolved(definitionOf(node.$ref)), ...node, $ref: undefined } : node;
}

/** True when the resource has inputs that take names. */
export function takesNames(kind: ResourceKind): boolean {
    const visit = (node: SchemaNode, seen: Set<SchemaNode>): boolean => {
        const n = resolved(node);
        if (n["x-name"]) return true;
        if (seen.has(n)) return false;
        seen.add(n);
        return Object.values(n.properties ?? {}).some((p) => visit(p, seen)) || (n.items ? visit(n.items, seen) : false);
    };
    return visit(SCHEMA.$defs[kind] as SchemaNode, new Set());
}

/**
 * Resolves the names in a resource's known inputs. Values that were already there in the previous inputs (the
 * resolved ids of the last check) are not looked up again, so an unchanged stack costs no reads; their names are
 * carried over from `previousNames`.
 */
export async function resolveNames(ctx: ProviderContext, kind: ResourceKind, inputs: Record<string, unknown>, olds?: Record<string, unknown>, previousNames: Names = {}): Promise<Resolution> {
    const resolver = new Resolver(ctx, leaves(olds), previousNames);
    const value = (await resolver.walk(SCHEMA.$defs[kind] as SchemaNode, inputs, [], {})) as Record<string, unknown>;
    return { inputs: value, names: resolver.names, failures: resolver.failures };
}

/** Every string in a value (the previous inputs' ids). */
function leaves(value: unknown, into = new Set<string>()): Set<string> {
    if (typeof value === "string") into.add(value);
    else if (Array.isArray(value)) value.forEach((v) => leaves(v, into));
    else if (value && typeof value === "object") Object.values(value).forEach((v) => leaves(v, into));
    return into;
}

class Resolver {
    readonly names: Names = {};
    readonly failures: Failure[] = [];

    constructor(private readonly ctx: ProviderContext, private readonly unchanged: Set<string>, private readonly previousNames: Names) {}

    async walk(schema: SchemaNode, value: unknown, path: (string | number)[], scope: Scope): Promise<unknown> {
        const node = resolved(schema);
        if (node["x-name"] && typeof value === "string") return this.leaf(node["x-name"], value, path, scope);
        if (node.items && Array.isArray(value)) {
            const out: unknown[] = [];
            for (const [i, item] of value.entries()) out.push(await this.walk(node.items, item, [...path, i], scope));
            return out;
        }
        if (node.properties && value && typeof value === "object" && !Array.isArray(value)) return this.object(node.properties, value as Record<string, unknown>, path, scope);
        return value;
    }

    /** The product environment of an object comes first: its folders are looked up inside it. */
    private async object(properties: Record<string, SchemaNode>, value: Record<string, unknown>, path: (string | number)[], outer: Scope): Promise<Record<string, unknown>> {
        const out = { ...value };
        const scope: Scope = { ...outer, ...(typeof value.principalType === "string" ? { principalType: value.principalType } : {}) };
        if (typeof value.cloudName === "string") scope.cloudName = value.cloudName;
        const keys = Object.keys(value).filter((k) => properties[k]);
        const first = keys.filter((k) => resolved(properties[k])["x-name"] === "productEnvironment");
        for (const key of first) {
            out[key] = await this.walk(properties[key], value[key], [...path, key], scope);
            if (typeof out[key] === "string") Object.assign(scope, { environmentId: out[key], cloudName: undefined });
        }
        for (const key of keys.filter((k) => !first.includes(k))) out[key] = await this.walk(properties[key], value[key], [...path, key], scope);
        return out;
    }

    private async leaf(kind: NameKind, value: string, path: (string | number)[], scope: Scope): Promise<string> {
        if (this.unchanged.has(value)) {
            if (this.previousNames[value] !== undefined) this.names[value] = this.previousNames[value];
            return value;
        }
        const found = await this.lookUp(kind, value, scope);
        if (found === undefined) return value; // nothing to look it up in (see lookUp)
        if ("problem" in found) {
            this.failures.push({ property: String(path[0]), reason: path.length > 1 ? `${formatPath(path)} ${found.problem}` : found.problem });
            return value;
        }
        if (found.name !== undefined) this.names[found.id] = found.name;
        return found.id;
    }

    /** The id and name a value means, a problem, or undefined when this kind of value cannot be looked up here. */
    private async lookUp(kind: NameKind, value: string, scope: Scope): Promise<{ id: string; name?: string } | { problem: string } | undefined> {
        const directory = this.ctx.directory;
        switch (kind) {
            case "user":
                return this.user(value);
            case "principal":
                if (scope.principalType === "user") return this.user(value);
                if (scope.principalType === "group") return this.group(value);
                return undefined; // API keys are not listed by the account APIs; Cloudinary checks them when granted
            case "productEnvironment": {
                if (value === "all") return { id: value };
                const match = await directory.findProductEnvironment(value);
                if (match.found) return { id: match.found.id, name: match.found.cloudName };
                const environments = [...(await directory.productEnvironments()).values()];
                const known = environments.map((pe) => `${pe.cloudName} (${pe.id})`).join(", ");
                const guess = closest(value, environments.flatMap((pe) => [pe.cloudName, pe.id]));
                return { problem: `'${value}' is not a product environment of this account, by id or by cloud name${guess ? `; did you mean '${guess}'?` : ""} Known: ${known}, or 'all'` };
            }
            case "folder":
                return this.folder(value, scope);
        }
    }

    private async user(value: string): Promise<{ id: string; name?: string } | { problem: string }> {
        const match = await this.ctx.directory.findUser(value);
        if (match.found) return { id: match.found.id, name: match.found.email ?? match.found.name };
        if (match.candidates.length) return { problem: ambiguous(value, "user", match, (u) => `${u.email} (${u.id})`) };
        const users = [...(await this.ctx.directory.users()).values()];
        const guess = closest(value, value.includes("@") ? users.flatMap((u) => (u.email ? [u.email] : [])) : users.map((u) => u.id));
        return { problem: `'${value}' is not a user of this account, by id or by email${guess ? `; did you mean '${guess}'?` : ""}` };
    }

    private async group(value: string): Promise<{ id: string; name?: string } | { problem: string }> {
        const match = await this.ctx.directory.findGroup(value);
        if (match.found) return { id: match.found.id, name: match.found.name };
        if (match.candidates.length) return { problem: ambiguous(value, "user group", match, (g) => `'${g.name}' (${g.id})`) };
        const groups = [...(await this.ctx.directory.groups()).values()];
        const guess = closest(value, groups.flatMap((g) => [g.name, g.id]));
        return {
            problem:
                `'${value}' is not a user group of this account, by id or by name${guess ? `; did you mean '${guess}'?` : "."}` +
                ` For a Group declared in this program, pass its groupId output (group.groupId), so that the grant waits for it`,
        };
    }

    private async folder(value: string, scope: Scope): Promise<{ id: string; name?: string } | { problem: string } | undefined> {
        const cloudName = scope.cloudName ?? (scope.environmentId && scope.environmentId !== "all" ? (await this.ctx.directory.productEnvironment(scope.environmentId))?.cloudName : undefined);
        // Content roles need one product environment; another rule says so when there is none.
        if (!cloudName) return undefined;
        if (!this.ctx.hasProductEnvironment(cloudName)) {
            if (!value.includes("/")) return undefined; // an id, or a top folder's path: left to Cloudinary without Admin API credentials
            return { problem: `'${value}' is a folder path, and resolving it needs the Admin API credentials of product environment '${cloudName}': configure them (cloudinary:productEnvironments), or use the folder's external id` };
        }
        const folders = this.ctx.directory.folders(cloudName);
        // A path has a '/' or may be a top folder's name; an external id has none.
        const found = !value.includes("/") ? await folders.folderByIdOrPath(value) : await folders.folderAt(value);
        if (found) return { id: found.id, name: found.path };
        const parent = value.includes("/") ? value.slice(0, value.lastIndexOf("/")) : "";
        const siblings = await folders.subfolders(parent).catch(() => []);
        const guess = closest(value, siblings.map((f) => f.path));
        return { problem: `no folder with external id or path '${value}' in product environment '${cloudName}'${guess ? `; did you mean '${guess}'?` : ""} (folder paths look like 'marketing/campaigns'; external ids come from the Admin API's folder listings)` };
    }
}

/**
 * The names of the principals, product environments and folders some grants name, from the run's listings (users,
 * groups, product environments: read once per run) and, for folders, their product environment's Admin API.
 */
export async function namesOfGrants(ctx: ProviderContext, grants: readonly Grant[]): Promise<Names> {
    if (grants.length === 0) return {};
    const directory = ctx.directory;
    const [users, groups, environments] = await Promise.all([directory.users(), directory.groups(), directory.productEnvironments()]);
    const names: Names = {};
    const folders: Promise<void>[] = [];
    for (const g of grants) {
        const principal = g.principalType === "user" ? (users.get(g.principalId)?.email ?? users.get(g.principalId)?.name) : g.principalType === "group" ? groups.get(g.principalId)?.name : undefined;
        if (principal) names[g.principalId] = principal;
        const environment = g.scopeId ? environments.get(g.scopeId) : undefined;
        if (environment) names[environment.id] = environment.cloudName;
        const folderId = g.policyParameters && "folderId" in g.policyParameters ? g.policyParameters.folderId : undefined;
        if (folderId && environment && ctx.hasProductEnvironment(environment.cloudName)) {
            folders.push(directory.folders(environment.cloudName).folder(folderId).then((f) => void (f && (names[f.id] = f.path))));
        }
    }
    await Promise.all(folders);
    return names;
}

/** Grants as a message lists them, each id with its name. */
export async function describeGrants(ctx: ProviderContext, grants: readonly Grant[]): Promise<string> {
    const names = await namesOfGrants(ctx, grants).catch(() => ({}));
    return grants.map((g) => describeGrant(g, names)).join("; ");
}

function ambiguous<T>(value: string, noun: string, match: NameMatch<T>, show: (item: T) => string): string {
    return `'${value}' matches several ${noun}s but for letter case: ${match.candidates.map(show).join(", ")}; write the name exactly, or use the id`;
}

// `cloudinary-permissions export [--out FILE] [--format yaml|ts] [--exclusive] [--ids]`: reads the live account and
// writes a permissions.yaml (or a TypeScript program) declaring what is there, so that an existing account is
// brought under code by `pulumi up` with no write: custom roles and groups with `adopt: true`, and every grant as
// the PrincipalRoles of its principal (folder shares included: Cloudinary keeps them as folder-role grants). Users
// are written by email, product environments by cloud name and folders by path (where the product environment's
// Admin API is configured), as a reviewer reads them; `--ids` keeps the ids.
import { Command, Option } from "commander";
import * as fs from "node:fs";
import { Document } from "yaml";
import type { Grant, Group, ProductEnvironment, Role, User } from "../provider/api/domain";
import { isExpected } from "../provider/api/errors";
import type { ProviderContext } from "../provider/context";
import type { PermissionsFile, PrincipalGrant } from "../provider/generated/inputs";
import { grantKey } from "../provider/validation/grants";
import { CliError, contextFromEnvironment } from "./settings";

export interface ExportOptions {
    out?: string;
    format: "yaml" | "ts";
    exclusive: boolean;
    /** Ids instead of emails, cloud names and folder paths. */
    ids?: boolean;
}

interface LiveAccount {
    customRoles: Role[];
    groups: Group[];
    users: User[];
    grants: Grant[];
    productEnvironments: ProductEnvironment[];
    /** "productEnvironmentId|folderId" → path, for the folders grants name (where the Admin API is configured). */
    folderPaths: Map<string, string>;
    /** The users who may not enter every product environment, with those they may enter (ids). */
    restricted: Map<string, string[]>;
}

/** Reads the account through the run's directory: roles (two reads), each custom role, the groups with their members (one read), the users, then each role's holders. */
export async function readAccount(ctx: ProviderContext, progress: (message: string) => void = () => undefined): Promise<LiveAccount> {
    const directory = ctx.directory;
    const roles = (await Promise.all((["global", "content"] as const).map((t) => ctx.api.account.listRoles(t)))).flat();
    const custom = roles.filter((r) => r.managementType === "custom");
    const [customRoles, groups, users, productEnvironments] = await Promise.all([
        Promise.all(custom.map(async (r) => (await directory.customRole(r.id, "fresh")) ?? r)),
        directory.groups("fresh").then((byId) => [...byId.values()]),
        directory.users().then((byId) => [...byId.values()]),
        directory.productEnvironments().then((byId) => [...byId.values()]),
    ]);
    progress(`${customRoles.length} custom roles, ${groups.length} groups; reading the holders of ${roles.length} roles`);
    let done = 0;
    const grants = await Promise.all(
        roles.map(async (r) => {
            const holders = await directory.holders(r.id, "fresh");
            if (++done % Math.max(1, Math.ceil(roles.length / 10)) === 0) progress(`holders of ${done} of ${roles.length} roles read`);
            return holders;
        }),
    );
    const all = grants.flat();
    const [folderPaths, restricted] = await Promise.all([folderPathsOf(ctx, all, productEnvironments), restrictedUsers(ctx, users)]);
    return { customRoles, groups, users, grants: all, productEnvironments, folderPaths, restricted };
}

/** The users the listing says may not enter every product environment, with those they may enter (one read each). */
async function restrictedUsers(ctx: ProviderContext, users: User[]): Promise<Map<string, string[]>> {
    const candidates = users.filter((u) => u.allProductEnvironments === false && u.accountRole !== "master_admin");
    const accesses = await Promise.all(candidates.map(async (u) => [u.id, await ctx.directory.productEnvironmentAccess(u.id, "fresh")] as const));
    return new Map(accesses.flatMap(([id, access]) => (access && !access.all ? [[id, access.productEnvironmentIds] as const] : [])));
}

/** The paths of the folders that grants name, one read per folder, where the product environment's Admin API is configured. */
async function folderPathsOf(ctx: ProviderContext, grants: Grant[], environments: ProductEnvironment[]): Promise<Map<string, string>> {
    const cloudOf = new Map(environments.map((pe) => [pe.id, pe.cloudName]));
    const wanted = new Set(grants.flatMap((g) => (g.scopeId && g.policyParameters && "folderId" in g.policyParameters ? [`${g.scopeId}|${g.policyParameters.folderId}`] : [])));
    const paths = new Map<string, string>();
    await Promise.all(
        [...wanted].map(async (key) => {
            const [scopeId, folderId] = key.split("|");
            const cloudName = cloudOf.get(scopeId);
            if (!cloudName || !ctx.hasProductEnvironment(cloudName)) return;
            const folder = await ctx.directory.folders(cloudName).folder(folderId);
            if (folder) paths.set(key, folder.path);
        }),
    );
    return paths;
}

/** How the file names users, product environments and folders: as people read them, or by id. */
function namerOf(live: LiveAccount, ids: boolean) {
    const emails = new Map(live.users.flatMap((u) => (u.email ? [[u.id, u.email] as const] : [])));
    const cloudNames = new Map(live.productEnvironments.map((pe) => [pe.id, pe.cloudName]));
    return {
        user: (id: string) => (ids ? id : (emails.get(id) ?? id)),
        scope: (id: string) => (ids ? id : (cloudNames.get(id) ?? id)),
        folder: (scopeId: string, folderId: string) => (ids ? folderId : (live.folderPaths.get(`${scopeId}|${folderId}`) ?? folderId)),
    };
}

/** Keys made from names (lowercase, '-'), unique within their section. */
function keyMaker(): (name: string) => string {
    const used = new Set<string>();
    return (name) => {
        const base = name.toLowerCase().replace(/[^a-z0-9_-]+/g, "-").replace(/^[-_]+|-+$/g, "").slice(0, 56) || "entry";
        let key = base;
        for (let n = 2; used.has(key); n++) key = `${base}-${n}`;
        used.add(key);
        return key;
    };
}

/** The permissions.yaml content that declares the live account. */
export function permissionsFileOf(live: LiveAccount, exclusive: boolean, ids = false): PermissionsFile {
    const name = namerOf(live, ids);
    const roleKey = new Map<string, string>();
    const roleKeys = keyMaker();
    const customRoles = Object.fromEntries(
        live.customRoles.map((r) => {
            const key = roleKeys(r.name);
            roleKey.set(r.id, key);
            const role = { name: r.name, ...(r.description ? { description: r.description } : {}), roleId: r.id, permissionType: r.permissionType, scopeType: r.scopeType, systemPolicyIds: r.systemPolicyIds, adopt: true };
            return [key, role];
        }),
    );
    const groupKey = new Map<string, string>();
    const groupKeys = keyMaker();
    const groups = Object.fromEntries(
        live.groups.map((g) => {
            const key = groupKeys(g.name);
            groupKey.set(g.id, key);
            return [key, { name: g.name, memberIds: (g.memberIds ?? []).map(name.user).sort(), adopt: true }];
        }),
    );
    const userNames = new Map(live.users.map((u) => [u.id, u.name ?? u.email ?? u.id]));
    const principalKeys = keyMaker();
    const byPrincipal = new Map<string, Grant[]>();
    for (const g of [...live.grants].sort((a, b) => grantKey(a).localeCompare(grantKey(b)))) {
        const k = `${g.principalType}|${g.principalId}`;
        byPrincipal.set(k, [...(byPrincipal.get(k) ?? []), g]);
    }
    const principalRoles = Object.fromEntries(
        [...byPrincipal.values()].map((grants) => {
            const { principalType, principalId } = grants[0];
            const label = principalType === "group" ? groupKey.get(principalId) : principalType === "user" ? userNames.get(principalId) : `${principalType === "apiKey" ? "api-key" : "provisioning-key"}-${principalId}`;
            const roles = grants.map(({ roleId, scopeId, policyParameters }) => {
                const parameters = policyParameters && scopeId && "folderId" in policyParameters ? { folderId: name.folder(scopeId, policyParameters.folderId) } : policyParameters;
                return { roleId: roleKey.get(roleId) ?? roleId, ...(scopeId ? { scopeId: name.scope(scopeId) } : {}), ...(parameters ? { policyParameters: parameters } : {}) } as PrincipalGrant;
            });
            const id = principalType === "group" ? (groupKey.get(principalId) ?? principalId) : principalType === "user" ? name.user(principalId) : principalId;
            return [principalKeys(`${label ?? principalId}-roles`), { principalType, principalId: id, roles, adopt: true }];
        }),
    );
    const productEnvironmentAccess = Object.fromEntries([...live.restricted].map(([userId, environments]) => [name.user(userId), environments.map(name.scope).sort()]));
    const file: PermissionsFile = {};
    if (exclusive) file.exclusive = true;
    if (Object.keys(customRoles).length) file.customRoles = customRoles;
    if (Object.keys(groups).length) file.groups = groups;
    if (Object.keys(principalRoles).length) file.principalRoles = principalRoles;
    if (Object.keys(productEnvironmentAccess).length) file.productEnvironmentAccess = productEnvironmentAccess;
    return file;
}

const NOT_MANAGED = [
    "Not managed by this file (read from the account, referenced by email, name or id):",
    "  - users (Provisioning API), API keys and provisioning keys themselves;",
    "  - folder roles inherited from parent folders (derived from the folders' own grants);",
    "  - folder shares appear as folder-role grants (cld::role::folder::*, with policyParameters.folderId) in principalRoles:",
    "    Cloudinary keeps both in the same place, and a PrincipalRoles owns all of its principal's grants.",
];

function render(file: PermissionsFile, options: ExportOptions, live: LiveAccount, accountId: string): string {
    const header = `Generated by \`cloudinary-permissions export\` from account ${accountId}: ${live.customRoles.length} custom roles, ${live.groups.length} groups, ${live.grants.length} grants.`;
    if (options.format === "ts") {
        return [
            `// ${header}`,
            ...NOT_MANAGED.map((l) => `// ${l}`),
            `import { declarePermissions, parsePermissionsFile } from "pulumi-cloudinary-permissions";`,
            "",
            `const file = ${JSON.stringify(file, null, 4)};`,
            "",
            "// Validated as a permissions.yaml would be, then declared.",
            "export const declared = declarePermissions(parsePermissionsFile(JSON.stringify(file), \"exported account\"));",
            "",
        ].join("\n");
    }
    const doc = new Document(file);
    doc.commentBefore = [` ${header}`, ...NOT_MANAGED.map((l) => ` ${l}`)].join("\n");
    return doc.toString({ lineWidth: 0 });
}

export async function runExport(options: ExportOptions, env: NodeJS.ProcessEnv = process.env, progress: (m: string) => void = (m) => process.stderr.write(`export: ${m}\n`)): Promise<string> {
    const ctx = await contextFromEnvironment(env);
    try {
        const live = await readAccount(ctx, progress);
        const text = render(permissionsFileOf(live, options.exclusive, options.ids), options, live, ctx.settings.account?.accountId ?? "");
        if (options.out) {
            fs.writeFileSync(options.out, text);
            progress(`wrote ${options.out}: ${live.grants.length} grants`);
        }
        return text;
    } catch (e) {
        if (isExpected(e)) throw new CliError(e.message);
        throw e;
    }
}

export function exportCommand(): Command {
    return new Command("export")
        .description("write a permissions.yaml (or a TypeScript program) declaring the live account's roles, groups and grants")
        .option("--out <file>", "write to this file instead of stdout")
        .addOption(new Option("--format <format>", "yaml: a permissions.yaml for the GitOps program; ts: a Pulumi program").choices(["yaml", "ts"]).default("yaml"))
        .option("--exclusive", "mark the file exclusive: grants it does not declare are revoked", false)
        .option("--ids", "write ids instead of emails, cloud names and folder paths", false)
        .action(async (options: ExportOptions) => {
            const text = await runExport(options);
            if (!options.out) process.stdout.write(text);
        });
}

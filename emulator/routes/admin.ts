// Admin API of one product environment (/v1_1/{cloud_name}/...): folders and folder roles
// (folder_operations/invite), per asset-management.yml.
import type { components } from "../../wire/admin";
import { checkGrant } from "../grants";
import type { FolderRecord, ProductEnvironmentRecord, RoleView } from "../model";
import { cursorPage, parsePageSize } from "../paging";
import { conflict, invalid, notFound } from "../problems";
import { folderName, type AccountReader } from "../store";
import type { RouteContext, RouteDef, RouteMaker, RouteResult } from "./types";

type S = components["schemas"];

const BASE = "/v1_1/{cloud_name}";
/** "Retrieves an array of all root folders ... Limited to 2000 results." */
const ROOT_FOLDERS_LIMIT = 2000;
/** The Admin API's `max_results` parameter: 1 to 500. */
const MAX_RESULTS = 500;

// ---- views ---------------------------------------------------------------------------------------------------

function folderData(f: FolderRecord): S["folder"] {
    return { name: folderName(f.path), path: f.path, external_id: f.externalId, created_at: f.createdAt };
}

/** Assets are not modelled: counts and sizes are 0. */
function folderDetail(store: AccountReader, f: FolderRecord): S["folder_detail_response"] {
    return { ...folderData(f), resource_count: 0, total_bytes: 0, last_uploaded_at: null, ancestors: store.ancestorFolders(f.externalId).map(folderData) };
}

/** The folder an empty path names: the root, which has no id of its own. */
const ROOT_DETAIL: S["folder_detail_response"] = { name: "", path: "", external_id: "", resource_count: 0, total_bytes: 0, last_uploaded_at: null, ancestors: [] };

// ---- lookups -------------------------------------------------------------------------------------------------

/** A folder path: the spec's pattern (no empty path, no `//`, no leading or trailing `/`). */
function checkedPath(raw: string): string {
    if (!raw || raw.includes("//") || raw.startsWith("/") || raw.endsWith("/")) throw invalid("folder", raw, "a path is not empty and has no leading, trailing or double /");
    if (/[?#\\%<>]/.test(raw)) throw invalid("folder", raw, "characters ? # \\ % < > are not allowed");
    return raw;
}

const pathParam = (ctx: RouteContext) => checkedPath(ctx.params["*"] ?? ctx.params.folder ?? "");

/** Set by authentication: the product environment of cloud_name. */
const productEnvironment = (ctx: RouteContext): ProductEnvironmentRecord => ctx.productEnvironment!;

function folderById(ctx: RouteContext, id: string): FolderRecord {
    const f = ctx.store.folder(id);
    if (!f || f.productEnvironmentId !== productEnvironment(ctx).id) throw notFound("folder", "folder_id", id);
    return f;
}

function folderByPath(ctx: RouteContext, path: string, caseSensitive = true): FolderRecord {
    const f = ctx.store.folderByPath(productEnvironment(ctx).id, path, caseSensitive);
    if (!f) throw notFound("folder", "path", path);
    return f;
}

// ---- folders -------------------------------------------------------------------------------------------------

/** Root folders: one listing of at most 2000, next_cursor always null (the spec). */
function listRootFolders(ctx: RouteContext): RouteResult {
    const all = ctx.store.childFolders(productEnvironment(ctx).id, "");
    const body: S["folders_list_response"] = { folders: all.slice(0, ROOT_FOLDERS_LIMIT).map(folderData), next_cursor: null, total_count: all.length };
    return { status: 200, body };
}

/**
 * Subfolders, paged: the request's `max_results`, else the server's page size; the next page with `next_cursor`
 * (the spec declares neither parameter here; these are the Admin API's names for them elsewhere).
 */
function listSubfolders(ctx: RouteContext): RouteResult {
    const path = pathParam(ctx);
    folderByPath(ctx, path);
    const all = ctx.store.childFolders(productEnvironment(ctx).id, path);
    const page = cursorPage(all, ctx.extraQuery.next_cursor, maxResults(ctx.extraQuery.max_results) ?? ctx.pageSize, "next_cursor");
    const body: S["folders_list_response"] = { folders: page.items.map(folderData), next_cursor: page.nextCursor ?? null, total_count: all.length };
    return { status: 200, body };
}

function maxResults(raw: string | undefined): number | undefined {
    if (raw === undefined) return undefined;
    const n = parsePageSize(raw);
    if (typeof n === "string" || n > MAX_RESULTS) throw invalid("max_results", raw, `a whole number from 1 to ${MAX_RESULTS}`);
    return n;
}

function createFolder(ctx: RouteContext): RouteResult {
    const path = pathParam(ctx);
    if (ctx.store.folderByPath(productEnvironment(ctx).id, path)) throw conflict("folder", "path", path);
    const created = ctx.store.createFolder(productEnvironment(ctx).id, path);
    return { status: 200, body: { success: true, ...folderData(created[created.length - 1]) } };
}

function deleteFolder(ctx: RouteContext): RouteResult {
    const folder = folderByPath(ctx, pathParam(ctx));
    return { status: 200, body: { deleted: [...ctx.store.deleteFolder(folder.externalId)] } };
}

/** "Use an empty string for the root folder"; surrounding slashes are dropped; case_sensitive false ignores case. */
function folderByPathRequest(ctx: RouteContext): RouteResult {
    const b = ctx.body as S["folder_by_path_request"];
    const path = b.path.replace(/^\/+|\/+$/g, "");
    if (path === "") return { status: 200, body: ROOT_DETAIL };
    return { status: 200, body: folderDetail(ctx.store, folderByPath(ctx, checkedPath(path), b.case_sensitive !== false)) };
}

/**
 * The folder's descendants, depth first (siblings by path). `filter_ids` restricts the descendants returned;
 * `inclusive` puts the folder itself first, whatever the filter.
 */
function descendants(ctx: RouteContext): RouteResult {
    const b = ctx.body as S["folder_descendants_request"];
    const folder = folderById(ctx, b.id);
    const below = ctx.store.descendantFolders(folder.externalId).filter((f) => !b.filter_ids || b.filter_ids.includes(f.externalId));
    const list = b.inclusive ? [folder, ...below] : below;
    return { status: 200, body: { folders: list.map((f) => folderDetail(ctx.store, f)) } };
}

// ---- folder roles --------------------------------------------------------------------------------------------

const isFolderRole = (r: RoleView) => r.permissionType === "content" && r.policyParameters.includes("folder_id");

/** Grants on the folder itself, then those inherited from its ancestors, nearest first; one entry per principal and folder. */
function folderRoles(ctx: RouteContext): RouteResult {
    const { store, query } = ctx;
    const folder = folderById(ctx, ctx.params.folder_id);
    const chain = [folder, ...[...store.ancestorFolders(folder.externalId)].reverse()];
    const shared = chain.flatMap((f) => {
        const entries = new Map<string, S["folder_role_assignment"]>();
        for (const a of store.grants({ folderId: f.externalId })) {
            const role = store.role(a.roleId);
            if (!role || a.principalType === "provisioningKey" || a.scopeId !== folder.productEnvironmentId) continue;
            const key = `${a.principalType}|${a.principalId}`;
            const entry = entries.get(key) ?? { type: a.principalType, id: a.principalId, folder_id: f.externalId, roles: [] };
            entries.set(key, entry);
            entry.roles.push({ id: role.id, name: role.name, description: role.description ?? "", inherited: f !== folder });
        }
        const sorted = [...entries.values()].sort((x, y) => x.type.localeCompare(y.type) || x.id.localeCompare(y.id));
        for (const e of sorted) e.roles.sort((x, y) => x.id.localeCompare(y.id));
        return sorted;
    });
    const body: S["folder_roles_response"] = { shared_with: shared };
    if (query.permitted_roles === true) body.permitted_roles = store.roles().filter(isFolderRole).map((r) => ({ id: r.id, name: r.name, description: r.description ?? "" }));
    return { status: 200, body };
}

/** The same rules and the same grants as the Permissions API: folder roles in this product environment, on this folder. */
function assignFolderRoles(ctx: RouteContext): RouteResult {
    const { store } = ctx;
    const folder = folderById(ctx, ctx.params.folder_id);
    const b = ctx.body as S["assign_folder_roles_request"];
    for (const roleId of b.roles) {
        const role = store.role(roleId);
        if (!role) throw notFound("role", "role_id", roleId);
        if (!isFolderRole(role)) throw invalid("roles", roleId, "not a folder role");
    }
    const remove = b.operation === "remove";
    const grants = b.roles.map((roleId) =>
        checkGrant(store, { roleId, principalType: b.principal.type, principalId: b.principal.id, scopeId: folder.productEnvironmentId, policyParameters: { folder_id: folder.externalId } }, remove),
    );
    if (remove) store.removeGrants(grants);
    else store.addGrants(grants);
    return { status: 200, body: { success: true } };
}

// ---- routes --------------------------------------------------------------------------------------------------

const route: RouteMaker = (method, path, write, handler, options = {}) => ({ spec: "admin", family: "admin", method, specPath: `${BASE}${path}`, auth: "admin", write, handler, ...options });

export function adminRoutes(): RouteDef[] {
    // {folder} is a whole path (a/b/c), so these routes use a wildcard.
    const url = "/v1_1/:cloud_name/folders/*";
    return [
        route("GET", "/folders", false, listRootFolders),
        route("GET", "/folders/{folder}", false, listSubfolders, { url, extraQuery: ["next_cursor", "max_results"] }),
        route("POST", "/folders/{folder}", true, createFolder, { url }),
        route("DELETE", "/folders/{folder}", true, deleteFolder, { url }),
        route("PUT", "/folders/by_id", false, (ctx) => ({ status: 200, body: folderDetail(ctx.store, folderById(ctx, (ctx.body as S["folder_by_id_request"]).id)) })),
        route("PUT", "/folders/by_path", false, folderByPathRequest),
        route("PUT", "/folders/descendants", false, descendants),
        route("GET", "/folder_operations/invite/{folder_id}", false, folderRoles),
        route("POST", "/folder_operations/invite/{folder_id}", true, assignFolderRoles),
    ];
}

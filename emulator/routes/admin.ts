// Admin API of one product environment (/v1_1/{cloud_name}/...): folders and folder roles
// (folder_operations/invite), per asset-management.yml. Errors are api_error: `{ error: { message } }`.
import type { components } from "../../wire/admin";
import { adminErrors as E } from "../errors";
import type { FolderRecord, ProductEnvironmentRecord } from "../model";
import { Store, folderName } from "../state";
import type { RouteContext, RouteDef, RouteResult } from "./types";

type S = components["schemas"];

const BASE = "/v1_1/{cloud_name}";

function folderData(f: FolderRecord): S["folder"] {
    return { name: folderName(f.path), path: f.path, external_id: f.externalId, created_at: f.createdAt };
}

function folderDetail(store: Store, f: FolderRecord): S["folder_detail_response"] {
    return {
        ...folderData(f),
        resource_count: 0,
        total_bytes: 0,
        last_uploaded_at: null,
        ancestors: store.ancestorFolders(f).map(folderData),
    };
}

function listOf(folders: FolderRecord[]): S["folders_list_response"] {
    return { folders: folders.map(folderData), next_cursor: null, total_count: folders.length };
}

/** The {folder} path parameter: the spec's pattern (no empty path, no `//`, no leading or trailing `/`). */
function folderPathOf(ctx: RouteContext): string {
    const raw = ctx.params["*"] ?? ctx.params.folder ?? "";
    if (!raw || raw.includes("//") || raw.startsWith("/") || raw.endsWith("/")) throw E.invalid(`Invalid folder path '${raw}'`);
    if (/[?#\\%<>]/.test(raw)) throw E.invalid(`Folder path '${raw}' contains characters that are not allowed`);
    return raw;
}

function pe(ctx: RouteContext): ProductEnvironmentRecord {
    // Set by authentication: the product environment of cloud_name.
    return ctx.productEnvironment!;
}

function requireFolderById(ctx: RouteContext, id: string): FolderRecord {
    const f = ctx.store.folders.get(id);
    if (!f || f.productEnvironmentId !== pe(ctx).id) throw E.notFound(`Folder ${id} not found`);
    return f;
}

function folderRoles(ctx: RouteContext): RouteResult {
    const { store, query } = ctx;
    const folder = requireFolderById(ctx, ctx.params.folder_id);
    // Assignments on the folder itself, then those inherited from its ancestors, nearest first.
    const chain = [folder, ...store.ancestorFolders(folder).reverse()];
    const shared: S["folder_role_assignment"][] = [];
    for (const f of chain) {
        const byPrincipal = new Map<string, S["folder_role_assignment"]>();
        for (const a of store.assignmentsOnFolder(f.externalId)) {
            if (a.principalType === "provisioningKey" || a.scopeId !== folder.productEnvironmentId) continue;
            const role = store.role(a.roleId);
            if (!role) continue;
            const key = `${a.principalType}|${a.principalId}`;
            let entry = byPrincipal.get(key);
            if (!entry) byPrincipal.set(key, (entry = { type: a.principalType, id: a.principalId, folder_id: f.externalId, roles: [] }));
            entry.roles.push({ id: role.id, name: role.name, description: role.description ?? "", inherited: f !== folder });
        }
        const entries = [...byPrincipal.values()].sort((x, y) => x.type.localeCompare(y.type) || x.id.localeCompare(y.id));
        for (const e of entries) e.roles.sort((x, y) => x.id.localeCompare(y.id));
        shared.push(...entries);
    }
    const body: S["folder_roles_response"] = { shared_with: shared };
    if (query.permitted_roles === true) {
        body.permitted_roles = store
            .allRoles()
            .filter((r) => r.permissionType === "content" && r.policyParameters.includes("folder_id"))
            .map((r) => ({ id: r.id, name: r.name, description: r.description ?? "" }));
    }
    return { status: 200, body };
}

function assignFolderRoles(ctx: RouteContext): RouteResult {
    const { store } = ctx;
    const folder = requireFolderById(ctx, ctx.params.folder_id);
    const body = ctx.body as S["assign_folder_roles_request"];
    for (const roleId of body.roles) {
        const role = store.role(roleId);
        if (!role) throw E.notFound(`Role ${roleId} not found`);
        if (role.permissionType !== "content" || !role.policyParameters.includes("folder_id")) {
            throw E.invalid(`Role ${roleId} is not a folder role`);
        }
    }
    // The same rules and the same store as the Permissions API: a folder role in this product environment on this folder.
    const checked = body.roles.map((roleId) =>
        store.checkAssignment(
            { roleId, principalType: body.principal.type, principalId: body.principal.id, scopeId: folder.productEnvironmentId, policyParameters: { folder_id: folder.externalId } },
            body.operation === "remove",
        ),
    );
    if (body.operation === "add") store.addAssignments(checked);
    else store.removeAssignments(checked);
    return { status: 200, body: { success: true } };
}

export function adminRoutes(): RouteDef[] {
    const route = (method: RouteDef["method"], path: string, write: boolean, handler: RouteDef["handler"], url?: string): RouteDef => ({
        spec: "admin",
        family: "admin",
        method,
        specPath: `${BASE}${path}`,
        ...(url ? { url } : {}),
        auth: "admin",
        write,
        handler,
    });
    // {folder} is a whole path (a/b/c), so these routes use a wildcard.
    const FOLDER_URL = "/v1_1/:cloud_name/folders/*";
    return [
        route("GET", "/folders", false, (ctx) => ({ status: 200, body: listOf(ctx.store.childFolders(pe(ctx).id, "")) })),
        route("GET", "/folders/{folder}", false, (ctx) => {
            const path = folderPathOf(ctx);
            const folder = ctx.store.folderByPath(pe(ctx).id, path);
            if (!folder) throw E.notFound(`Can't find folder with path ${path}`);
            return { status: 200, body: listOf(ctx.store.childFolders(pe(ctx).id, path)) };
        }, FOLDER_URL),
        route("POST", "/folders/{folder}", true, (ctx) => {
            const path = folderPathOf(ctx);
            if (ctx.store.folderByPath(pe(ctx).id, path)) throw E.conflict(`Folder ${path} already exists`);
            const created = ctx.store.createFolder(pe(ctx).id, path);
            return { status: 200, body: { success: true, ...folderData(created[created.length - 1]) } };
        }, FOLDER_URL),
        route("DELETE", "/folders/{folder}", true, (ctx) => {
            const path = folderPathOf(ctx);
            const folder = ctx.store.folderByPath(pe(ctx).id, path);
            if (!folder) throw E.notFound(`Can't find folder with path ${path}`);
            const deleted = ctx.store.deleteFolder(folder);
            return { status: 200, body: { deleted } };
        }, FOLDER_URL),
        route("PUT", "/folders/by_id", false, (ctx) => {
            const b = ctx.body as S["folder_by_id_request"];
            return { status: 200, body: folderDetail(ctx.store, requireFolderById(ctx, b.id)) };
        }),
        route("PUT", "/folders/by_path", false, (ctx) => {
            const b = ctx.body as S["folder_by_path_request"];
            const path = b.path.replace(/^\/+|\/+$/g, "");
            if (path === "") {
                // The spec: an empty path names the root folder, which has no id of its own.
                return { status: 200, body: { name: "", path: "", external_id: "", resource_count: 0, total_bytes: 0, last_uploaded_at: null, ancestors: [] } };
            }
            const folder = ctx.store.folderByPath(pe(ctx).id, path, b.case_sensitive !== false);
            if (!folder) throw E.notFound(`Can't find folder with path ${b.path}`);
            return { status: 200, body: folderDetail(ctx.store, folder) };
        }),
        route("PUT", "/folders/descendants", false, (ctx) => {
            const b = ctx.body as S["folder_descendants_request"];
            const folder = requireFolderById(ctx, b.id);
            let list = ctx.store.descendantFolders(folder);
            if (b.inclusive) list = [folder, ...list];
            if (b.filter_ids) list = list.filter((f) => b.filter_ids!.includes(f.externalId));
            return { status: 200, body: { folders: list.map((f) => folderDetail(ctx.store, f)) } };
        }),
        route("GET", "/folder_operations/invite/{folder_id}", false, folderRoles),
        route("POST", "/folder_operations/invite/{folder_id}", true, assignFolderRoles),
    ];
}

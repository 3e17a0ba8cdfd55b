// Client of Cloudinary's Admin API for one product environment (/v1_1/{cloud_name}), typed from asset-management.yml.
// Only the folder operations this project needs: folder lookups and folder roles (folder_operations/invite).
import type { components } from "../../wire/admin";
import { HttpClient } from "./http";

type Schemas = components["schemas"];
export type FolderPrincipalType = Schemas["principal_type"];
export type FolderRoleAssignment = Schemas["folder_role_assignment"];
export type Folder = Schemas["folder_detail_response"];

/** The invite endpoint takes at most this many roles per request (maxItems in the spec). */
export const MAX_ROLES_PER_INVITE = 10;

export class AdminApi {
    constructor(private readonly http: HttpClient, readonly cloudName: string) {}

    private path(rest: string): string {
        return `/v1_1/${encodeURIComponent(this.cloudName)}/${rest}`;
    }

    /** Principals with roles on the folder, including roles inherited from ancestor folders. */
    async getFolderRoles(folderId: string): Promise<FolderRoleAssignment[]> {
        const body = await this.http.get<Schemas["folder_roles_response"]>(this.path(`folder_operations/invite/${encodeURIComponent(folderId)}`));
        return body.shared_with ?? [];
    }

    async changeFolderRoles(folderId: string, principal: { type: FolderPrincipalType; id: string }, operation: "add" | "remove", roles: string[]): Promise<void> {
        for (let i = 0; i < roles.length; i += MAX_ROLES_PER_INVITE) {
            const request: Schemas["assign_folder_roles_request"] = { principal, operation, roles: roles.slice(i, i + MAX_ROLES_PER_INVITE) };
            await this.http.post<Schemas["success_response"]>(this.path(`folder_operations/invite/${encodeURIComponent(folderId)}`), request);
        }
    }

    /** The root folders: the cheapest authenticated read of the Admin API, used to check its credentials. */
    async listRootFolders(): Promise<Schemas["folders_list_response"]["folders"]> {
        const body = await this.http.get<Schemas["folders_list_response"]>(this.path("folders"));
        return body.folders ?? [];
    }

    getFolderById(folderId: string): Promise<Folder> {
        const request: Schemas["folder_by_id_request"] = { id: folderId };
        return this.http.put<Folder>(this.path("folders/by_id"), request);
    }

    /** The folder at a path, matched as written (case-sensitively). */
    getFolderByPath(path: string): Promise<Folder> {
        const request: Schemas["folder_by_path_request"] = { path, case_sensitive: true };
        return this.http.put<Folder>(this.path("folders/by_path"), request);
    }

    /** Every folder below a folder, each with its ancestors; `inclusive`: the folder itself first. */
    async getFolderDescendants(folderId: string, inclusive = false): Promise<Folder[]> {
        const request: Schemas["folder_descendants_request"] = { id: folderId, inclusive };
        return (await this.http.put<Schemas["folder_descendants_response"]>(this.path("folders/descendants"), request)).folders ?? [];
    }

    /** The folders directly inside a path ("" for the root folders), following next_cursor over every page. */
    async listSubfolders(path: string): Promise<Schemas["folder"][]> {
        const url = this.path(path ? `folders/${path.split("/").map(encodeURIComponent).join("/")}` : "folders");
        const folders: Schemas["folder"][] = [];
        let cursor: string | undefined;
        do {
            const body = await this.http.get<Schemas["folders_list_response"]>(url, cursor ? { next_cursor: cursor } : undefined);
            folders.push(...(body.folders ?? []));
            cursor = body.next_cursor || undefined;
        } while (cursor);
        return folders;
    }
}

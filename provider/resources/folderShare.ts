// FolderShare: the folder roles one principal holds on one folder, through the Admin API of the folder's
// product environment (folder_operations/invite/{folder_id}). Roles are a set: the declared list is
// authoritative for this principal on this folder (roles inherited from parent folders are not touched).
// id = "cloudName|folderId|principalType|principalId". Changing any input but roles (and adopt) replaces it.
import type { ProviderContext } from "../context";
import type { Freshness } from "../context/directory";
import { defineResource, IdCodec, Operations } from "../dynamic/define";
import { partialCreate } from "../dynamic/errors";
import { Args, Instance, resourceClass } from "../dynamic/program";
import { sameSet, setChanges, sorted } from "../dynamic/sets";
import type { FolderPrincipalType, FolderShareInputs } from "../generated/inputs";
import { declaredGrant } from "../validation/effectFacts";
import { folderShareFailures } from "../validation/folderShare";

type Share = Pick<FolderShareInputs, "cloudName" | "folderId" | "principalType" | "principalId">;

export function folderShareId(share: Share): string {
    return [share.cloudName, share.folderId, share.principalType, share.principalId].join("|");
}

export function parseFolderShareId(id: string): Share {
    const parts = id.split("|");
    if (parts.length !== 4 || parts.some((p) => !p)) throw new Error(`'${id}' is not a FolderShare id; expected cloudName|folderId|principalType|principalId`);
    const [cloudName, folderId, principalType, principalId] = parts;
    return { cloudName, folderId, principalType: principalType as FolderPrincipalType, principalId };
}

const codec: IdCodec<FolderShareInputs> = { format: folderShareId, parse: parseFolderShareId };

function shareOf(props: Partial<FolderShareInputs>): Share {
    const { cloudName, folderId, principalType, principalId } = props as FolderShareInputs;
    return { cloudName, folderId, principalType, principalId };
}

function operations(ctx: ProviderContext): Operations<FolderShareInputs, FolderShareInputs> {
    /** The roles assigned to the principal on this very folder (not inherited). */
    async function directRoles(share: Share, freshness: Freshness): Promise<string[]> {
        const holders = await ctx.directory.folders(share.cloudName).rolesOn(share.folderId, freshness, freshness === "read" ? folderShareId(share) : undefined);
        return holders
            .filter((h) => h.principalType === share.principalType && h.principalId === share.principalId && h.folderId === share.folderId)
            .flatMap((h) => h.roles.filter((r) => !r.inherited).map((r) => r.roleId));
    }

    const change = (share: Share, operation: "add" | "remove", roles: string[]) => ctx.directory.folders(share.cloudName).changeFolderRoles(share.folderId, share, operation, roles);

    return {
        async create(declared) {
            const share = shareOf(declared);
            const id = folderShareId(share);
            // What the run knows may answer "none yet" (adding is idempotent); roles found decide what happens, so they are read again.
            const known = await directRoles(share, "known");
            const current = known.length ? await directRoles(share, "fresh") : known;
            if (current.length && !sameSet(current, declared.roles) && !declared.adopt) {
                throw new Error(
                    `FolderShare ${id}: the principal already holds ${current.join(", ")} on this folder, which differs from the declared roles. ` +
                        `Set adopt: true to take these roles over and converge them, or revoke them first.`,
                );
            }
            if (current.length && sameSet(current, declared.roles) && !declared.adopt) {
                ctx.warn(`FolderShare ${id}: the principal already held exactly these roles; they are now managed by this stack`);
            }
            const { added, removed } = setChanges(current, declared.roles);
            await change(share, "add", added);
            // Once roles were added the share exists: a later failure must still land it in state.
            await partialCreate(id, { ...share, roles: sorted([...current, ...added]), adopt: declared.adopt }, () => change(share, "remove", removed));
            return { ...share, roles: sorted(declared.roles), adopt: declared.adopt };
        },
        async read(_id, known) {
            const share = shareOf(known);
            const roles = await directRoles(share, "read");
            return roles.length ? { ...share, roles: sorted(roles), adopt: known.adopt } : undefined;
        },
        async update(_id, olds, news) {
            const share = shareOf(news);
            const { added, removed } = setChanges(olds.roles, news.roles);
            await change(share, "add", added);
            await change(share, "remove", removed);
            return { ...share, roles: sorted(news.roles), adopt: news.adopt };
        },
        // A 404 means the folder is gone, and its shares with it.
        delete: (_id, props) => change(shareOf(props), "remove", props.roles ?? []),
    };
}

export const folderShare = defineResource<FolderShareInputs, FolderShareInputs>({
    kind: "FolderShare",
    id: codec,
    rules: folderShareFailures,
    productEnvironmentOf: (inputs) => inputs.cloudName,
    claims: ({ cloudName, folderId, principalType, principalId, roles }) => ({
        unique: [{ what: "folder and principal", parts: [cloudName, folderId, principalType, principalId] }],
        folderRoles: { principalType, principalId, folderId },
        grants: [{ principalType, principalId, roles: Array.isArray(roles) ? roles : [] }],
    }),
    operations,
    // Its grants are folder roles in the product environment of cloudName.
    warnings: ({ cloudName, folderId, principalType, principalId, roles }, unknown) => {
        const share = { principalType, principalId, ...(folderId !== undefined ? { policyParameters: { folderId } } : {}) };
        const marked = [...unknown].map((k) => (k === "folderId" ? "policyParameters" : k));
        const grants = roles ? roles.map((roleId) => declaredGrant({ ...share, roleId }, marked)) : [declaredGrant(share, [...marked, "roleId"])];
        return cloudName !== undefined ? { grants, cloudName } : { grants: grants.map((g) => declaredGrant(g, [...(g.unknown ?? []), "scopeId"])) };
    },
});

/** The folder roles one principal holds on one folder. */
export const FolderShare = resourceClass(folderShare);
export type FolderShare = Instance<FolderShareInputs>;
export type FolderShareArgs = Args<FolderShareInputs>;
export type FolderShareOutputs = FolderShareInputs;

// FolderShare: the folder roles one principal holds on one folder, through the Admin API of the folder's
// product environment (folder_operations/invite/{folder_id}). Roles are a set: the declared list is
// authoritative for this principal on this folder (roles inherited from parent folders are not touched).
//
// Inputs: cloudName, folderId (the folder's external id), principalType (user | group | apiKey), principalId,
// roles (folder role ids, system or custom), adopt.
// id = "cloudName|folderId|principalType|principalId". Changing any input but roles (and adopt) replaces it.
import * as pulumi from "@pulumi/pulumi";
import { FolderPrincipalType } from "../api/admin";
import { CloudinaryApiError } from "../api/errors";
import { missingProductEnvironment } from "../api/clients";
import { ProviderContext } from "../context";
import { claimFolderRoles, claimUnique } from "../dynamic/declarations";
import { diffFields, FieldRule } from "../dynamic/diff";
import { partialCreate } from "../dynamic/errors";
import { changedSince, checkInputs, Props, ResourceHandler, RuleContext } from "../dynamic/handler";
import { sameSet, setChanges, sorted } from "../dynamic/sets";
import { delegatingProvider } from "../dynamic/shim";
import { registeredProps } from "../dynamic/resource";
import { principalFailures } from "../validation/principals";
import { Failure } from "../validation/schema";
import { didYouMean } from "../validation/suggest";

// ---- inputs --------------------------------------------------------------------------------------------

export interface FolderShareArgs {
    cloudName: pulumi.Input<string>;
    /** The folder's external id (immutable), as returned by the Admin API's folder listings. */
    folderId: pulumi.Input<string>;
    principalType: pulumi.Input<FolderPrincipalType>;
    /** A user id, a group id, or the API key itself. */
    principalId: pulumi.Input<string>;
    /** Folder role ids such as cld::role::folder::viewer, or custom folder roles. */
    roles: pulumi.Input<pulumi.Input<string>[]>;
    /** Take over roles the principal already holds on the folder and converge them to `roles`. */
    adopt?: pulumi.Input<boolean>;
}

export interface FolderShareInputs {
    cloudName: string;
    folderId: string;
    principalType: FolderPrincipalType;
    principalId: string;
    roles: string[];
    adopt?: boolean;
}

type Share = Omit<FolderShareInputs, "roles" | "adopt">;

// ---- validation ----------------------------------------------------------------------------------------

async function rules(ctx: ProviderContext, inputs: FolderShareInputs, { unknown, olds }: RuleContext<FolderShareInputs>): Promise<Failure[]> {
    if (unknown.has("cloudName")) return [];
    if (!ctx.hasProductEnvironment(inputs.cloudName)) {
        return [{ property: "cloudName", reason: missingProductEnvironment(inputs.cloudName, Object.keys(ctx.settings.productEnvironments)) }];
    }
    const failures: Failure[] = [];
    if (!unknown.has("principalType") && !unknown.has("principalId") && changedSince(olds, inputs, ["principalType", "principalId"])) {
        failures.push(...(await principalFailures(ctx, inputs.principalType, inputs.principalId)));
    }
    if (!unknown.has("roles") && changedSince(olds, inputs, ["roles"])) failures.push(...(await roleFailures(ctx, inputs.roles)));
    if (!unknown.has("folderId") && changedSince(olds, inputs, ["cloudName", "folderId"])) {
        const exists = await ctx.lookups.folderExists(inputs.cloudName, inputs.folderId);
        if (!exists) failures.push({ property: "folderId", reason: `no folder with external id '${inputs.folderId}' in product environment '${inputs.cloudName}'; use the folder's external_id from the Admin API (GET /folders)` });
    }
    return failures;
}

async function roleFailures(ctx: ProviderContext, roles: string[]): Promise<Failure[]> {
    const failures: Failure[] = [];
    const catalog = await ctx.lookups.catalog.get();
    const folderRoles = [...catalog.roles.values()].filter((r) => r.policyParameters.includes("folder_id")).map((r) => r.id);
    for (const [i, roleId] of roles.entries()) {
        const at = `roles[${i}] '${roleId}'`;
        // Custom roles are looked up with the account credentials; without them only system roles can be checked.
        const role = catalog.roles.get(roleId) ?? (ctx.settings.account ? await ctx.lookups.role(roleId) : undefined);
        if (!role) {
            if (roleId.startsWith("cld::")) failures.push({ property: "roles", reason: `${at} is not a Cloudinary system role${didYouMean(roleId, folderRoles) || `; folder roles are: ${folderRoles.join(", ")}`}` });
        } else if (role.permissionType !== "content" || !role.policyParameters.includes("folder_id")) {
            failures.push({ property: "roles", reason: `${at} is not a folder role (it is a ${role.permissionType} ${role.policyParameters.join("/") || "global"} role); folder shares take folder roles such as ${folderRoles.slice(0, 3).join(", ")}` });
        }
    }
    return failures;
}

// ---- diff ----------------------------------------------------------------------------------------------

const FIELDS: Record<string, FieldRule> = {
    cloudName: { onChange: "replace" },
    folderId: { onChange: "replace" },
    principalType: { onChange: "replace" },
    principalId: { onChange: "replace" },
    roles: { onChange: "update", compare: "set" },
    adopt: { onChange: "state" },
};

// ---- create / read / update / delete -----------------------------------------------------------------

export function folderShareId(share: Share): string {
    return [share.cloudName, share.folderId, share.principalType, share.principalId].join("|");
}

export function parseFolderShareId(id: string): Share {
    const parts = id.split("|");
    if (parts.length !== 4 || parts.some((p) => !p)) {
        throw new Error(`'${id}' is not a FolderShare id; expected cloudName|folderId|principalType|principalId`);
    }
    const [cloudName, folderId, principalType, principalId] = parts;
    return { cloudName, folderId, principalType: principalType as FolderPrincipalType, principalId };
}

function shareOf(props: Props): Share {
    const { cloudName, folderId, principalType, principalId } = props as FolderShareInputs;
    return { cloudName, folderId, principalType, principalId };
}

class FolderShareHandler implements ResourceHandler {
    constructor(private readonly ctx: ProviderContext) {}

    check(olds: Props, news: Props) {
        return checkInputs<FolderShareInputs>("FolderShare", olds, news, (inputs, context) => rules(this.ctx, inputs, context));
    }

    async diff(_id: string, olds: Props, news: Props) {
        return diffFields(olds, news, FIELDS);
    }

    async create(inputs: Props): Promise<pulumi.dynamic.CreateResult> {
        const declared = inputs as FolderShareInputs;
        const share = shareOf(declared);
        const id = folderShareId(share);
        const current = (await this.directRoles(share)) ?? [];
        if (current.length && !sameSet(current, declared.roles)) {
            if (!declared.adopt) {
                throw new Error(
                    `FolderShare ${id}: the principal already holds ${current.join(", ")} on this folder, which differs from the declared roles. ` +
                        `Set adopt: true to take these roles over and converge them, or revoke them first.`,
                );
            }
        } else if (current.length && !declared.adopt) {
            this.ctx.warn(`FolderShare ${id}: the principal already held exactly these roles; they are now managed by this stack`);
        }
        const { added, removed } = setChanges(current, declared.roles);
        const outs = { ...share, roles: sorted(declared.roles), adopt: declared.adopt };
        await this.change(share, "add", added);
        // Once roles were added the share exists: a later failure must still land it in state.
        await partialCreate(id, { ...share, roles: sorted([...current, ...added]), adopt: declared.adopt }, () => this.change(share, "remove", removed));
        return { id, outs };
    }

    async read(id: string, props: Props): Promise<pulumi.dynamic.ReadResult> {
        const share = props.cloudName ? shareOf(props) : parseFolderShareId(id);
        const roles = await this.directRoles(share);
        if (!roles || roles.length === 0) return { id: "" };
        return { id: folderShareId(share), props: { ...share, roles: sorted(roles), adopt: props.adopt } };
    }

    async update(_id: string, olds: Props, news: Props): Promise<pulumi.dynamic.UpdateResult> {
        const share = shareOf(news);
        const { added, removed } = setChanges(olds.roles, news.roles);
        await this.change(share, "add", added);
        await this.change(share, "remove", removed);
        return { outs: { ...share, roles: sorted(news.roles), adopt: news.adopt } };
    }

    async delete(_id: string, props: Props): Promise<void> {
        try {
            await this.change(shareOf(props), "remove", props.roles ?? []);
        } catch (e) {
            if (e instanceof CloudinaryApiError && e.isNotFound) return; // the folder is gone, and its shares with it
            throw e;
        }
    }

    /** The roles assigned to the principal on this very folder (not inherited); undefined when the folder is gone. */
    private async directRoles(share: Share): Promise<string[] | undefined> {
        try {
            const assignments = await this.ctx.admin(share.cloudName).getFolderRoles(share.folderId);
            return assignments
                .filter((a) => a.type === share.principalType && a.id === share.principalId && a.folder_id === share.folderId)
                .flatMap((a) => a.roles.filter((r) => !r.inherited).map((r) => r.id));
        } catch (e) {
            if (e instanceof CloudinaryApiError && e.isNotFound) return undefined;
            throw e;
        }
    }

    private async change(share: Share, operation: "add" | "remove", roles: string[]): Promise<void> {
        if (roles.length === 0) return;
        await this.ctx.admin(share.cloudName).changeFolderRoles(share.folderId, { type: share.principalType, id: share.principalId }, operation, roles);
    }
}

export const folderShareHandler = (ctx: ProviderContext): ResourceHandler => new FolderShareHandler(ctx);

// ---- the resource ----------------------------------------------------------------------------------------

const provider = delegatingProvider("FolderShare");

export class FolderShare extends pulumi.dynamic.Resource {
    declare readonly cloudName: pulumi.Output<string>;
    declare readonly folderId: pulumi.Output<string>;
    declare readonly principalType: pulumi.Output<FolderPrincipalType>;
    declare readonly principalId: pulumi.Output<string>;
    declare readonly roles: pulumi.Output<string[]>;

    constructor(name: string, args: FolderShareArgs, opts?: pulumi.CustomResourceOptions) {
        if (!opts?.id) {
            claimUnique("FolderShare", "folder and principal", [args.cloudName, args.folderId, args.principalType, args.principalId], name);
            claimFolderRoles("FolderShare", args.principalType, args.principalId, args.folderId, name);
        }
        super(provider, name, registeredProps(["cloudName", "folderId", "principalType", "principalId", "roles"], args), opts, "cloudinary", "FolderShare");
    }

    /** Reads an existing folder share; `id` is "cloudName|folderId|principalType|principalId". */
    static get(name: string, id: pulumi.Input<string>, opts?: pulumi.CustomResourceOptions): FolderShare {
        return new FolderShare(name, {} as FolderShareArgs, { ...opts, id });
    }
}

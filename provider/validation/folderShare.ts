// FolderShare's rules: the product environment's Admin API is configured, and each role is a folder role. (The
// principal and the folder were found when their names or ids were resolved: see names.ts.)
import { missingProductEnvironment } from "../api/clients";
import type { Role } from "../api/domain";
import type { ProviderContext } from "../context";
import type { FolderShareInputs } from "../generated/inputs";
import { changedSince, RuleContext } from "./rules";
import { Failure } from "./schema";
import { didYouMean } from "./suggest";

export async function folderShareFailures(ctx: ProviderContext, inputs: FolderShareInputs, { unknown, olds }: RuleContext<FolderShareInputs>): Promise<Failure[]> {
    if (unknown.has("cloudName")) return [];
    if (!ctx.hasProductEnvironment(inputs.cloudName)) {
        return [{ property: "cloudName", reason: missingProductEnvironment(inputs.cloudName, Object.keys(ctx.settings.productEnvironments)) }];
    }
    return !unknown.has("roles") && changedSince(olds, inputs, ["roles"]) ? folderRoleFailures(ctx, inputs.roles) : [];
}

async function folderRoleFailures(ctx: ProviderContext, roles: string[]): Promise<Failure[]> {
    const catalog = await ctx.directory.catalog();
    const folderRoles = [...catalog.roles.values()].filter(isFolderRole).map((r) => r.id);
    // Custom roles are looked up with the account credentials; without them only system roles can be checked.
    const found = await Promise.all(roles.map((roleId) => catalog.roles.get(roleId) ?? (ctx.settings.account ? ctx.directory.role(roleId) : undefined)));
    return roles.flatMap((roleId, i): Failure[] => {
        const at = `roles[${i}] '${roleId}'`;
        const role = found[i];
        if (!role) {
            return roleId.startsWith("cld::") ? [{ property: "roles", reason: `${at} is not a Cloudinary system role${didYouMean(roleId, folderRoles) || `; folder roles are: ${folderRoles.join(", ")}`}` }] : [];
        }
        if (isFolderRole(role)) return [];
        const what = `${role.permissionType} ${role.contentType ?? "global"}`;
        return [{ property: "roles", reason: `${at} is not a folder role (it is a ${what} role); folder shares take folder roles such as ${folderRoles.slice(0, 3).join(", ")}` }];
    });
}

function isFolderRole(role: Role): boolean {
    return role.permissionType === "content" && role.contentType === "folder";
}

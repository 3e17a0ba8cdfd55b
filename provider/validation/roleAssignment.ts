// RoleAssignment's rules: the role, the principal, the scope and the folder exist, and the grant fits
// Cloudinary's assignment rules for the role's scope and permission types.
import type { Role } from "../api/domain";
import type { ProviderContext } from "../context";
import type { RoleAssignmentInputs } from "../generated/inputs";
import { principalFailures } from "./principals";
import { changedSince, RuleContext } from "./rules";
import { Failure } from "./schema";
import { didYouMean } from "./suggest";

export async function roleAssignmentFailures(ctx: ProviderContext, inputs: RoleAssignmentInputs, { unknown, olds }: RuleContext<RoleAssignmentInputs>): Promise<Failure[]> {
    const failures: Failure[] = [];
    if (!unknown.has("scopeId") && inputs.scopeId && inputs.scopeId !== "all" && changedSince(olds, inputs, ["scopeId"])) {
        failures.push(...(await scopeFailures(ctx, inputs.scopeId)));
    }
    if (!unknown.has("principalType") && !unknown.has("principalId") && changedSince(olds, inputs, ["principalType", "principalId"])) {
        failures.push(...(await principalFailures(ctx, inputs.principalType, inputs.principalId)));
    }
    const folderId = inputs.policyParameters && "folderId" in inputs.policyParameters ? inputs.policyParameters.folderId : undefined;
    if (!unknown.has("scopeId") && !unknown.has("policyParameters") && folderId && changedSince(olds, inputs, ["scopeId", "policyParameters"])) {
        failures.push(...(await folderFailures(ctx, inputs.scopeId, folderId)));
    }
    const watched: (keyof RoleAssignmentInputs)[] = ["roleId", "principalType", "scopeId", "policyParameters"];
    if (unknown.has("roleId") || !changedSince(olds, inputs, watched)) return failures;
    const role = await ctx.lookups.role(inputs.roleId);
    if (!role) {
        const { roles } = await ctx.lookups.catalog.get();
        const reason = inputs.roleId.startsWith("cld::")
            ? `'${inputs.roleId}' is not a Cloudinary system role${didYouMean(inputs.roleId, roles.keys())}`
            : `no role '${inputs.roleId}' exists in the account. For a CustomRole declared in this program, pass its roleId output (role.roleId), so that the grant waits for the role`;
        return failures.concat({ property: "roleId", reason });
    }
    return failures.concat(grantFailures(role, inputs, unknown));
}

/** A folder named in policyParameters must exist, when the product environment's Admin API is configured. */
async function folderFailures(ctx: ProviderContext, scopeId: string | undefined, folderId: string): Promise<Failure[]> {
    const environment = scopeId ? await ctx.lookups.productEnvironment(scopeId) : undefined;
    const cloudName = environment?.cloudName;
    if (!cloudName || !ctx.hasProductEnvironment(cloudName) || (await ctx.lookups.folderExists(cloudName, folderId))) return [];
    return [{ property: "policyParameters", reason: `policyParameters.folderId: no folder with external id '${folderId}' in product environment '${cloudName}'; use the folder's external_id from the Admin API (GET /folders)` }];
}

async function scopeFailures(ctx: ProviderContext, scopeId: string): Promise<Failure[]> {
    if (await ctx.lookups.productEnvironment(scopeId)) return [];
    const environments = [...(await ctx.lookups.productEnvironments.get()).values()];
    const byCloudName = environments.find((pe) => pe.cloudName === scopeId);
    const hint = byCloudName
        ? `; '${scopeId}' is a cloud name, its product environment id is '${byCloudName.id}'`
        : didYouMean(scopeId, environments.map((pe) => pe.id));
    const known = environments.map((pe) => `${pe.cloudName}: ${pe.id}`).join(", ");
    return [{ property: "scopeId", reason: `'${scopeId}' is not a product environment of this account${hint}. Known: ${known}, or 'all'` }];
}

/** Cloudinary's assignment rules for the role's scope and permission types (also checked for roles of a permissions.yaml). */
export function grantFailures(role: Pick<Role, "id" | "permissionType" | "scopeType" | "contentType">, inputs: RoleAssignmentInputs, unknown: ReadonlySet<string>): Failure[] {
    const label = `role '${role.id}'`;
    const failures: Failure[] = [];
    if (inputs.principalType === "provisioningKey" && role.scopeType === "prodenv" && !unknown.has("principalType")) {
        failures.push({ property: "principalType", reason: `${label} applies in product environments, and provisioning keys hold account-level roles only; grant it to a user, a group or an API key` });
    }
    if (!unknown.has("scopeId")) failures.push(...scopeRuleFailures(role, label, inputs.scopeId));
    if (!unknown.has("policyParameters")) failures.push(...parameterFailures(role, label, inputs, unknown));
    return failures;
}

function scopeRuleFailures(role: Pick<Role, "permissionType" | "scopeType">, label: string, scopeId: string | undefined): Failure[] {
    if (role.scopeType === "prodenv" && !scopeId) {
        return [{ property: "scopeId", reason: `is required: ${label} applies in product environments; set scopeId to a product environment id${role.permissionType === "global" ? " or 'all'" : ""}` }];
    }
    if (role.scopeType === "account" && scopeId) return [{ property: "scopeId", reason: `must not be set: ${label} is an account-level role; remove scopeId` }];
    if (role.permissionType === "content" && scopeId === "all") {
        return [{ property: "scopeId", reason: `${label} is a content role, which applies inside one product environment; set scopeId to that product environment's id, not 'all'` }];
    }
    return [];
}

function parameterFailures(role: Pick<Role, "permissionType" | "contentType">, label: string, inputs: RoleAssignmentInputs, unknown: ReadonlySet<string>): Failure[] {
    const given = inputs.policyParameters ? Object.keys(inputs.policyParameters)[0] : undefined;
    if (role.permissionType !== "content") {
        return given ? [{ property: "policyParameters", reason: `must not be set: ${label} is a global role; remove policyParameters` }] : [];
    }
    const wanted = role.contentType === "collection" ? "collectionId" : "folderId";
    const noun = wanted === "folderId" ? "folder" : "collection";
    const failures: Failure[] = [];
    if (!given) {
        failures.push({ property: "policyParameters", reason: `is required: ${label} is a content role; set policyParameters: { ${wanted}: "..." } to say which ${noun} it applies to` });
    } else if (given !== wanted) {
        failures.push({ property: "policyParameters", reason: `${label} applies to ${noun}s; use { ${wanted}: "..." } instead of ${given}` });
    }
    if (wanted === "collectionId" && inputs.principalType === "apiKey" && !unknown.has("principalType")) {
        failures.push({ property: "principalType", reason: `${label} is a collection role, and collection roles can be given to users and groups only, not to API keys` });
    }
    return failures;
}

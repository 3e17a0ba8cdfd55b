// RoleAssignment's rules: the role exists, and the grant fits Cloudinary's assignment rules for the role's scope
// and permission types. (The principal, the product environment and the folder were found when their names or
// ids were resolved: see names.ts.)
import type { Role } from "../api/domain";
import type { ProviderContext } from "../context";
import type { RoleAssignmentInputs } from "../generated/inputs";
import { changedSince, RuleContext } from "./rules";
import { Failure } from "./schema";
import { didYouMean } from "./suggest";

export async function roleAssignmentFailures(ctx: ProviderContext, inputs: RoleAssignmentInputs, { unknown, olds }: RuleContext<RoleAssignmentInputs>): Promise<Failure[]> {
    const watched: (keyof RoleAssignmentInputs)[] = ["roleId", "principalType", "scopeId", "policyParameters"];
    if (unknown.has("roleId") || !changedSince(olds, inputs, watched)) return [];
    const role = await ctx.directory.role(inputs.roleId);
    if (!role) {
        const { roles } = await ctx.directory.catalog();
        const reason = inputs.roleId.startsWith("cld::")
            ? `'${inputs.roleId}' is not a Cloudinary system role${didYouMean(inputs.roleId, roles.keys())}`
            : `no role '${inputs.roleId}' exists in the account. For a CustomRole declared in this program, pass its roleId output (role.roleId), so that the grant waits for the role`;
        return [{ property: "roleId", reason }];
    }
    return grantFailures(role, inputs, unknown);
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

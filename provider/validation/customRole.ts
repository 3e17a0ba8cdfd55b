// CustomRole's rules: each system policy exists and fits the role's permission and scope type.
import type { ProviderContext } from "../context";
import type { CustomRoleInputs } from "../generated/inputs";
import { changedSince, RuleContext } from "./rules";
import { Failure } from "./schema";
import { didYouMean } from "./suggest";

export async function customRoleFailures(ctx: ProviderContext, inputs: CustomRoleInputs, { unknown, olds }: RuleContext<CustomRoleInputs>): Promise<Failure[]> {
    const watched: (keyof CustomRoleInputs)[] = ["systemPolicyIds", "permissionType", "scopeType"];
    if (watched.some((k) => unknown.has(k)) || !changedSince(olds, inputs, watched)) return [];
    const found = await Promise.all(inputs.systemPolicyIds.map((id) => ctx.directory.systemPolicy(id)));
    const { policies } = await ctx.directory.catalog();
    const fitting = [...policies.values()].filter((p) => p.permissionType === inputs.permissionType && p.scopeType === inputs.scopeType);
    return inputs.systemPolicyIds.flatMap((id, i): Failure[] => {
        const at = `systemPolicyIds[${i}] '${id}'`;
        const policy = found[i];
        const failure = (reason: string) => [{ property: "systemPolicyIds", reason: `${at} ${reason}` }];
        if (!policy) {
            const hint = didYouMean(id, fitting.map((p) => p.id)) || didYouMean(id, policies.keys());
            return failure(`is not a Cloudinary system policy${hint || "; list them with GET /permissions/policies/system"}`);
        }
        if (policy.permissionType !== inputs.permissionType) {
            return failure(`is a ${policy.permissionType} policy and cannot be part of a ${inputs.permissionType} role; remove it or use permissionType: "${policy.permissionType}"`);
        }
        if (policy.scopeType !== inputs.scopeType) {
            return failure(`applies at the ${policy.scopeType} level and cannot be part of a ${inputs.scopeType}-scoped role; remove it or use scopeType: "${policy.scopeType}"`);
        }
        if (policy.contentType === "collection") {
            return failure(`is a collection policy, and Cloudinary has no custom collection roles; custom content roles hold folder policies only`);
        }
        return [];
    });
}

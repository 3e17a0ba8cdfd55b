// RolePrincipals' rules: the role exists, each declared holder follows RoleAssignment's rules, and dropping a
// holder does not lock the account out.
import type { Grant } from "../api/domain";
import type { ProviderContext } from "../context";
import type { RolePrincipalsInputs } from "../generated/inputs";
import { droppedGrantFailures, grantListFailures } from "./authoritative";
import { RuleContext } from "./rules";
import { Failure } from "./schema";

export function roleGrants(inputs: Partial<RolePrincipalsInputs>): Grant[] {
    return (inputs.principals ?? []).map((p) => ({ ...p, roleId: inputs.roleId as string }));
}

export async function rolePrincipalsFailures(ctx: ProviderContext, inputs: RolePrincipalsInputs, { unknown, olds }: RuleContext<RolePrincipalsInputs>): Promise<Failure[]> {
    if (unknown.has("roleId") || unknown.has("principals")) return [];
    const previous = olds?.principals && olds.roleId === inputs.roleId ? roleGrants(olds) : undefined;
    const failures = await grantListFailures(ctx, "principals", roleGrants(inputs), previous, {});
    // A missing role is reported once, under roleId.
    const missingRole = failures.find((f) => / roleId /.test(f.reason));
    if (missingRole) return [{ property: "roleId", reason: missingRole.reason.replace(/^principals\[\d+\] \([^)]*\): roleId /, "") }];
    return failures.concat(await droppedGrantFailures(ctx, "principals", roleGrants(inputs), previous, inputs.allowLockout));
}

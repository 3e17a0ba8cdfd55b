// PrincipalRoles' rules: each declared grant follows RoleAssignment's rules, and dropping
// a grant does not lock the account out.
import type { Grant } from "../api/domain";
import type { ProviderContext } from "../context";
import type { PrincipalRolesInputs } from "../generated/inputs";
import { droppedGrantFailures, grantListFailures } from "./authoritative";
import { RuleContext } from "./rules";
import { Failure } from "./schema";

export function principalGrants(inputs: Partial<PrincipalRolesInputs>): Grant[] {
    const { principalType, principalId } = inputs as PrincipalRolesInputs;
    return (inputs.roles ?? []).map((r) => ({ ...r, principalType, principalId }));
}

export async function principalRolesFailures(ctx: ProviderContext, inputs: PrincipalRolesInputs, { unknown, olds }: RuleContext<PrincipalRolesInputs>): Promise<Failure[]> {
    if (unknown.has("principalType") || unknown.has("principalId")) return [];
    const failures: Failure[] = [];
    if (unknown.has("roles")) return failures;
    const same = { principalType: inputs.principalType, principalId: inputs.principalId };
    const previous = olds?.roles ? principalGrants({ ...olds, ...same }) : undefined;
    failures.push(...(await grantListFailures(ctx, "roles", principalGrants(inputs), previous, same)));
    return failures.concat(await droppedGrantFailures(ctx, "roles", principalGrants(inputs), previous, inputs.allowLockout));
}

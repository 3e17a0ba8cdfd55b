// The exclusive guard's rules: a folder share's product environment, named by cloud name, must be one of the
// account's (its grants live under that environment's id), and the guard must not run twice in one program.
import type { ProviderContext } from "../context";
import type { AccountGrantsInputs } from "../generated/inputs";
import { changedSince, RuleContext } from "./rules";
import { Failure } from "./schema";

export async function accountGrantsFailures(ctx: ProviderContext, inputs: AccountGrantsInputs, { unknown, olds }: RuleContext<AccountGrantsInputs>): Promise<Failure[]> {
    if (unknown.has("declared") || !changedSince(olds, inputs, ["declared"])) return [];
    const cloudNames = new Set(inputs.declared.flatMap((g) => (g.cloudName ? [g.cloudName] : [])));
    if (cloudNames.size === 0) return [];
    const known = new Set([...(await ctx.directory.productEnvironments()).values()].map((pe) => pe.cloudName));
    return [...cloudNames].filter((c) => !known.has(c)).map((c) => ({ property: "declared", reason: `cloudName '${c}' is not a product environment of this account; use one of ${[...known].join(", ")}` }));
}

// Group's rules: every member is a user of the account.
import type { ProviderContext } from "../context";
import type { GroupInputs } from "../generated/inputs";
import { changedSince, RuleContext } from "./rules";
import { Failure } from "./schema";
import { didYouMean } from "./suggest";

export async function groupFailures(ctx: ProviderContext, inputs: GroupInputs, { unknown, olds }: RuleContext<GroupInputs>): Promise<Failure[]> {
    if (!inputs.memberIds || unknown.has("memberIds") || !changedSince(olds, inputs, ["memberIds"])) return [];
    const memberIds = inputs.memberIds;
    const found = await Promise.all(memberIds.map((id) => ctx.lookups.user(id)));
    const missing = memberIds.flatMap((id, i) => (found[i] ? [] : [{ id, i }]));
    if (missing.length === 0) return [];
    const known = [...(await ctx.lookups.users.get()).keys()];
    return missing.map(({ id, i }) => ({ property: "memberIds", reason: `memberIds[${i}] '${id}' is not a user of this account${didYouMean(id, known)}` }));
}

// ProductEnvironmentAccess's rules: `all` stands alone, and the user is not a master admin (Cloudinary ignores a
// master admin's sub_account_ids: the declaration could never hold). The user and the product environments were
// found when their ids, email or cloud names were resolved (names.ts).
import type { ProviderContext } from "../context";
import type { ProductEnvironmentAccessInputs } from "../generated/inputs";
import { changedSince, RuleContext } from "./rules";
import { Failure } from "./schema";

export const ALL = "all";

export async function productEnvironmentAccessFailures(ctx: ProviderContext, inputs: ProductEnvironmentAccessInputs, { unknown, olds }: RuleContext<ProductEnvironmentAccessInputs>): Promise<Failure[]> {
    const failures: Failure[] = [];
    const environments = inputs.productEnvironmentIds;
    if (!unknown.has("productEnvironmentIds") && environments.includes(ALL) && environments.length > 1) {
        failures.push({ property: "productEnvironmentIds", reason: `lists 'all' with other product environments; write either ['all'] or the product environments the user may enter` });
    }
    if (!unknown.has("userId") && changedSince(olds, inputs, ["userId"])) {
        const user = await ctx.directory.user(inputs.userId);
        if (user?.accountRole === "master_admin") failures.push({ property: "userId", reason: masterAdminRefusal(user.email ?? user.id) });
    }
    return failures;
}

export function masterAdminRefusal(who: string): string {
    return `${who} is a master admin, who enters every product environment: Cloudinary ignores sub_account_ids for master admins. Remove this ProductEnvironmentAccess, or give the user another role in the Console first`;
}

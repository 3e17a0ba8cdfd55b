// Whether a principal named by id exists in the account: users and groups are listed once per run. A group or
// role made by the same deployment is passed as an output (unknown at preview), so it is never checked here.
import { ProviderContext } from "../context";
import { Failure } from "./schema";
import { didYouMean } from "./suggest";

export async function principalFailures(ctx: ProviderContext, principalType: string, principalId: string): Promise<Failure[]> {
    if (principalType === "user") {
        const users = await ctx.users();
        if (users.some((u) => u.id === principalId)) return [];
        const byEmail = users.find((u) => u.email === principalId);
        const hint = byEmail ? `; '${principalId}' is an email address, the user's id is '${byEmail.id}'` : didYouMean(principalId, users.map((u) => u.id as string));
        return [{ property: "principalId", reason: `'${principalId}' is not a user of this account${hint}` }];
    }
    if (principalType === "group") {
        const groups = await ctx.userGroups();
        if (groups.some((g) => g.id === principalId)) return [];
        const byName = groups.find((g) => g.name === principalId);
        const hint = byName
            ? `; '${principalId}' is a group's name, its id is '${byName.id}'`
            : `. For a Group declared in this program, pass its groupId output${didYouMean(principalId, groups.map((g) => g.id as string))}`;
        return [{ property: "principalId", reason: `'${principalId}' is not a user group of this account${hint}` }];
    }
    return []; // API keys are not listed by the Permissions or Provisioning APIs; Cloudinary checks them at create.
}

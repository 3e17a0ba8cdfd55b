// Whether a principal named by id exists in the account. The lookups re-read before they answer no, so a group
// this deployment has just created (checked again by the engine once its id resolves) is found.
import { ProviderContext } from "../context";
import { Failure } from "./schema";
import { didYouMean } from "./suggest";

export async function principalFailures(ctx: ProviderContext, principalType: string, principalId: string): Promise<Failure[]> {
    const { lookups } = ctx;
    if (principalType === "user") {
        if (await lookups.user(principalId)) return [];
        const users = [...(await lookups.users.get()).values()];
        const byEmail = users.find((u) => u.email === principalId);
        const hint = byEmail ? `; '${principalId}' is an email address, the user's id is '${byEmail.id}'` : didYouMean(principalId, users.map((u) => u.id as string));
        return [{ property: "principalId", reason: `'${principalId}' is not a user of this account${hint}` }];
    }
    if (principalType === "group") {
        if (await lookups.group(principalId)) return [];
        const groups = [...(await lookups.groups.get()).values()];
        const byName = groups.find((g) => g.name === principalId);
        const hint = byName
            ? `; '${principalId}' is a group's name, its id is '${byName.id}'`
            : `. For a Group declared in this program, pass its groupId output${didYouMean(principalId, groups.map((g) => g.id as string))}`;
        return [{ property: "principalId", reason: `'${principalId}' is not a user group of this account${hint}` }];
    }
    return []; // API keys are not listed by the Permissions or Provisioning APIs; Cloudinary checks them at create.
}

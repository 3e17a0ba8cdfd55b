// The live account that tests/cli/fixtures/review-preview-gitops.json was previewed against, made again on a
// fresh emulator through the APIs: the group Platform (Dave) holding Master Admin, and the staging integration
// key's folder share (Contributor on sandbox). The fixture's Platform id is replaced by the new group's id.
import * as fs from "node:fs";
import * as path from "node:path";
import { MASTER_ADMIN_ROLE, STAGING, USERS, FOLDERS } from "../../emulator/seed";
import type { ProviderContext } from "../../provider/context";

const PLATFORM_IN_FIXTURE = "66fbaba52017280f49bd8e113024907e";

/** The fixture's plan text, ready to review against the account made. */
export async function gitopsReviewAccount(ctx: ProviderContext): Promise<{ plan: string; platformId: string }> {
    const account = ctx.api.account;
    const platform = await account.createGroup("Platform");
    await account.addMember(platform.id, USERS.dave.id);
    await account.changePrincipalGrants({ principalType: "group", principalId: platform.id }, "add", [{ roleId: MASTER_ADMIN_ROLE }]);
    await ctx.api.folders(STAGING.cloudName).changeFolderRoles(FOLDERS.sandbox.id, { principalType: "apiKey", principalId: STAGING.integrationKey }, "add", ["cld::role::folder::contributor"]);
    const fixture = fs.readFileSync(path.join(__dirname, "fixtures", "review-preview-gitops.json"), "utf8");
    return { plan: fixture.split(PLATFORM_IN_FIXTURE).join(platform.id), platformId: platform.id };
}

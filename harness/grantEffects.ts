// An account where each kind of grant that does nothing can be declared (tests of the warnings): Erin may enter
// only acme-staging, the group Designers has Bob and Erin, and two custom roles exist: "Error watch", made only of
// Console areas, and "Uploader", with Media Library access. Made through the APIs, as an admin would.
import type { EmulatorHandle } from "../emulator";
import type { ProviderContext } from "../provider/context";

export const PROD = "pe0prod000000000000000000000001";
export const STAGING = "pe0stag000000000000000000000002";
export const BOB = "u0bob000000000000000000000002";
export const ERIN = "u0erin00000000000000000000005";
export const PROD_KEY = "820000000000002";
export const STAGING_KEY = "830000000000002";
export const PRODUCTS_FOLDER = "fproducts0000000000000000000006";
export const SANDBOX_FOLDER = "fsandbox00000000000000000000007";

export interface EffectsAccount {
    designersId: string;
    errorWatchId: string;
    uploaderId: string;
}

/** The Provisioning API's sub_account_ids of one user (the Console's Product Environments column). */
export async function setProductEnvironments(emulator: Pick<EmulatorHandle, "url" | "credentials">, userId: string, productEnvironmentIds: string[]): Promise<void> {
    const { accountId, accountApiKey: apiKey, accountApiSecret: apiSecret } = emulator.credentials;
    const response = await fetch(`${emulator.url}/v1_1/provisioning/accounts/${accountId}/users/${userId}`, {
        method: "PUT",
        headers: { "content-type": "application/json", authorization: `Basic ${Buffer.from(`${apiKey}:${apiSecret}`).toString("base64")}` },
        body: JSON.stringify({ sub_account_ids: productEnvironmentIds }),
    });
    if (!response.ok) throw new Error(`PUT users/${userId}: ${response.status} ${await response.text()}`);
}

export async function setUpEffectsAccount(emulator: Pick<EmulatorHandle, "url" | "credentials">, ctx: ProviderContext): Promise<EffectsAccount> {
    const account = ctx.api.account;
    await setProductEnvironments(emulator, ERIN, [STAGING]);
    const designers = await account.createGroup("Designers");
    for (const member of [BOB, ERIN]) await account.addMember(designers.id, member);
    const errorWatch = await account.createRole({
        name: "Error watch",
        permissionType: "global",
        scopeType: "prodenv",
        systemPolicyIds: ["cld::policy::global::reports::errors::view", "cld::policy::global::moderation_queue::access"],
    });
    const uploader = await account.createRole({ name: "Uploader", permissionType: "global", scopeType: "prodenv", systemPolicyIds: ["cld::policy::global::ml::access", "cld::policy::global::folder_and_asset_management::create_asset"] });
    return { designersId: designers.id, errorWatchId: errorWatch.id, uploaderId: uploader.id };
}

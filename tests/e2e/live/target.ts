// What the @live tests run against: in `npm run test:live`, the account of the environment (CLOUDINARY_ACCOUNT_URL,
// the product environment of CLOUDINARY_LIVE_FOLDER, and CLOUDINARY_API_BASE_URL when set), with every name
// carrying CLOUDINARY_LIVE_PREFIX; in `npm test`, an emulator of their own, so that they run there too.
import { EmulatorHandle, seed, startEmulator } from "../../../emulator";
import { resolveSettings } from "../../../provider/api/settings";
import { ProviderContext } from "../../../provider/context";
import { contextFor, testEmulatorOptions } from "../../../harness/emulator";
import type { ApiTarget } from "../../../harness/stack";

// eslint-disable-next-line @typescript-eslint/no-var-requires
const live: { liveSettings(env: NodeJS.ProcessEnv): Error | LiveSettings; TARGET_VARIABLE: string; LIVE: string } = require("../../../harness/live.js");

export interface LiveSettings {
    prefix: string;
    folder: { cloudName: string; folderId: string };
}

export interface LiveTarget extends LiveSettings {
    /** Where the stacks' provider goes. */
    api: ApiTarget;
    /** The same account, for what the tests read and change behind Pulumi's back. */
    ctx: ProviderContext;
    /** The product environment of the folder, which the role assignments are scoped to. */
    productEnvironmentId: string;
    stop(): Promise<void>;
}

export function isLive(env: NodeJS.ProcessEnv = process.env): boolean {
    return env[live.TARGET_VARIABLE] === live.LIVE;
}

/** The live settings, or the error that says what to set. */
export function liveSettings(env: NodeJS.ProcessEnv = process.env): LiveSettings {
    const settings = live.liveSettings(env);
    if (settings instanceof Error) throw settings;
    return settings;
}

/** The live account's context, from the environment as the provider reads it. */
export function liveContext(env: NodeJS.ProcessEnv = process.env): ProviderContext {
    return new ProviderContext(resolveSettings(undefined, env), (m) => process.stderr.write(`warning: ${m}\n`));
}

export async function liveTarget(): Promise<LiveTarget> {
    if (isLive()) {
        const settings = liveSettings();
        const ctx = liveContext();
        return { ...settings, api: { url: process.env.CLOUDINARY_API_BASE_URL || undefined }, ctx, productEnvironmentId: await productEnvironmentOf(ctx, settings.folder.cloudName), stop: async () => undefined };
    }
    const emulator: EmulatorHandle = await startEmulator(testEmulatorOptions());
    const ctx = contextFor(emulator);
    const folder = { cloudName: seed.PROD.cloudName, folderId: seed.FOLDERS.products.id };
    return { prefix: "e2e-live-", folder, api: emulator, ctx, productEnvironmentId: await productEnvironmentOf(ctx, folder.cloudName), stop: () => emulator.stop() };
}

async function productEnvironmentOf(ctx: ProviderContext, cloudName: string): Promise<string> {
    const environments = await ctx.api.account.listProductEnvironments();
    const found = environments.find((pe) => pe.cloudName === cloudName);
    if (!found) throw new Error(`the account has no product environment '${cloudName}' (of CLOUDINARY_LIVE_FOLDER); it has ${environments.map((pe) => pe.cloudName).join(", ")}`);
    return found.id;
}

// What the CLI's commands share: credentials read exactly as the provider reads them (CLOUDINARY_ACCOUNT_URL,
// CLOUDINARY_PRODUCT_ENVIRONMENTS, CLOUDINARY_URL, CLOUDINARY_API_BASE_URL), checked before any work, and one
// error type whose message is all a user sees.
import { isExpected } from "../provider/api/errors";
import { resolveSettings } from "../provider/api/settings";
import { ProviderContext } from "../provider/context";

export class CliError extends Error {
    constructor(message: string, readonly exitCode = 2) {
        super(message);
    }
}

/** A provider context from the environment, its account credentials checked (one request). */
export async function contextFromEnvironment(env: NodeJS.ProcessEnv = process.env): Promise<ProviderContext> {
    try {
        const ctx = new ProviderContext(resolveSettings(undefined, env), (m) => process.stderr.write(`warning: ${m}\n`));
        await ctx.credentials.accountReady();
        return ctx;
    } catch (e) {
        if (isExpected(e)) throw new CliError(e.message);
        throw e;
    }
}

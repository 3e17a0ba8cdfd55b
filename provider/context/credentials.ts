// Credentials are checked once per run, at the first check that needs them, so that a preview with missing or
// refused credentials fails before anything is planned (a GitOps pull request must not go green and its merge
// fail). The account's check is one read whose answer the directory keeps; a product environment's Admin API key
// is checked only when a resource of that environment is in the program.
import { ApiClients } from "../api/clients";
import { CloudinaryApiError, CloudinaryConfigError } from "../api/errors";
import { SETTING_KEYS } from "../api/settings";
import type { Directory } from "./directory";

export class CredentialCheck {
    private account?: Promise<void>;
    private readonly environments = new Map<string, Promise<void>>();

    constructor(private readonly api: ApiClients, private readonly directory: Directory) {}

    /** The account credentials are set and Cloudinary accepts them. */
    accountReady(): Promise<void> {
        return (this.account ??= this.remembered(this.verifyAccount(), () => (this.account = undefined)));
    }

    /** The Admin API credentials of a product environment are set and Cloudinary accepts them. */
    productEnvironmentReady(cloudName: string): Promise<void> {
        let pending = this.environments.get(cloudName);
        if (!pending) {
            pending = this.remembered(this.verifyProductEnvironment(cloudName), () => this.environments.delete(cloudName));
            this.environments.set(cloudName, pending);
        }
        return pending;
    }

    private async verifyAccount(): Promise<void> {
        const { accountId, apiKey } = this.api.accountCredentials();
        try {
            await this.directory.productEnvironments();
        } catch (e) {
            const source = this.api.settings.sources.account ?? SETTING_KEYS.accountUrl[0];
            throw refused(e, `the account credentials (account ${accountId}, API key ${apiKey}, from ${source})`, `Fix the key, secret and account id in ${where(source)}`);
        }
    }

    private async verifyProductEnvironment(cloudName: string): Promise<void> {
        try {
            await this.directory.folders(cloudName).ping();
        } catch (e) {
            const source = this.api.settings.sources.productEnvironments[cloudName];
            const { apiKey } = this.api.settings.productEnvironments[cloudName];
            throw refused(e, `the Admin API credentials of product environment '${cloudName}' (API key ${apiKey}, from ${source})`, `Fix the key and secret for '${cloudName}' in ${where(source)}`);
        }
    }

    /**
     * A refused or unreachable configuration is remembered, so the rest of the run fails at once with the same
     * message; any other failure (a 5xx after the retries) is not: it must not fail the rest of the run.
     */
    private remembered(check: Promise<void>, forget: () => void): Promise<void> {
        check.catch((e) => {
            if (!(e instanceof CloudinaryConfigError)) forget();
        });
        return check;
    }
}

function refused(e: unknown, what: string, fix: string): Error {
    if (!(e instanceof CloudinaryApiError) || ![401, 403, 404].includes(e.status)) return e as Error;
    const answer = `${e.status}${e.code ? ` ${e.code}` : ""} ${e.apiMessage}`;
    return new CloudinaryConfigError(`Cloudinary refused ${what}: ${answer}. ${fix}.`);
}

/** Where to fix a setting, in the form the user set it. */
function where(source: string): string {
    return source.startsWith("cloudinary:") ? `stack config ${source} (\`pulumi config set --secret ${source} ...\`)` : `the ${source} environment variable`;
}

// What every resource operation runs with: the settings, the API clients, the run's directory (every listing,
// read once and kept current), and the credential check, built once per provider process.
import { AdminApi } from "../api/admin";
import { ApiClients, Warn } from "../api/clients";
import { PermissionsApi } from "../api/permissions";
import { ProvisioningApi } from "../api/provisioning";
import { ProviderSettings } from "../api/settings";
import { CredentialCheck } from "./credentials";
import { Directory } from "./directory";

export class ProviderContext {
    readonly api: ApiClients;
    readonly directory: Directory;
    readonly credentials: CredentialCheck;

    constructor(
        readonly settings: ProviderSettings,
        readonly warn: Warn = (m) => process.stderr.write(`warning: ${m}\n`),
    ) {
        this.api = new ApiClients(settings, warn);
        this.directory = new Directory(this.api);
        this.credentials = new CredentialCheck(this.api, this.directory);
    }

    get permissions(): PermissionsApi {
        return this.api.permissions;
    }

    get provisioning(): ProvisioningApi {
        return this.api.provisioning;
    }

    admin(cloudName: string): AdminApi {
        return this.api.admin(cloudName);
    }

    hasProductEnvironment(cloudName: string): boolean {
        return this.api.hasProductEnvironment(cloudName);
    }
}

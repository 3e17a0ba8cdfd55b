// What every resource operation runs with: the settings, the API clients, the per-run lookup cache, and the
// credential check, built once per provider process.
import { AdminApi } from "../api/admin";
import { ApiClients, Warn } from "../api/clients";
import { PermissionsApi } from "../api/permissions";
import { ProvisioningApi } from "../api/provisioning";
import { ProviderSettings } from "../api/settings";
import { CredentialCheck } from "./credentials";
import { Lookups } from "./lookups";

export class ProviderContext {
    readonly api: ApiClients;
    readonly lookups: Lookups;
    readonly credentials: CredentialCheck;

    constructor(
        readonly settings: ProviderSettings,
        readonly warn: Warn = (m) => process.stderr.write(`warning: ${m}\n`),
    ) {
        this.api = new ApiClients(settings, warn);
        this.lookups = new Lookups(this.api);
        this.credentials = new CredentialCheck(this.api, this.lookups);
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

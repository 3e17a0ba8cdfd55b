// GitOps: a declarative permissions.yaml turned into this package's resources (validated first, in
// validation/permissionsFile.ts). Errors are raised while the Pulumi program runs, so `pulumi preview` fails
// before anything is written. With `exclusive`, an AccountGrants guard makes the file the whole truth for the
// account's grants.
import * as pulumi from "@pulumi/pulumi";
import * as fs from "node:fs";
import type { ExclusiveGrant, PermissionsFile, PrincipalRef } from "./generated/inputs";
import { programClaims } from "./dynamic/program";
import { AccountGrants } from "./resources/accountGrants";
import { CustomPolicy } from "./resources/customPolicy";
import { CustomRole } from "./resources/customRole";
import { folderShare, FolderShare } from "./resources/folderShare";
import { Group } from "./resources/group";
import { principalRoles, PrincipalRoles } from "./resources/principalRoles";
import { roleAssignment, RoleAssignment } from "./resources/roleAssignment";
import { rolePrincipals, RolePrincipals } from "./resources/rolePrincipals";
import { declaredGrants, parsePermissionsFile, PermissionsFileError } from "./validation/permissionsFile";

export { parsePermissionsFile, PermissionsFileError };
export type { PermissionsFile };

export interface PermissionsFileResources {
    groups: Record<string, Group>;
    customRoles: Record<string, CustomRole>;
    roleAssignments: Record<string, RoleAssignment>;
    folderShares: Record<string, FolderShare>;
    principalRoles: Record<string, PrincipalRoles>;
    customPolicies: Record<string, CustomPolicy>;
    rolePrincipals: Record<string, RolePrincipals>;
    /** The guard of an exclusive file. */
    exclusive?: AccountGrants;
}

/** Conflicts between declarations, by the names written in the file (group and role keys included). */
function claimAll(file: PermissionsFile): void {
    const sections = [[file.principalRoles, principalRoles], [file.rolePrincipals, rolePrincipals], [file.folderShares, folderShare], [file.roleAssignments, roleAssignment]] as const;
    for (const [section, definition] of sections) {
        for (const [key, args] of Object.entries(section ?? {})) programClaims.claim(definition.kind, key, definition.claims?.(args as Record<string, unknown>) ?? {});
    }
}

/** Declares the file's resources. References by logical name become dependencies on the referenced resource. */
export function declarePermissions(file: PermissionsFile, opts?: pulumi.CustomResourceOptions): PermissionsFileResources {
    claimAll(file);
    const declare = <A, R>(section: Record<string, A> | undefined, make: (key: string, args: A) => R): Record<string, R> =>
        Object.fromEntries(Object.entries(section ?? {}).map(([key, args]) => [key, make(key, args)]));

    const groups = declare(file.groups, (key, args) => new Group(key, args, opts));
    const customRoles = declare(file.customRoles, (key, args) => new CustomRole(key, args, opts));
    const role = (id: string): pulumi.Input<string> => customRoles[id]?.roleId ?? id;
    const principal = (type: string, id: string): pulumi.Input<string> => (type === "group" && groups[id] ? groups[id].groupId : id);
    const withPrincipal = <P extends PrincipalRef>(p: P) => ({ ...p, principalId: principal(p.principalType, p.principalId) });

    const resources: PermissionsFileResources = {
        groups,
        customRoles,
        roleAssignments: declare(file.roleAssignments, (key, args) => new RoleAssignment(key, { ...withPrincipal(args), roleId: role(args.roleId) }, opts)),
        folderShares: declare(file.folderShares, (key, args) => new FolderShare(key, { ...withPrincipal(args), roles: args.roles.map(role) }, opts)),
        principalRoles: declare(file.principalRoles, (key, args) => new PrincipalRoles(key, { ...withPrincipal(args), roles: args.roles.map((r) => ({ ...r, roleId: role(r.roleId) })) }, opts)),
        customPolicies: declare(file.customPolicies, (key, args) => new CustomPolicy(key, args, opts)),
        rolePrincipals: declare(file.rolePrincipals, (key, args) => new RolePrincipals(key, { ...args, roleId: role(args.roleId), principals: args.principals.map(withPrincipal) }, opts)),
    };
    if (file.exclusive) {
        const exempt = typeof file.exclusive === "object" ? file.exclusive.exempt : [];
        const declared = declaredGrants(file).map((g) => pulumi.output({ ...withPrincipal(g), roleId: role(g.roleId) }) as pulumi.Output<ExclusiveGrant>);
        // After every other resource, so that what this run grants is in place before the guard reads the account.
        const dependsOn = (["groups", "customRoles", "roleAssignments", "folderShares", "principalRoles", "rolePrincipals", "customPolicies"] as const).flatMap((s) => Object.values(resources[s]) as pulumi.Resource[]);
        resources.exclusive = new AccountGrants("exclusive", { declared, exempt: exempt.map(withPrincipal), undeclared: [] }, { ...opts, dependsOn });
    }
    return resources;
}

export function loadPermissionsFile(filePath: string, opts?: pulumi.CustomResourceOptions): PermissionsFileResources {
    return declarePermissions(parsePermissionsFile(fs.readFileSync(filePath, "utf8"), filePath), opts);
}

// Generated from schema.json by scripts/gen-types.js (json-schema-to-typescript): do not edit.
// Run `npm run gen:types` after changing schema.json.

/**
 * global: applies across the account or a whole product environment; content: applies to the folder (or collection) given when the role is assigned.
 */
export type PermissionType = "global" | "content";

/**
 * account: account-level features; prodenv: features or content inside product environments.
 */
export type ScopeType = "account" | "prodenv";

/**
 * user, group, apiKey (a product environment API key) or provisioningKey (an account API key).
 */
export type PrincipalType = "user" | "group" | "apiKey" | "provisioningKey";

/**
 * The Admin API's folder_operations/invite takes users, groups and product environment API keys.
 */
export type FolderPrincipalType = "user" | "group" | "apiKey";

/**
 * The content instance a content role applies to: exactly one of folderId or collectionId.
 */
export type PolicyParameters = { folderId: string } | { collectionId: string };

/**
 * A custom role made of system policies.
 */
export interface CustomRoleInputs {
    /**
     * A display name: 1 to 255 characters, not only spaces.
     */
    name: string;
    /**
     * Free text up to 1000 characters.
     */
    description?: string;
    permissionType: PermissionType;
    scopeType: ScopeType;
    /**
     * @minItems 1
     * @maxItems 200
     *
     * Items: A system policy id such as cld::policy::global::ml::access.
     */
    systemPolicyIds: string[];
    /**
     * Letters, digits, '_', ':', '.', '-'; must not start with 'cld::' (reserved for system roles).
     */
    roleId?: string;
    /**
     * Delete the role even when principals outside this stack still hold it (the API's force=true).
     */
    forceDelete?: boolean;
    /**
     * When the object already exists in Cloudinary, take it over instead of failing (after checking it matches the declaration).
     */
    adopt?: boolean;
}

/**
 * One role granted to one principal, with its scope and policy parameters.
 */
export interface RoleAssignmentInputs {
    /**
     * A system role id (cld::role::...) or a custom role id.
     */
    roleId: string;
    principalType: PrincipalType;
    /**
     * Who: a user (its id or email), a group (its id or name), or the API key itself for apiKey and provisioningKey. A name is resolved to its id at preview.
     */
    principalId: string;
    /**
     * A product environment: its id or its cloud name (resolved to the id at preview), or 'all'.
     */
    scopeId?: string;
    policyParameters?: PolicyParameters;
    /**
     * When the object already exists in Cloudinary, take it over instead of failing (after checking it matches the declaration).
     */
    adopt?: boolean;
}

/**
 * Folder roles of one principal on one folder, through the Admin API's folder_operations/invite.
 */
export interface FolderShareInputs {
    /**
     * A product environment's cloud name: lowercase letters, digits, '_' and '-'.
     */
    cloudName: string;
    /**
     * A folder: its external id, or its path in the product environment ('marketing/campaigns', no leading or trailing '/'); a path is resolved to the id at preview.
     */
    folderId: string;
    principalType: FolderPrincipalType;
    /**
     * Who: a user (its id or email), a group (its id or name), or the API key itself for apiKey and provisioningKey. A name is resolved to its id at preview.
     */
    principalId: string;
    /**
     * @minItems 1
     * @maxItems 50
     *
     * Items: A system role id (cld::role::...) or a custom role id.
     */
    roles: string[];
    /**
     * When the object already exists in Cloudinary, take it over instead of failing (after checking it matches the declaration).
     */
    adopt?: boolean;
}

/**
 * A user group; memberIds, when given, is the authoritative list of its users.
 */
export interface GroupInputs {
    /**
     * A display name: 1 to 255 characters, not only spaces.
     */
    name: string;
    /**
     * @maxItems 1000
     *
     * Items: A user: its id as the Provisioning API lists it (GET /users, or the Console's user page), or its email address (resolved to the id at preview).
     */
    memberIds?: string[];
    /**
     * When the object already exists in Cloudinary, take it over instead of failing (after checking it matches the declaration).
     */
    adopt?: boolean;
}

/**
 * One role a principal holds: the role, its scope, and the folder or collection of a content role.
 */
export interface PrincipalGrant {
    /**
     * A system role id (cld::role::...) or a custom role id.
     */
    roleId: string;
    /**
     * A product environment: its id or its cloud name (resolved to the id at preview), or 'all'.
     */
    scopeId?: string;
    policyParameters?: PolicyParameters;
}

/**
 * One holder of a role: the principal, its scope, and the folder or collection of a content role.
 */
export interface RoleHolder {
    principalType: PrincipalType;
    /**
     * Who: a user (its id or email), a group (its id or name), or the API key itself for apiKey and provisioningKey. A name is resolved to its id at preview.
     */
    principalId: string;
    /**
     * A product environment: its id or its cloud name (resolved to the id at preview), or 'all'.
     */
    scopeId?: string;
    policyParameters?: PolicyParameters;
}

/**
 * A principal: its type and id.
 */
export interface PrincipalRef {
    principalType: PrincipalType;
    /**
     * Who: a user (its id or email), a group (its id or name), or the API key itself for apiKey and provisioningKey. A name is resolved to its id at preview.
     */
    principalId: string;
}

/**
 * Every role one principal holds through the Permissions API (authoritative): after an update the principal holds exactly these grants.
 */
export interface PrincipalRolesInputs {
    principalType: PrincipalType;
    /**
     * Who: a user (its id or email), a group (its id or name), or the API key itself for apiKey and provisioningKey. A name is resolved to its id at preview.
     */
    principalId: string;
    /**
     * The principal's grants, a set; an empty list revokes every role it holds.
     *
     * @maxItems 500
     */
    roles: PrincipalGrant[];
    /**
     * When the object already exists in Cloudinary, take it over instead of failing (after checking it matches the declaration).
     */
    adopt?: boolean;
    /**
     * Allow a change that would leave the account with no principal holding cld::role::account::master_admin, or revoke a role from the provisioning key this provider authenticates with. Off by default: such a plan is refused before anything is written.
     */
    allowLockout?: boolean;
}

/**
 * Every holder of one role (authoritative): after an update exactly these principals hold it, where declared.
 */
export interface RolePrincipalsInputs {
    /**
     * A system role id (cld::role::...) or a custom role id.
     */
    roleId: string;
    /**
     * The role's holders, a set; an empty list revokes the role from everyone.
     *
     * @maxItems 1000
     */
    principals: RoleHolder[];
    /**
     * When the object already exists in Cloudinary, take it over instead of failing (after checking it matches the declaration).
     */
    adopt?: boolean;
    /**
     * Allow a change that would leave the account with no principal holding cld::role::account::master_admin, or revoke a role from the provisioning key this provider authenticates with. Off by default: such a plan is refused before anything is written.
     */
    allowLockout?: boolean;
}

/**
 * A grant declared elsewhere in the program; a folder share names its product environment by cloudName instead of scopeId.
 */
export interface ExclusiveGrant {
    /**
     * A system role id (cld::role::...) or a custom role id.
     */
    roleId: string;
    principalType: PrincipalType;
    /**
     * Who: a user (its id or email), a group (its id or name), or the API key itself for apiKey and provisioningKey. A name is resolved to its id at preview.
     */
    principalId: string;
    /**
     * A product environment: its id or its cloud name (resolved to the id at preview), or 'all'.
     */
    scopeId?: string;
    /**
     * A product environment's cloud name: lowercase letters, digits, '_' and '-'.
     */
    cloudName?: string;
    policyParameters?: PolicyParameters;
}

/**
 * The guard of an exclusive permissions.yaml: its read lists every grant of the account, and those neither declared nor held by an exempt principal show as `undeclared`; an update revokes them.
 */
export interface AccountGrantsInputs {
    /**
     * Every grant the program declares.
     */
    declared: ExclusiveGrant[];
    /**
     * Principals whose grants are left alone (break-glass accounts).
     */
    exempt?: PrincipalRef[];
    /**
     * Grants in the account that nothing declares, as 'principal holds role in scope'; always declared empty, so that any found is a change to revoke.
     *
     * @maxItems 0
     */
    undeclared?: string[];
    /**
     * Allow a change that would leave the account with no principal holding cld::role::account::master_admin, or revoke a role from the provisioning key this provider authenticates with. Off by default: such a plan is refused before anything is written.
     */
    allowLockout?: boolean;
}

/**
 * The GitOps permissions.yaml: entries keyed by logical name. A roleId (or a folder share's role) naming a key of customRoles refers to that role, and a group principalId naming a key of groups refers to that group.
 */
export interface PermissionsFile {
    /**
     * User groups, by logical name.
     */
    groups?: {
        [k: string]: GroupInputs;
    };
    /**
     * Custom roles, by logical name.
     */
    customRoles?: {
        [k: string]: CustomRoleInputs;
    };
    /**
     * Role assignments, by logical name.
     */
    roleAssignments?: {
        [k: string]: RoleAssignmentInputs;
    };
    /**
     * Folder shares, by logical name.
     */
    folderShares?: {
        [k: string]: FolderShareInputs;
    };
    /**
     * Every role of one principal (authoritative), by logical name.
     */
    principalRoles?: {
        [k: string]: PrincipalRolesInputs;
    };
    /**
     * Every holder of one role (authoritative), by logical name.
     */
    rolePrincipals?: {
        [k: string]: RolePrincipalsInputs;
    };
    /**
     * true: the file is the whole truth for the account's grants; any grant it does not declare shows in `pulumi preview --refresh` and `pulumi up` revokes it. { exempt: [...] } does the same but leaves the listed principals (break-glass accounts) alone.
     */
    exclusive?:
        | boolean
        | {
              /**
               * @minItems 1
               */
              exempt: PrincipalRef[];
          };
    /**
     * Custom policies (Cedar), by logical name. Write the statement as a YAML block scalar (policyStatement: |).
     */
    customPolicies?: {
        [k: string]: CustomPolicyInputs;
    };
    /**
     * The product environments users may enter (one ProductEnvironmentAccess each), keyed by the user's email or id; each value the list of product environments (ids or cloud names), or [all].
     */
    productEnvironmentAccess?: {
        /**
         * The product environments (ids or cloud names) the user may enter, or ['all'].
         *
         * @minItems 1
         * @maxItems 1000
         *
         * Items: A product environment: its id or its cloud name (resolved to the id at preview), or 'all'.
         */
        [k: string]: string[];
    };
}

/**
 * The product environments one user may enter (the Provisioning API's sub_account_ids), authoritative for that user. Cloudinary's default is every product environment; deleting this resource gives every one back. A master admin enters every product environment and cannot be restricted.
 */
export interface ProductEnvironmentAccessInputs {
    /**
     * A user: its id as the Provisioning API lists it (GET /users, or the Console's user page), or its email address (resolved to the id at preview).
     */
    userId: string;
    /**
     * The product environments (ids or cloud names) the user may enter, or ['all'].
     *
     * @minItems 1
     * @maxItems 1000
     *
     * Items: A product environment: its id or its cloud name (resolved to the id at preview), or 'all'.
     */
    productEnvironmentIds: string[];
}

/**
 * A custom permission policy: a Cedar statement that permits or forbids principals actions on resources, in the account or in product environments (Permissions API policies/custom). Checked at preview against the account's Cedar schema.
 */
export interface CustomPolicyInputs {
    /**
     * A display name: 1 to 255 characters, not only spaces.
     */
    name: string;
    /**
     * Free text up to 1000 characters.
     */
    description?: string;
    scopeType: ScopeType;
    /**
     * prodenv policies: a product environment id, or 'all'. Account policies: none.
     */
    scopeId?: string;
    /**
     * The Cedar statement (one or more permit/forbid policies). Cloudinary accepts an update only when the statement changes, so a change of the statement updates the policy in place and a change of anything else replaces it.
     */
    policyStatement: string;
    /**
     * Whether the policy is in force; default true.
     */
    enabled?: boolean;
    /**
     * When the object already exists in Cloudinary, take it over instead of failing (after checking it matches the declaration).
     */
    adopt?: boolean;
}

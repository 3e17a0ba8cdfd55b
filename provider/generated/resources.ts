// Generated from schema.json by scripts/gen-types.js: do not edit. Run `npm run gen:types` after changing schema.json.

/** Every resource, by its schema.json $def (annotated x-resource). */
export const RESOURCE_KINDS = ["CustomRole", "RoleAssignment", "FolderShare", "Group", "PrincipalRoles", "RolePrincipals", "AccountGrants", "ProductEnvironmentAccess", "CustomPolicy"] as const;
export type ResourceKind = (typeof RESOURCE_KINDS)[number];

/**
 * A permissions.yaml section: the resource each entry declares, the input the entry's key supplies, if any (x-key),
 * and the one input the entry's value is, in a section whose values are not objects of inputs (x-value).
 */
export interface Section {
    section: string;
    kind: ResourceKind;
    keyInput?: string;
    valueInput?: string;
}

/** The permissions.yaml sections that declare resources, in the file's order (PermissionsFile in schema.json). */
export const SECTIONS: readonly Section[] = [
    { section: "groups", kind: "Group" },
    { section: "customRoles", kind: "CustomRole" },
    { section: "roleAssignments", kind: "RoleAssignment" },
    { section: "folderShares", kind: "FolderShare" },
    { section: "principalRoles", kind: "PrincipalRoles" },
    { section: "rolePrincipals", kind: "RolePrincipals" },
    { section: "customPolicies", kind: "CustomPolicy" },
    { section: "productEnvironmentAccess", kind: "ProductEnvironmentAccess", keyInput: "userId", valueInput: "productEnvironmentIds" },
];

/** An input value that may name a key of a section: its path ("*" is every item of a list), and the values its siblings must have. */
export interface Reference {
    path: readonly string[];
    section: string;
    when?: Readonly<Record<string, string>>;
}

/** Where each resource's inputs may name another section's key (PermissionsFile's x-references in schema.json). */
export const REFERENCES: Readonly<Record<ResourceKind, readonly Reference[]>> = {
    CustomRole: [],
    RoleAssignment: [{ path: ["roleId"], section: "customRoles" }, { path: ["principalId"], section: "groups", when: { principalType: "group" } }],
    FolderShare: [{ path: ["principalId"], section: "groups", when: { principalType: "group" } }, { path: ["roles", "*"], section: "customRoles" }],
    Group: [],
    PrincipalRoles: [{ path: ["principalId"], section: "groups", when: { principalType: "group" } }, { path: ["roles", "*", "roleId"], section: "customRoles" }],
    RolePrincipals: [{ path: ["roleId"], section: "customRoles" }, { path: ["principals", "*", "principalId"], section: "groups", when: { principalType: "group" } }],
    AccountGrants: [{ path: ["declared", "*", "roleId"], section: "customRoles" }, { path: ["declared", "*", "principalId"], section: "groups", when: { principalType: "group" } }, { path: ["exempt", "*", "principalId"], section: "groups", when: { principalType: "group" } }],
    ProductEnvironmentAccess: [],
    CustomPolicy: [],
};

// permissions.yaml to resources, as declarePermissions registers them (the Pulumi SDK's mocks stand for the
// engine): each section's entries become its resource, and a value naming another section's key becomes that
// resource's id. The expected inputs are written by hand.
import * as pulumi from "@pulumi/pulumi";
import * as assert from "node:assert/strict";

const registered: { type: string; name: string; inputs: Record<string, unknown> }[] = [];

describe("GitOps permissions.yaml, declared", () => {
    before(async () => {
        await pulumi.runtime.setMocks(
            {
                newResource: (args) => {
                    registered.push({ type: args.type, name: args.name, inputs: args.inputs });
                    const id = `${args.name}-id`;
                    return { id, state: { ...args.inputs, ...(args.type === "cloudinary:CustomRole" ? { roleId: id } : {}), ...(args.type === "cloudinary:Group" ? { groupId: id } : {}) } };
                },
                call: () => ({}),
            },
            "project",
            "stack",
            false,
        );
    });

    it("resolves role and group keys in every section that may name them, and nothing else", async () => {
        // Loaded after the mocks are set, as a program would be.
        const { declarePermissions, parsePermissionsFile } = await import("../../provider/gitops");
        const file = parsePermissionsFile(`
groups:
  editors: { name: Editors }
  viewers: { name: Viewers }
  owners: { name: Owners }
customRoles:
  curator: { name: Curator, permissionType: global, scopeType: prodenv, systemPolicyIds: [cld::policy::global::ml::access] }
  reviewer: { name: Reviewer, permissionType: global, scopeType: prodenv, systemPolicyIds: [cld::policy::global::ml::access] }
  auditor: { name: Auditor, permissionType: global, scopeType: prodenv, systemPolicyIds: [cld::policy::global::ml::access] }
roleAssignments:
  editors-curate: { roleId: curator, principalType: group, principalId: editors, scopeId: pe1 }
  user-curate: { roleId: curator, principalType: user, principalId: editors, scopeId: pe1 }
folderShares:
  viewers-folder: { cloudName: acme-prod, folderId: f1, principalType: group, principalId: viewers, roles: [reviewer, cld::role::folder::viewer] }
principalRoles:
  owners-roles: { principalType: group, principalId: owners, roles: [{ roleId: reviewer, scopeId: pe1 }] }
rolePrincipals:
  auditors: { roleId: auditor, principals: [{ principalType: group, principalId: viewers, scopeId: pe1 }, { principalType: user, principalId: u1, scopeId: pe1 }] }
productEnvironmentAccess:
  erin@acme.example: [acme-staging]
exclusive: { exempt: [{ principalType: group, principalId: owners }] }
`);
        const resources = declarePermissions(file);
        const all = [...Object.values(resources).flatMap((section) => (section instanceof pulumi.Resource ? [section] : Object.values(section as object)))] as pulumi.CustomResource[];
        await Promise.all(all.map((r) => new Promise((resolve) => r.urn.apply(resolve))));
        const inputsOf = (name: string) => {
            const { inputs } = registered.find((r) => r.name === name)!;
            return Object.fromEntries(Object.entries(inputs).filter(([k]) => !k.startsWith("__") && inputs[k] !== undefined));
        };
        assert.deepEqual(Object.keys(resources).sort(), ["customPolicies", "customRoles", "exclusive", "folderShares", "groups", "principalRoles", "productEnvironmentAccess", "roleAssignments", "rolePrincipals"]);
        assert.deepEqual(inputsOf("erin@acme.example"), { userId: "erin@acme.example", productEnvironmentIds: ["acme-staging"] }, "the key is the user, the value the list");
        assert.deepEqual(inputsOf("editors-curate"), { roleId: "curator-id", principalType: "group", principalId: "editors-id", scopeId: "pe1" });
        assert.deepEqual(inputsOf("user-curate"), { roleId: "curator-id", principalType: "user", principalId: "editors", scopeId: "pe1" }, "a user id is not a group key");
        assert.deepEqual(inputsOf("viewers-folder"), { cloudName: "acme-prod", folderId: "f1", principalType: "group", principalId: "viewers-id", roles: ["reviewer-id", "cld::role::folder::viewer"] });
        assert.deepEqual(inputsOf("owners-roles"), { principalType: "group", principalId: "owners-id", roles: [{ roleId: "reviewer-id", scopeId: "pe1" }] });
        assert.deepEqual(inputsOf("auditors"), { roleId: "auditor-id", principals: [{ principalType: "group", principalId: "viewers-id", scopeId: "pe1" }, { principalType: "user", principalId: "u1", scopeId: "pe1" }] });
        const guard = inputsOf("exclusive");
        assert.deepEqual(guard.exempt, [{ principalType: "group", principalId: "owners-id" }]);
        assert.deepEqual(
            (guard.declared as { roleId: string; principalType: string; principalId: string }[]).map((g) => `${g.roleId} ${g.principalType} ${g.principalId}`).sort(),
            ["auditor-id group viewers-id", "auditor-id user u1", "cld::role::folder::viewer group viewers-id", "curator-id group editors-id", "curator-id user editors", "reviewer-id group owners-id", "reviewer-id group viewers-id"],
            "every grant the file declares, with its keys resolved",
        );
    });

    it("takes the name of a declared group where its key may be written", async () => {
        const { declarePermissions, parsePermissionsFile } = await import("../../provider/gitops");
        const file = parsePermissionsFile(`
groups:
  photo-editors: { name: Photo editors }
customRoles:
  asset-curator: { name: Asset curator, permissionType: global, scopeType: prodenv, systemPolicyIds: [cld::policy::global::ml::access] }
roleAssignments:
  by-names: { roleId: asset-curator, principalType: group, principalId: Photo editors, scopeId: acme-prod }
  someone-else: { roleId: cld::role::prodenv::reports, principalType: group, principalId: Ops, scopeId: all }
`);
        const resources = declarePermissions(file);
        await Promise.all(Object.values(resources.roleAssignments).map((r) => new Promise((resolve) => r.urn.apply(resolve))));
        const inputsOf = (name: string) => Object.fromEntries(Object.entries(registered.find((r) => r.name === name)!.inputs).filter(([k, v]) => !k.startsWith("__") && v !== undefined));
        assert.deepEqual(inputsOf("by-names"), { roleId: "asset-curator-id", principalType: "group", principalId: "photo-editors-id", scopeId: "acme-prod" });
        assert.deepEqual(inputsOf("someone-else"), { roleId: "cld::role::prodenv::reports", principalType: "group", principalId: "Ops", scopeId: "all" }, "a group the file does not declare is left to the provider to look up by name");
    });
});

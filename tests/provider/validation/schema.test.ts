// Table-driven tests of the schema part of check: each bad input is rejected with the property named and a fix.
import * as assert from "node:assert/strict";
import { ResourceKind, schemaFailures } from "../../../provider/validation/schema";

const role = { name: "Uploaders", permissionType: "global", scopeType: "prodenv", systemPolicyIds: ["cld::policy::global::ml::access"] };
const grant = { roleId: "cld::role::prodenv::ml_user", principalType: "user", principalId: "u1", scopeId: "all" };
const share = { cloudName: "acme-prod", folderId: "f1", principalType: "group", principalId: "g1", roles: ["cld::role::folder::viewer"] };
const group = { name: "Designers", memberIds: ["u1", "u2"] };

const valid: [ResourceKind, object][] = [
    ["CustomRole", role],
    ["CustomRole", { ...role, description: "d", roleId: "uploaders_1", forceDelete: true, adopt: false }],
    ["RoleAssignment", grant],
    ["RoleAssignment", { ...grant, policyParameters: { folderId: "abc123" } }],
    ["FolderShare", share],
    ["Group", group],
    ["Group", { name: "No members" }],
];

// [kind, inputs, property, part of the reason]
const invalid: [ResourceKind, object, string, RegExp][] = [
    ["CustomRole", { ...role, permissionType: "globl" }, "permissionType", /one of 'global', 'content'.*did you mean 'global'/],
    ["CustomRole", { ...role, scopeType: "environment" }, "scopeType", /one of 'account', 'prodenv'/],
    ["CustomRole", { ...role, systemPolicyIds: [] }, "systemPolicyIds", /at least 1 item/],
    ["CustomRole", { ...role, systemPolicyIds: ["ml::access"] }, "systemPolicyIds", /systemPolicyIds\[0\] "ml::access" is not valid/],
    ["CustomRole", { ...role, systemPolicyIds: ["cld::policy::global::ml::access", "cld::policy::global::ml::access"] }, "systemPolicyIds", /twice; remove the duplicate/],
    ["CustomRole", { ...role, name: "" }, "name", /must not be empty/],
    ["CustomRole", { ...role, name: "x".repeat(256) }, "name", /too long: at most 255/],
    ["CustomRole", { ...role, description: "x".repeat(1001) }, "description", /too long: at most 1000/],
    ["CustomRole", { ...role, roleId: "cld::role::mine" }, "roleId", /must not start with 'cld::'/],
    ["CustomRole", { ...role, name: undefined }, "name", /is required/],
    ["CustomRole", { ...role, policies: [] }, "policies", /is not a valid input. Valid inputs: name, description/],
    ["CustomRole", { ...role, systemPolicyIds: "cld::policy::global::ml::access" }, "systemPolicyIds", /must be a list, got string/],
    ["RoleAssignment", { ...grant, principalType: "apikey" }, "principalType", /did you mean 'apiKey'/],
    ["RoleAssignment", { ...grant, principalId: "u1 " }, "principalId", /is not valid/],
    ["RoleAssignment", { ...grant, scopeId: "" }, "scopeId", /must not be empty/],
    ["RoleAssignment", { ...grant, policyParameters: { folderId: "a", collectionId: "b" } }, "policyParameters", /exactly one of folderId or collectionId/],
    ["RoleAssignment", { ...grant, policyParameters: { folder_id: "a" } }, "policyParameters", /policyParameters.folder_id is not a key of policyParameters; did you mean 'folderId'/],
    ["RoleAssignment", { ...grant, policyParameters: {} }, "policyParameters", /exactly one of folderId or collectionId/],
    ["RoleAssignment", { ...grant, roleId: 42 }, "roleId", /must be a string, got number 42/],
    ["FolderShare", { ...share, principalType: "provisioningKey" }, "principalType", /one of 'user', 'group', 'apiKey'/],
    ["FolderShare", { ...share, cloudName: "Acme Prod" }, "cloudName", /cloud name/],
    ["FolderShare", { ...share, roles: [] }, "roles", /at least 1 item/],
    ["FolderShare", { ...share, folderId: undefined }, "folderId", /is required/],
    ["Group", { ...group, memberIds: ["u1", "u1"] }, "memberIds", /twice/],
    ["Group", { ...group, name: "   " }, "name", /not only spaces/],
    ["Group", { ...group, memberIds: "u1" }, "memberIds", /must be a list/],
];

describe("check: schema.json validation", () => {
    for (const [kind, inputs] of valid) {
        it(`accepts a valid ${kind} ${JSON.stringify(inputs)}`, () => assert.deepEqual(schemaFailures(kind, inputs as Record<string, unknown>), []));
    }
    for (const [kind, inputs, property, reason] of invalid) {
        it(`rejects ${kind} with bad ${property}: ${reason.source}`, () => {
            const failures = schemaFailures(kind, JSON.parse(JSON.stringify(inputs)));
            const match = failures.find((f) => f.property === property && reason.test(f.reason));
            assert.ok(match, `expected a failure on ${property} matching ${reason}, got ${JSON.stringify(failures)}`);
        });
    }
    it("does not report inputs whose value is not known yet as missing", () => {
        const { name: _name, ...withoutName } = role;
        assert.deepEqual(schemaFailures("CustomRole", withoutName, new Set(["name"])), []);
    });
});

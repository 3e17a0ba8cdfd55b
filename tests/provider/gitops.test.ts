// The GitOps permissions.yaml: validated against schema.json with the file's lines in every message.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { parsePermissionsFile, PermissionsFileError } from "../../provider/gitops";

const example = fs.readFileSync(path.join(__dirname, "../../examples/gitops/permissions.yaml"), "utf8");

function issuesOf(text: string): string[] {
    try {
        parsePermissionsFile(text, "permissions.yaml");
    } catch (e) {
        assert.ok(e instanceof PermissionsFileError, String(e));
        return e.issues;
    }
    assert.fail("the file was accepted");
}

// [what, file, expected issue]
const bad: [string, string, RegExp][] = [
    ["an unknown section", "groupz:\n  a:\n    name: A\n", /^permissions.yaml:1:1: groupz is not a valid section; did you mean 'groups'\?/],
    ["a bad logical name", "groups:\n  Design Team:\n    name: A\n", /^permissions.yaml:2:3: groups has an invalid key "Design Team"/],
    ["a wrong enum", "customRoles:\n  r:\n    name: R\n    permissionType: folder\n    scopeType: prodenv\n    systemPolicyIds: [cld::policy::global::ml::access]\n", /^permissions.yaml:4:5: customRoles.r.permissionType must be one of 'global', 'content'/],
    ["a missing required field", "roleAssignments:\n  a:\n    roleId: r\n    principalType: user\n", /^permissions.yaml:2:3: roleAssignments.a.principalId is required/],
    ["a misspelt field", "groups:\n  a:\n    name: A\n    members: [u1]\n", /^permissions.yaml:4:5: groups.a.members is not a key of groups.a; did you mean 'memberIds'\?/],
    ["a wrong type", "folderShares:\n  s:\n    cloudName: acme-prod\n    folderId: f\n    principalType: user\n    principalId: u\n    roles: cld::role::folder::viewer\n", /^permissions.yaml:7:5: folderShares.s.roles must be a list, got string/],
    ["a duplicate key", "groups:\n  a:\n    name: A\n  a:\n    name: B\n", /^permissions.yaml:4:3: Map keys must be unique/],
    ["two roles with one name", "customRoles:\n  r1:\n    name: Same\n    permissionType: global\n    scopeType: account\n    systemPolicyIds: [cld::policy::global::users_and_groups::manage]\n  r2:\n    name: Same\n    permissionType: global\n    scopeType: account\n    systemPolicyIds: [cld::policy::global::users_and_groups::manage]\n", /^permissions.yaml:8:5: customRoles.r2.name 'Same' is already the name of customRoles.r1/],
    ["an empty file", "# nothing yet\n", /^permissions.yaml: declares nothing; add at least one of groups/],
    ["a list instead of sections", "- groups\n", /^permissions.yaml:1:1: \(file\) must be an object, got a list/],
    ["broken YAML", "groups:\n  a: [\n", /^permissions.yaml:\d+:\d+: /],
    [
        "a Cedar syntax error in a block scalar: the file's line, and the line and column inside the statement",
        'customPolicies:\n  p:\n    name: P\n    scopeType: account\n    policyStatement: |\n      permit(\n        principal,\n        action == Cloudinary::Action::"read"\n        resource\n      );\n',
        /^permissions.yaml:9: customPolicies.p.policyStatement, line 4, column 3 of the statement: unexpected token `resource`/,
    ],
    ["a Cedar syntax error in a one-line statement", "customPolicies:\n  p:\n    name: P\n    scopeType: account\n    policyStatement: permit(principal, action, resource) when\n", /^permissions.yaml:5: customPolicies.p.policyStatement, line 1, column 41 of the statement: unexpected end of input: expected `{`/],
];

describe("GitOps permissions.yaml", () => {
    it("accepts the example file", () => {
        const file = parsePermissionsFile(example);
        assert.equal(Object.keys(file.customRoles ?? {}).length, 2);
        assert.equal(file.roleAssignments?.["photo-editors-upload-winter"].policyParameters && "folderId" in file.roleAssignments["photo-editors-upload-winter"].policyParameters, true);
    });
    for (const [what, text, expected] of bad) {
        it(`rejects ${what}, with the line`, () => {
            const issues = issuesOf(text);
            assert.ok(issues.some((i) => expected.test(i)), issues.join("\n"));
        });
    }
});

// Table-driven tests of each resource's diff: set semantics, replace for immutable fields, no spurious diffs.
import * as assert from "node:assert/strict";
import { unknownValue } from "@pulumi/pulumi/runtime/rpc";
import { resolveSettings } from "../../../provider/api/settings";
import { ProviderContext } from "../../../provider/context";
import { ResourceHandler } from "../../../provider/dynamic/define";
import { customRole } from "../../../provider/resources/customRole";
import { folderShare } from "../../../provider/resources/folderShare";
import { group as groupResource } from "../../../provider/resources/group";
import { roleAssignment } from "../../../provider/resources/roleAssignment";

// diff never calls the API: a context without credentials proves it.
const ctx = new ProviderContext(resolveSettings(undefined, {}));
const handlers: Record<string, ResourceHandler> = {
    CustomRole: customRole.handler(ctx),
    RoleAssignment: roleAssignment.handler(ctx),
    FolderShare: folderShare.handler(ctx),
    Group: groupResource.handler(ctx),
};

const roleOut = {
    roleId: "r1", name: "Uploaders", permissionType: "global", scopeType: "prodenv",
    systemPolicyIds: ["cld::policy::global::a", "cld::policy::global::b"],
};
const roleIn = { name: "Uploaders", permissionType: "global", scopeType: "prodenv", systemPolicyIds: ["cld::policy::global::b", "cld::policy::global::a"] };
const grant = { roleId: "r1", principalType: "group", principalId: "g1", scopeId: "pe1", policyParameters: { folderId: "f1" } };
const share = { cloudName: "acme-prod", folderId: "f1", principalType: "group", principalId: "g1", roles: ["cld::role::folder::viewer", "cld::role::folder::contributor"] };
const group = { groupId: "g1", name: "Designers", memberIds: ["u1", "u2"] };

// [resource, case, olds (outputs), news (inputs), expected]
type Expected = { changes: boolean; replaces?: string[]; deleteBeforeReplace?: boolean };
const cases: [string, string, object, object, Expected][] = [
    ["CustomRole", "same policies in another order", roleOut, roleIn, { changes: false }],
    ["CustomRole", "no description declared, none live", roleOut, { ...roleIn, description: undefined }, { changes: false }],
    ["CustomRole", "empty description equals none", { ...roleOut, description: "" }, roleIn, { changes: false }],
    // The same policies in the same order: the only difference is the roleId Cloudinary generated, absent from the inputs.
    ["CustomRole", "generated roleId is not compared", roleOut, { ...roleIn, systemPolicyIds: [...roleOut.systemPolicyIds] }, { changes: false }],
    ["CustomRole", "a policy added", roleOut, { ...roleIn, systemPolicyIds: [...roleIn.systemPolicyIds, "cld::policy::global::c"] }, { changes: true, replaces: [] }],
    ["CustomRole", "renamed", roleOut, { ...roleIn, name: "Upload team" }, { changes: true, replaces: [] }],
    ["CustomRole", "scopeType changed", roleOut, { ...roleIn, scopeType: "account" }, { changes: true, replaces: ["scopeType"], deleteBeforeReplace: true }],
    ["CustomRole", "permissionType changed", roleOut, { ...roleIn, permissionType: "content" }, { changes: true, replaces: ["permissionType"], deleteBeforeReplace: true }],
    ["CustomRole", "explicit roleId changed", roleOut, { ...roleIn, roleId: "r2" }, { changes: true, replaces: ["roleId"], deleteBeforeReplace: true }],
    ["CustomRole", "explicit roleId equal to the live one", roleOut, { ...roleIn, roleId: "r1" }, { changes: false }],
    // An in-place update that only records the new setting in state (forceDelete is read at delete time).
    ["CustomRole", "adopt and forceDelete update state only", roleOut, { ...roleIn, adopt: true, forceDelete: true }, { changes: true, replaces: [] }],
    ["CustomRole", "policies unknown during preview", roleOut, { ...roleIn, systemPolicyIds: unknownValue }, { changes: true, replaces: [] }],
    ["RoleAssignment", "identical", grant, grant, { changes: false }],
    ["RoleAssignment", "policy parameters compared by value", grant, { ...grant, policyParameters: { folderId: "f1" } }, { changes: false }],
    ["RoleAssignment", "other principal", grant, { ...grant, principalId: "g2" }, { changes: true, replaces: ["principalId"] }],
    ["RoleAssignment", "other folder", grant, { ...grant, policyParameters: { folderId: "f2" } }, { changes: true, replaces: ["policyParameters"] }],
    ["RoleAssignment", "scope removed", grant, { ...grant, scopeId: undefined }, { changes: true, replaces: ["scopeId"] }],
    ["RoleAssignment", "role id unknown (its role is being replaced)", grant, { ...grant, roleId: unknownValue }, { changes: true, replaces: ["roleId"] }],
    ["RoleAssignment", "adopt only: an update, never a replacement", grant, { ...grant, adopt: true }, { changes: true, replaces: [] }],
    ["FolderShare", "roles in another order", share, { ...share, roles: [...share.roles].reverse() }, { changes: false }],
    ["FolderShare", "a role removed", share, { ...share, roles: ["cld::role::folder::viewer"] }, { changes: true, replaces: [] }],
    ["FolderShare", "other folder", share, { ...share, folderId: "f2" }, { changes: true, replaces: ["folderId"] }],
    ["FolderShare", "other product environment", share, { ...share, cloudName: "acme-staging" }, { changes: true, replaces: ["cloudName"] }],
    ["Group", "members in another order", group, { name: "Designers", memberIds: ["u2", "u1"] }, { changes: false }],
    ["Group", "member added", group, { name: "Designers", memberIds: ["u1", "u2", "u3"] }, { changes: true, replaces: [] }],
    ["Group", "renamed (in place)", group, { name: "Design", memberIds: ["u1", "u2"] }, { changes: true, replaces: [] }],
    ["Group", "membership not managed: live members are no diff", { groupId: "g1", name: "Designers" }, { name: "Designers" }, { changes: false }],
    ["Group", "memberIds dropped from the program: no diff", group, { name: "Designers" }, { changes: false }],
];

describe("diff", () => {
    it("has no case that repeats another's olds and news", () => {
        const repeated = cases.filter(([kind, , olds, news], i) => cases.findIndex(([k, , o, n]) => k === kind && o === olds && n === news) !== i);
        assert.deepEqual(repeated.map(([kind, what]) => `${kind}: ${what}`), []);
    });

    for (const [kind, what, olds, news, expected] of cases) {
        it(`${kind}: ${what}`, async () => {
            const result = await handlers[kind].diff("id", olds, news);
            assert.equal(result.changes, expected.changes, JSON.stringify(result));
            if (expected.replaces) assert.deepEqual(result.replaces, expected.replaces);
            if (expected.deleteBeforeReplace !== undefined) assert.equal(result.deleteBeforeReplace, expected.deleteBeforeReplace);
        });
    }
});

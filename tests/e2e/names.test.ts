// Names instead of ids, with the real engine: a permissions.yaml written with emails, group names, cloud names and
// folder paths applies and matches the live account; the same file written with ids is no change (an empty preview,
// 0 writes); a misspelt email fails the preview with a suggestion and writes nothing. The ids are the seeded
// account's (emulator/README.md), written here by hand.
import * as assert from "node:assert/strict";
import { EmulatorHandle, startEmulator } from "../../emulator";
import { contextFor, testEmulatorOptions } from "../../harness/emulator";
import { gitopsStack } from "../../harness/stack";

const ids = {
    bob: "u0bob000000000000000000000002",
    erin: "u0erin00000000000000000000005",
    dave: "u0dave00000000000000000000004",
    prod: "pe0prod000000000000000000000001",
    staging: "pe0stag000000000000000000000002",
    winter: "fwinter2026000000000000000000003",
    products: "fproducts0000000000000000000006",
    sandbox: "fsandbox00000000000000000000007",
};

/** The same declarations, written with names or with ids; `sso` is a group made outside the file. */
function file(v: { bob: string; erin: string; dave: string; prod: string; staging: string; winter: string; products: string; sandbox: string; sso: string; editors: string }): string {
    return `
groups:
  editors:
    name: Photo editors
    memberIds: [${v.bob}, ${v.erin}]
roleAssignments:
  editors-reports:
    roleId: cld::role::prodenv::reports
    principalType: group
    principalId: ${v.editors}
    scopeId: ${v.prod}
  sso-winter:
    roleId: cld::role::folder::viewer
    principalType: group
    principalId: ${v.sso}
    scopeId: ${v.prod}
    policyParameters:
      folderId: ${v.winter}
folderShares:
  dave-products:
    cloudName: acme-prod
    folderId: ${v.products}
    principalType: user
    principalId: ${v.dave}
    roles: [cld::role::folder::viewer]
principalRoles:
  erin-roles:
    principalType: user
    principalId: ${v.erin}
    roles:
      - roleId: cld::role::prodenv::ml_user
        scopeId: ${v.staging}
      - roleId: cld::role::folder::contributor
        scopeId: ${v.staging}
        policyParameters:
          folderId: ${v.sandbox}
`;
}

describe("end to end: names instead of ids", function () {
    this.timeout(300_000);
    let emulator: EmulatorHandle;
    before(async () => (emulator = await startEmulator(testEmulatorOptions())));
    after(async () => emulator?.stop());

    it("applies a file written with names, matches it to the ids, previews the same file by ids as no change, and refuses a misspelt email", async () => {
        const ctx = contextFor(emulator);
        const sso = await ctx.provisioning.createUserGroup("SSO designers");
        const byName = file({
            bob: "bob@acme.example",
            erin: "erin@acme.example",
            dave: "Dave@Acme.Example",
            prod: "acme-prod",
            staging: "acme-staging",
            winter: "marketing/campaigns/winter-2026",
            products: "products",
            sandbox: "sandbox",
            sso: "SSO designers",
            editors: "Photo editors", // the name of a group this file declares: it refers to that group
        });
        const { stack, write } = await gitopsStack(emulator, byName);
        await stack.up();

        // The live account holds exactly what the names mean.
        const editors = (await ctx.provisioning.listUserGroups(true)).find((g) => g.name === "Photo editors");
        assert.deepEqual(editors?.users?.map((u) => u.id).sort(), [ids.bob, ids.erin].sort());
        const reports = await ctx.permissions.listRolePrincipals("cld::role::prodenv::reports");
        assert.deepEqual(reports.map((p) => [p.type, p.id, p.scope_id]), [["group", editors?.id, ids.prod]]);
        const viewers = await ctx.permissions.listRolePrincipals("cld::role::folder::viewer");
        assert.ok(viewers.some((p) => p.type === "group" && p.id === sso.id && p.policy_parameters?.folder_id === ids.winter), JSON.stringify(viewers));
        const shared = await ctx.api.folders("acme-prod").folderRoles(ids.products);
        assert.ok(shared.some((h) => h.principalType === "user" && h.principalId === ids.dave && h.roles.some((r) => r.roleId === "cld::role::folder::viewer" && !r.inherited)), JSON.stringify(shared));
        const erin = await ctx.api.account.principalGrants({ principalType: "user", principalId: ids.erin });
        assert.deepEqual(erin.map((g) => [g.roleId, g.scopeId, g.policyParameters]).sort(), [
            ["cld::role::folder::contributor", ids.staging, { folderId: ids.sandbox }],
            ["cld::role::prodenv::ml_user", ids.staging, undefined],
        ]);
        await stack.preview(["--refresh", "--expect-no-changes"]);

        // The same declarations by id: nothing to do.
        write(file({ ...ids, sso: sso.id as string, editors: "editors" }));
        await stack.preview(["--expect-no-changes"]);
        await emulator.resetStats();
        await stack.up();
        assert.equal((await emulator.stats()).writes, 0, "the same grants by id: no write");

        // A misspelt email: the preview fails, names the field and the closest email, and nothing is written.
        write(byName.replace("bob@acme.example", "bob@acme.exmaple"));
        await emulator.resetStats();
        const refused = await stack.preview([], 1);
        assert.match(refused.stdout + refused.stderr, /memberIds\[0\] 'bob@acme\.exmaple' is not a user of this account, by id or by email; did you mean 'bob@acme\.example'\?/);
        assert.equal((await emulator.stats()).writes, 0);
    });
});

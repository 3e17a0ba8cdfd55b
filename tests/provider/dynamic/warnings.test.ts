// The run's warnings as the provider works them out: resources checked as the engine checks them, against the
// emulator, then the warnings of the run (what the engine's shutdown sends, see engineLog.ts).
import * as assert from "node:assert/strict";
import { unknownValue } from "@pulumi/pulumi/runtime/rpc";
import type { ProviderContext } from "../../../provider/context";
import { resetRunWarnings, runWarnings, RunWarning, sendWarnings } from "../../../provider/dynamic/warnings";
import { customRole } from "../../../provider/resources/customRole";
import { folderShare } from "../../../provider/resources/folderShare";
import { group } from "../../../provider/resources/group";
import { principalRoles } from "../../../provider/resources/principalRoles";
import { roleAssignment } from "../../../provider/resources/roleAssignment";
import { BOB, EffectsAccount, ERIN, PROD, PROD_KEY, PRODUCTS_FOLDER, SANDBOX_FOLDER, setUpEffectsAccount, STAGING, STAGING_KEY } from "../../../harness/grantEffects";
import { useEmulator, withProvider } from "../../fixture";

type Declared = readonly [{ handler(c: ProviderContext): { check(olds: object, news: object): Promise<{ failures?: unknown[] }> } }, object];

describe("warnings of a run (against the emulator)", () => {
    const fx = useEmulator();
    let account: EffectsAccount;
    let ctx: ProviderContext;

    beforeEach(async () => {
        account = await setUpEffectsAccount(fx.emulator, fx.context());
        resetRunWarnings();
        ctx = fx.context();
    });

    /** Checks new resources (no old inputs), in order, and fails on a check failure. */
    async function declare(...resources: Declared[]) {
        for (const [definition, inputs] of resources) {
            const { failures } = await definition.handler(ctx).check({}, withProvider(inputs));
            assert.deepEqual(failures, [], JSON.stringify(inputs));
        }
    }

    const warnings = async () => (await runWarnings()) as RunWarning[];
    const groupRole = () => [roleAssignment, { roleId: "cld::role::prodenv::ml_user", principalType: "group", principalId: account.designersId, scopeId: PROD }] as const;
    const keyFolderRole = [roleAssignment, { roleId: "cld::role::folder::viewer", principalType: "apiKey", principalId: PROD_KEY, scopeId: PROD, policyParameters: { folderId: PRODUCTS_FOLDER } }] as const;
    const moderators = [customRole, { name: "Moderators", permissionType: "global", scopeType: "prodenv", systemPolicyIds: ["cld::policy::global::assets::moderate"] }] as const;
    const consoleOnKey = () => [roleAssignment, { roleId: account.errorWatchId, principalType: "apiKey", principalId: STAGING_KEY, scopeId: STAGING }] as const;

    it("gives each of the four warnings on the resource that causes it, naming the principals", async () => {
        await declare(groupRole(), keyFolderRole, moderators, consoleOnKey());
        const found = await warnings();
        assert.deepEqual(
            found.map((w) => [w.label.split(" ")[0], w.code]),
            [
                ["RoleAssignment", "group-member-without-environment"],
                ["RoleAssignment", "content-role-key-without-media-library"],
                ["CustomRole", "partial-task"],
                ["RoleAssignment", "console-only-role-on-key"],
            ],
        );
        assert.match(found[0].message, /^group Designers holds Media Library User \(cld::role::prodenv::ml_user\) in acme-prod, but Erin Contractor <erin@acme\.example> cannot enter acme-prod/);
        assert.doesNotMatch(found[0].message, /Bob/);
        assert.match(found[1].message, /^API key 820000000000002 holds the content role Viewer .* in acme-prod, but no global role with Access the Media Library/);
        assert.match(found[2].message, /^custom role Moderators holds part of a task/);
        assert.match(found[3].message, /^API key 830000000000002 holds Error watch \(.*\) in acme-staging, whose permissions are all Console areas/);
        // In-process there is no engine: nothing was sent, the warnings are only worked out when asked for.
        const sent: [string, string | undefined][] = [];
        await sendWarnings({ warn: async (m, urn) => void sent.push([m, urn]) });
        assert.equal(sent.length, 4);
        assert.match(sent[0][0], /^RoleAssignment cld::role::prodenv::ml_user\|group\|.*: group-member-without-environment: group Designers/);
    });

    it("counts grants declared later in the run, and folder shares, and a folder role on a key with Media Library access is fine", async () => {
        const share = [folderShare, { cloudName: "acme-staging", folderId: SANDBOX_FOLDER, principalType: "apiKey", principalId: STAGING_KEY, roles: ["cld::role::folder::viewer"] }] as const;
        const mediaLibraryLater = [roleAssignment, { roleId: account.uploaderId, principalType: "apiKey", principalId: STAGING_KEY, scopeId: STAGING }] as const;
        await declare(share, mediaLibraryLater);
        assert.deepEqual(await warnings(), []);
        resetRunWarnings();
        ctx = fx.context();
        await declare(share);
        assert.deepEqual((await warnings()).map((w) => [w.label.split(" ")[0], w.code]), [["FolderShare", "content-role-key-without-media-library"]]);
    });

    it("uses a Group's declared members over the live ones, and warns on a Group whose new member cannot enter", async () => {
        await declare(groupRole(), [group, { name: "Designers", memberIds: [BOB] }]);
        assert.deepEqual(await warnings(), [], "Erin is no longer a member");
        resetRunWarnings();
        ctx = fx.context();
        // The grant exists and is unchanged; the group's change adds Erin.
        await ctx.api.account.changeHolders("cld::role::prodenv::ml_user", "add", [{ principalType: "group", principalId: account.designersId, scopeId: PROD }]);
        const [kind, inputs] = groupRole();
        await kind.handler(ctx).check(withProvider(inputs), withProvider(inputs));
        await group.handler(ctx).check(withProvider({ name: "Designers", memberIds: [BOB] }), withProvider({ name: "Designers", memberIds: [BOB, ERIN] }));
        const found = await warnings();
        assert.deepEqual(found.map((w) => [w.label, w.code]), [["Group Designers", "group-member-without-environment"]]);
    });

    it("says nothing about a grant whose role a preview does not know yet, nor about an authoritative declaration that gives the key Media Library access", async () => {
        await declare(keyFolderRole, [roleAssignment, { roleId: unknownValue, principalType: "apiKey", principalId: PROD_KEY, scopeId: PROD }]);
        assert.deepEqual(await warnings(), []);
        resetRunWarnings();
        ctx = fx.context();
        await declare([principalRoles, { principalType: "apiKey", principalId: PROD_KEY, roles: [{ roleId: "cld::role::prodenv::ml_user", scopeId: PROD }, { roleId: "cld::role::folder::viewer", scopeId: PROD, policyParameters: { folderId: PRODUCTS_FOLDER } }] }]);
        assert.deepEqual(await warnings(), []);
    });

    it("looks only at resources whose inputs changed: an unchanged run reads nothing and warns about nothing", async () => {
        const all = [groupRole(), keyFolderRole, moderators, consoleOnKey()];
        for (const [definition, inputs] of all) await definition.handler(ctx).check(withProvider(inputs), withProvider(inputs));
        await fx.emulator.resetStats();
        assert.deepEqual(await warnings(), []);
        assert.equal((await fx.emulator.stats()).total, 0);
    });

    it("reads once per run what the warnings need, not once per grant", async () => {
        const manyGrants = ["fmarketing0000000000000000000001", "fcampaigns0000000000000000000002", "fcreative00000000000000000000004", PRODUCTS_FOLDER].flatMap((folderId) => [
            [roleAssignment, { roleId: "cld::role::folder::viewer", principalType: "apiKey", principalId: PROD_KEY, scopeId: PROD, policyParameters: { folderId } }] as const,
            [roleAssignment, { roleId: "cld::role::folder::viewer", principalType: "group", principalId: account.designersId, scopeId: PROD, policyParameters: { folderId } }] as const,
        ]);
        fx.emulator.setPageSize(1000); // every listing on one page, for the count below
        await declare(...manyGrants);
        await fx.emulator.resetStats();
        const found = await warnings();
        assert.equal(found.length, 8);
        // The checks read the catalog, the product environments and the groups with their members (the run's
        // directory, which the warnings share); the warnings add these.
        assert.deepEqual((await fx.emulator.stats()).byRoute, {
            "GET /v2/accounts/:account_id/permissions/principal_roles": 1, // the key's global roles
            // the users, and who can enter acme-prod: two listings, each read until an empty page (2 requests)
            "GET /v1_1/provisioning/accounts/:account_id/users": 4,
        });
    });

    it("leaves out silenced codes, and reads nothing when all are silenced", async () => {
        ctx = fx.context({ silencedWarnings: ["partial-task", "console-only-role-on-key"] });
        await declare(groupRole(), keyFolderRole, moderators, consoleOnKey());
        assert.deepEqual((await warnings()).map((w) => w.code), ["group-member-without-environment", "content-role-key-without-media-library"]);
        resetRunWarnings();
        ctx = fx.context({ silencedWarnings: "all" });
        await declare(groupRole(), keyFolderRole, moderators, consoleOnKey());
        await fx.emulator.resetStats();
        assert.deepEqual(await warnings(), []);
        assert.equal((await fx.emulator.stats()).total, 0);
    });
});

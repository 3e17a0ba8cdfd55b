// FolderShare against the in-process emulator: check, the lifecycle, inheritance, adopt and drift.
import * as assert from "node:assert/strict";
import { folderShare, parseFolderShareId } from "../../../provider/resources/folderShare";
import { useEmulator, withProvider } from "../../fixture";

const MARKETING = "fmarketing0000000000000000000001";
const CAMPAIGNS = "fcampaigns0000000000000000000002"; // marketing/campaigns
const BOB = "u0bob000000000000000000000002";
const share = { cloudName: "acme-prod", folderId: CAMPAIGNS, principalType: "user", principalId: BOB, roles: ["cld::role::folder::viewer"] };

describe("FolderShare (against the emulator)", () => {
    const fx = useEmulator();
    const handler = () => folderShare.handler(fx.context());

    describe("check", () => {
        const bad: [string, object, string, RegExp][] = [
            ["a product environment without Admin API credentials", { cloudName: "acme-dev" }, "cloudName", /No Admin API credentials for product environment 'acme-dev'.*Configured product environments: acme-prod, acme-staging/],
            ["a global role", { roles: ["cld::role::prodenv::reports"] }, "roles", /roles\[0\] 'cld::role::prodenv::reports' is not a folder role/],
            ["a misspelt folder role", { roles: ["cld::role::folder::veiwer"] }, "roles", /did you mean 'cld::role::folder::viewer'/],
            ["a folder that does not exist", { folderId: "fnope" }, "folderId", /no folder with external id or path 'fnope' in product environment 'acme-prod'/],
            ["a provisioning key (schema)", { principalType: "provisioningKey" }, "principalType", /one of 'user', 'group', 'apiKey'/],
        ];
        for (const [what, change, property, reason] of bad) {
            it(`rejects ${what} without writing anything`, async () => {
                const { failures } = await handler().check({}, withProvider({ ...share, ...change }));
                assert.ok(failures?.some((f) => f.property === property && reason.test(f.reason)), JSON.stringify(failures));
                assert.equal(await fx.writes(), 0);
            });
        }
        it("accepts a valid share", async () => assert.deepEqual((await handler().check({}, withProvider(share))).failures, []));
    });

    it("shares, reads, changes roles in place and unshares", async () => {
        const h = handler();
        await fx.emulator.resetStats();
        const created = await h.create(withProvider(share));
        assert.equal((await fx.emulator.stats()).writes, 1);
        assert.equal(created.id, `acme-prod|${CAMPAIGNS}|user|${BOB}`);
        const read = await h.read(created.id, created.outs);
        assert.equal((await h.diff(created.id, read.props, share)).changes, false);

        const more = { ...share, roles: ["cld::role::folder::contributor"] };
        assert.deepEqual((await h.diff(created.id, read.props, more)).replaces, []);
        await h.update(created.id, read.props, more);
        assert.deepEqual((await h.read(created.id, read.props)).props.roles, ["cld::role::folder::contributor"]);

        await h.delete(created.id, more);
        assert.equal((await h.read(created.id, more)).id, "");
    });

    it("ignores roles inherited from a parent folder", async () => {
        const ctx = fx.context();
        await ctx.admin("acme-prod").changeFolderRoles(MARKETING, { type: "user", id: BOB }, "add", ["cld::role::folder::manager"]);
        const h = folderShare.handler(ctx);
        const created = await h.create(withProvider(share));
        assert.deepEqual((await h.read(created.id, created.outs)).props.roles, ["cld::role::folder::viewer"]);
        await h.delete(created.id, created.outs);
        assert.equal((await h.read(created.id, created.outs)).id, "", "only the inherited role is left, which is not this share");
    });

    it("refuses to take over other roles unless adopt is set, then converges them", async () => {
        const ctx = fx.context();
        await ctx.admin("acme-prod").changeFolderRoles(CAMPAIGNS, { type: "user", id: BOB }, "add", ["cld::role::folder::manager"]);
        await assert.rejects(folderShare.handler(ctx).create(withProvider(share)), /already holds cld::role::folder::manager on this folder.*Set adopt: true/);
        const adopted = await folderShare.handler(ctx).create(withProvider({ ...share, adopt: true }));
        assert.deepEqual((await folderShare.handler(ctx).read(adopted.id, adopted.outs)).props.roles, ["cld::role::folder::viewer"]);
    });

    it("reports a share revoked out of band as gone, and reads one by id alone (static get)", async () => {
        const ctx = fx.context();
        const h = folderShare.handler(ctx);
        const created = await h.create(withProvider(share));
        const got = await folderShare.handler(ctx).read(created.id, withProvider({}));
        assert.deepEqual(got.props.roles, share.roles);
        await ctx.admin("acme-prod").changeFolderRoles(CAMPAIGNS, { type: "user", id: BOB }, "remove", share.roles);
        assert.equal((await h.read(created.id, created.outs)).id, "");
        assert.throws(() => parseFolderShareId("acme-prod|f"), /expected cloudName\|folderId\|principalType\|principalId/);
    });
});

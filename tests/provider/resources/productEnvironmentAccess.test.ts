// ProductEnvironmentAccess against the in-process emulator: check (names, master admins, 'all'), the lifecycle, drift.
// Ids are the seeded account's (emulator/README.md), written by hand.
import * as assert from "node:assert/strict";
import { productEnvironmentAccess } from "../../../provider/resources/productEnvironmentAccess";
import { useEmulator, withProvider } from "../../fixture";

const BOB = "u0bob000000000000000000000002";
const PROD = "pe0prod000000000000000000000001";
const STAGING = "pe0stag000000000000000000000002";

describe("ProductEnvironmentAccess (against the emulator)", () => {
    const fx = useEmulator();
    const handler = () => productEnvironmentAccess.handler(fx.context());
    const live = async (userId: string) => (await fx.context().provisioning.listUserProductEnvironments(userId)).map((pe) => pe.id).sort();

    describe("check", () => {
        const bad: [string, object, string, RegExp][] = [
            ["a master admin", { userId: "alice@acme.example" }, "userId", /alice@acme\.example is a master admin, who enters every product environment: Cloudinary ignores sub_account_ids for master admins/],
            ["'all' beside other product environments", { productEnvironmentIds: ["all", "acme-prod"] }, "productEnvironmentIds", /lists 'all' with other product environments/],
            ["a misspelt cloud name", { productEnvironmentIds: ["acme-prd"] }, "productEnvironmentIds", /productEnvironmentIds\[0\] 'acme-prd' is not a product environment of this account, by id or by cloud name; did you mean 'acme-prod'\?/],
            ["a misspelt email", { userId: "bob@acme.exampel" }, "userId", /'bob@acme\.exampel' is not a user of this account, by id or by email; did you mean 'bob@acme\.example'\?/],
            ["no product environment at all", { productEnvironmentIds: [] }, "productEnvironmentIds", /must list at least 1 item/],
        ];
        for (const [what, change, property, reason] of bad) {
            it(`rejects ${what} without writing anything`, async () => {
                const { failures } = await handler().check({}, withProvider({ userId: "bob@acme.example", productEnvironmentIds: ["acme-prod"], ...change }));
                assert.ok(failures?.some((f) => f.property === property && reason.test(f.reason)), JSON.stringify(failures));
                assert.equal(await fx.writes(), 0);
            });
        }

        it("binds an email and cloud names to ids", async () => {
            const { failures, inputs } = await handler().check({}, withProvider({ userId: "bob@acme.example", productEnvironmentIds: ["acme-staging", "acme-prod"] }));
            assert.deepEqual(failures, []);
            assert.equal(inputs.userId, BOB);
            assert.deepEqual(inputs.productEnvironmentIds, [STAGING, PROD]);
        });
    });

    it("creates, reads, finds drift, updates, and gives every product environment back on delete", async () => {
        const h = handler();
        const { inputs } = await h.check({}, withProvider({ userId: "bob@acme.example", productEnvironmentIds: ["acme-prod"] }));
        await fx.emulator.resetStats();
        const created = await h.create(inputs);
        assert.equal(created.id, BOB);
        assert.equal(await fx.writes(), 1);
        assert.deepEqual(await live(BOB), [PROD]);
        assert.deepEqual(created.outs.names, { [BOB]: "bob@acme.example", [PROD]: "acme-prod" });

        const read = await h.read(created.id, created.outs);
        assert.deepEqual(read.props.productEnvironmentIds, [PROD]);
        assert.equal((await h.diff(created.id, read.props, inputs)).changes, false);

        // Someone gives Bob staging in the Console: both product environments of the account, which is all of them.
        await fx.context().provisioning.updateUser(BOB, { sub_account_ids: [PROD, STAGING] });
        const drifted = await productEnvironmentAccess.handler(fx.context()).read(created.id, read.props);
        assert.deepEqual(drifted.props.productEnvironmentIds, ["all"]);
        assert.equal((await h.diff(created.id, drifted.props, inputs)).changes, true);

        await h.update(created.id, drifted.props, { ...inputs, productEnvironmentIds: [STAGING] });
        assert.deepEqual(await live(BOB), [STAGING]);

        await h.delete(created.id, { userId: BOB, productEnvironmentIds: [STAGING] });
        assert.deepEqual(await live(BOB), [PROD, STAGING].sort());
        const after = await productEnvironmentAccess.handler(fx.context()).read(created.id, {});
        assert.deepEqual(after.props.productEnvironmentIds, ["all"]);
    });

    it("declares 'all' as every product environment, and writes nothing when that is already so", async () => {
        const h = handler();
        const { inputs } = await h.check({}, withProvider({ userId: BOB, productEnvironmentIds: ["all"] }));
        await fx.emulator.resetStats();
        const created = await h.create(inputs);
        assert.deepEqual(created.outs.productEnvironmentIds, ["all"]);
        assert.equal(await fx.writes(), 0, "a seeded user may enter every product environment already");
    });
});

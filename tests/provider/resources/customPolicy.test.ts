// CustomPolicy against the in-process emulator: the local Cedar check, create, read, update, replace, delete,
// adopt, drift, and idempotent create and delete.
import * as assert from "node:assert/strict";
import { FOLDERS, PROD, USERS } from "../../../emulator/seed";
import { customPolicy } from "../../../provider/resources/customPolicy";
import { useEmulator, withProvider } from "../../fixture";

const statement = (action = "read") =>
    `permit(\n  principal == Cloudinary::User::"${USERS.carol.id}",\n  action == Cloudinary::Action::"${action}",\n  resource is Cloudinary::Folder\n) when { resource.ancestor_ids.contains("${FOLDERS.products.id}") };`;

const readProducts = { name: "Carol reads products", description: "Audit access", scopeType: "prodenv", scopeId: PROD.id, policyStatement: statement() };

describe("CustomPolicy (against the emulator)", () => {
    const fx = useEmulator();
    const handler = () => customPolicy.handler(fx.context());

    describe("check", () => {
        // [what, change, reason]
        const bad: [string, object, RegExp][] = [
            ["a syntax error", { policyStatement: statement().replace("action ==", "action =") }, /^line 3, column 3 of the statement: '=' is not a valid operator in Cedar; try using '==' instead/],
            ["a misspelt action, with the fix", { policyStatement: statement("raed") }, /^line 3, column 13 of the statement: unrecognized action `Cloudinary::Action::"raed"`; did you mean `Cloudinary::Action::"read"`\?/],
            ["an unknown entity type, with the fix", { policyStatement: statement().replace("Cloudinary::Folder\n", "Cloudinary::Foldr\n") }, /^line 4, column 15 of the statement: unrecognized entity type `Cloudinary::Foldr`; did you mean `Cloudinary::Folder`\?/],
            ["an unknown user named in the statement", { policyStatement: statement().replace(USERS.carol.id, "u0nobody00000000000000000000099") }, /^line 2, column 16 of the statement: 'u0nobody00000000000000000000099' is not a user of this account/],
            ["an unknown folder named in the statement", { policyStatement: statement().replace(FOLDERS.products.id, "fnotafolder000000000000000000099") }, /^line 5, column 19 of the statement: no folder with external id 'fnotafolder000000000000000000099' in acme-prod/],
        ];
        for (const [what, change, reason] of bad) {
            it(`rejects ${what} at the statement's line and column, writing nothing`, async () => {
                const { failures } = await handler().check({}, withProvider({ ...readProducts, ...change }));
                assert.ok(failures?.some((f) => f.property === "policyStatement" && reason.test(f.reason)), JSON.stringify(failures));
                assert.equal(await fx.writes(), 0);
            });
        }

        it("checks the scope: prodenv takes an id or a cloud name (bound to the id), account refuses one", async () => {
            const prodenv = await handler().check({}, withProvider({ ...readProducts, scopeId: "acme-prod" }));
            assert.deepEqual(prodenv.failures, []);
            assert.equal(prodenv.inputs.scopeId, "pe0prod000000000000000000000001");
            const unknown = await handler().check({}, withProvider({ ...readProducts, scopeId: "acme-prd" }));
            assert.match(JSON.stringify(unknown.failures), /'acme-prd' is not a product environment of this account, by id or by cloud name; did you mean 'acme-prod'/);
            const account = await handler().check({}, withProvider({ ...readProducts, scopeType: "account" }));
            assert.match(JSON.stringify(account.failures), /scopeId.*must not be set/);
        });

        it("reads the Cedar schema once per process, and nothing when the statement and scope did not change", async () => {
            const h = handler();
            await fx.emulator.resetStats();
            assert.deepEqual((await h.check({}, withProvider(readProducts))).failures, []);
            assert.deepEqual((await h.check({}, withProvider({ ...readProducts, policyStatement: statement("update") }))).failures, []);
            const stats = await fx.emulator.stats();
            assert.equal(stats.byRoute["GET /v2/accounts/permissions/public/schema"], 1);
            await fx.emulator.resetStats();
            assert.deepEqual((await h.check(withProvider(readProducts), withProvider({ ...readProducts, name: "Renamed" }))).failures, []);
            assert.equal((await fx.emulator.stats()).total, 0);
        });
    });

    it("creates, reads, updates the statement in place, replaces on other changes, and deletes", async () => {
        const h = handler();
        const created = await h.create(withProvider(readProducts));
        assert.equal(created.outs.policyId, created.id);
        assert.equal(created.outs.enabled, undefined, "enabled left out means true");
        const read = await h.read(created.id, created.outs);
        assert.equal((await h.diff(created.id, read.props, readProducts)).changes, false, "no diff right after a refresh");

        const newStatement = { ...readProducts, policyStatement: statement("update") };
        assert.deepEqual((await h.diff(created.id, read.props, newStatement)).replaces, []);
        await h.update(created.id, read.props, newStatement);
        assert.match((await h.read(created.id, read.props)).props.policyStatement, /"update"/);

        const disabled = await h.diff(created.id, read.props, { ...newStatement, enabled: false });
        assert.deepEqual(disabled.replaces, ["enabled"]);
        assert.equal(disabled.deleteBeforeReplace, true);

        await h.delete(created.id, read.props);
        assert.equal((await h.read(created.id, read.props)).id, "");
        await h.delete(created.id, read.props); // already gone is success
    });

    it("reads a policy by id alone (static get)", async () => {
        const created = await handler().create(withProvider(readProducts));
        const got = await handler().read(created.id, withProvider({}));
        assert.equal(got.props.name, readProducts.name);
        assert.equal(got.props.scopeId, PROD.id);
    });

    it("finds drift on refresh (disabled in the Console), and a policy deleted out of band is gone", async () => {
        const ctx = fx.context();
        const h = customPolicy.handler(ctx);
        const created = await h.create(withProvider(readProducts));
        await ctx.api.policies.update(created.id, { ...readProducts, scopeType: "prodenv", policyStatement: statement("update"), enabled: false });
        const refreshed = await h.read(created.id, created.outs);
        const drift = await h.diff(created.id, refreshed.props, readProducts);
        assert.equal(drift.changes, true);
        assert.deepEqual(drift.replaces, ["enabled"]);
        await ctx.api.policies.delete(created.id);
        assert.equal((await h.read(created.id, refreshed.props)).id, "");
    });

    it("takes over an identical existing policy with a warning; a different one only with adopt", async () => {
        const ctx = fx.context();
        const existing = await ctx.api.policies.create({ ...readProducts, scopeType: "prodenv" });
        const created = await customPolicy.handler(ctx).create(withProvider(readProducts));
        assert.equal(created.id, existing.id);
        assert.ok(fx.warnings.some((w) => /already existed; it is now managed by this stack/.test(w)), fx.warnings.join("\n"));

        const renamed = { ...readProducts, name: "Another name" };
        await assert.rejects(customPolicy.handler(ctx).create(withProvider(renamed)), /differs in name\. Set adopt: true/);
        const adopted = await customPolicy.handler(ctx).create(withProvider({ ...renamed, adopt: true }));
        assert.equal(adopted.outs.name, "Another name");
        assert.deepEqual((await ctx.api.policies.list("prodenv", PROD.id)).map((p) => p.name), ["Another name"], "one policy, renamed");
    });

    it("converges when the create's reply is lost after the commit: one policy, no warning", async () => {
        const ctx = fx.context();
        fx.emulator.setFaults({ rate: 0, statuses: [500], dropAfterCommitRate: 1 });
        const created = await customPolicy.handler(ctx).create(withProvider(readProducts));
        fx.emulator.clearFaults();
        assert.deepEqual((await ctx.api.policies.list("prodenv", PROD.id)).map((p) => p.id), [created.id]);
        assert.deepEqual(fx.warnings, []);
    });
});

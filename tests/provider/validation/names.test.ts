// Names where people use names: emails, group names, cloud names and folder paths are resolved at check to the
// ids of the seeded account (emulator/seed.ts, whose ids are written here by hand), and bind the resource to them.
import * as assert from "node:assert/strict";
import { folderShare } from "../../../provider/resources/folderShare";
import { principalRoles } from "../../../provider/resources/principalRoles";
import { roleAssignment } from "../../../provider/resources/roleAssignment";
import { useEmulator, withProvider } from "../../fixture";

const PROD = "pe0prod000000000000000000000001";
const CAROL = "u0carol0000000000000000000003";
const WINTER = "fwinter2026000000000000000000003";
const PRODUCTS = "fproducts0000000000000000000006";

const byId = { roleId: "cld::role::folder::viewer", principalType: "user", principalId: CAROL, scopeId: PROD, policyParameters: { folderId: WINTER } };
const byName = { ...byId, principalId: "carol@acme.example", scopeId: "acme-prod", policyParameters: { folderId: "marketing/campaigns/winter-2026" } };

describe("names instead of ids (against the emulator)", () => {
    const fx = useEmulator();

    it("binds a grant written with an email, a cloud name and a folder path to their ids, and keeps the names", async () => {
        const { failures, inputs } = await roleAssignment.handler(fx.context()).check({}, withProvider(byName));
        assert.deepEqual(failures, []);
        assert.deepEqual({ principalId: inputs.principalId, scopeId: inputs.scopeId, policyParameters: inputs.policyParameters }, { principalId: CAROL, scopeId: PROD, policyParameters: { folderId: WINTER } });
        assert.deepEqual(inputs.__names, { [CAROL]: "carol@acme.example", [PROD]: "acme-prod", [WINTER]: "marketing/campaigns/winter-2026" });
        assert.equal(await fx.writes(), 0);
    });

    it("a grant created by id and written again by name is no change: empty diff, nothing written", async () => {
        const h = roleAssignment.handler(fx.context());
        const checked = await h.check({}, withProvider(byId));
        const created = await h.create(checked.inputs);
        assert.deepEqual(created.outs.names, { [CAROL]: "carol@acme.example", [PROD]: "acme-prod", [WINTER]: "marketing/campaigns/winter-2026" }, "names and ids together in the outputs");
        await fx.emulator.resetStats();
        const again = await roleAssignment.handler(fx.context()).check(checked.inputs, withProvider(byName));
        assert.deepEqual(again.failures, []);
        const diff = await h.diff(created.id, created.outs, again.inputs);
        assert.equal(diff.changes, false);
        assert.equal(await fx.writes(), 0);
    });

    it("takes a group by name, and suggests the closest name for a misspelt one", async () => {
        const group = await fx.context().provisioning.createUserGroup("Designers");
        const grant = { roleId: "cld::role::prodenv::reports", principalType: "group", principalId: "Designers", scopeId: "all" };
        const h = roleAssignment.handler(fx.context());
        assert.equal((await h.check({}, withProvider(grant))).inputs.principalId, group.id);
        const { failures } = await h.check({}, withProvider({ ...grant, principalId: "Desingers" }));
        assert.ok(failures?.some((f) => f.property === "principalId" && /'Desingers' is not a user group of this account, by id or by name; did you mean 'Designers'\?/.test(f.reason)), JSON.stringify(failures));
    });

    it("resolves a FolderShare's folder path inside its product environment", async () => {
        const share = { cloudName: "acme-prod", folderId: "products", principalType: "user", principalId: "bob@acme.example", roles: ["cld::role::folder::viewer"] };
        const { failures, inputs } = await folderShare.handler(fx.context()).check({}, withProvider(share));
        assert.deepEqual(failures, []);
        assert.equal(inputs.folderId, PRODUCTS);
        assert.equal(inputs.principalId, "u0bob000000000000000000000002");
        const wrongEnvironment = await folderShare.handler(fx.context()).check({}, withProvider({ ...share, cloudName: "acme-staging" }));
        assert.ok(wrongEnvironment.failures?.some((f) => f.property === "folderId" && /no folder with external id or path 'products' in product environment 'acme-staging'/.test(f.reason)), JSON.stringify(wrongEnvironment.failures));
    });

    it("a top folder named by path in many grants of a run is read once by path, and by id (it is not one) at most once more than needed", async () => {
        const ctx = fx.context();
        const share = { cloudName: "acme-prod", folderId: "products", principalType: "user", principalId: "bob@acme.example", roles: ["cld::role::folder::viewer"] };
        await fx.emulator.resetStats();
        const checked = await Promise.all([0, 1, 2, 3, 4, 5].map(() => folderShare.handler(ctx).check({}, withProvider(share))));
        assert.deepEqual(checked.map((c) => c.inputs.folderId), new Array(6).fill(PRODUCTS));
        const stats = await fx.emulator.stats();
        // Concurrent misses by id may take a second read (a no is only trusted from a read begun after the question).
        assert.ok(stats.byRoute["PUT /v1_1/:cloud_name/folders/by_id"] <= 2, JSON.stringify(stats.byRoute));
        assert.equal(stats.byRoute["PUT /v1_1/:cloud_name/folders/by_path"], 1);
        await fx.emulator.resetStats();
        const later = await folderShare.handler(ctx).check({}, withProvider({ ...share, principalId: "carol@acme.example" }));
        assert.equal(later.inputs.folderId, PRODUCTS);
        assert.equal((await fx.emulator.stats()).byRoute["PUT /v1_1/:cloud_name/folders/by_id"] ?? 0, 0, "known by path: no read by id");
    });

    it("resolves names inside a PrincipalRoles list, naming the entry of a bad one", async () => {
        const roles = [{ roleId: "cld::role::prodenv::reports", scopeId: "acme-staging" }, { roleId: "cld::role::folder::viewer", scopeId: "acme-prod", policyParameters: { folderId: "creative/brand-asets" } }];
        const h = principalRoles.handler(fx.context());
        const { failures } = await h.check({}, withProvider({ principalType: "user", principalId: "erin@acme.example", roles }));
        assert.ok(failures?.some((f) => f.property === "roles" && /^roles\[1\]\.policyParameters\.folderId no folder with external id or path 'creative\/brand-asets' in product environment 'acme-prod'; did you mean 'creative\/brand-assets'\?/.test(f.reason)), JSON.stringify(failures));
        const fixed = await h.check({}, withProvider({ principalType: "user", principalId: "erin@acme.example", roles: [roles[0]] }));
        assert.deepEqual(fixed.failures, []);
        assert.deepEqual(fixed.inputs.roles, [{ roleId: "cld::role::prodenv::reports", scopeId: "pe0stag000000000000000000000002" }]);
        assert.equal(fixed.inputs.principalId, "u0erin00000000000000000000005");
    });

    it("refuses a folder path it cannot resolve without the product environment's Admin API credentials, naming the setting", async () => {
        const ctx = fx.context({ productEnvironments: {} });
        const { failures } = await roleAssignment.handler(ctx).check({}, withProvider(byName));
        assert.ok(failures?.some((f) => f.property === "policyParameters" && /'marketing\/campaigns\/winter-2026' is a folder path, and resolving it needs the Admin API credentials of product environment 'acme-prod'/.test(f.reason)), JSON.stringify(failures));
    });

    it("looks nothing up for ids the previous check already resolved (an unchanged stack)", async () => {
        const h = roleAssignment.handler(fx.context());
        const checked = await h.check({}, withProvider(byName));
        await fx.emulator.resetStats();
        const again = await roleAssignment.handler(fx.context()).check(checked.inputs, withProvider(byId));
        assert.deepEqual(again.failures, []);
        assert.equal((await fx.emulator.stats()).total, 0);
        assert.deepEqual(again.inputs.__names, checked.inputs.__names, "the names carried over from the previous check");
    });
});

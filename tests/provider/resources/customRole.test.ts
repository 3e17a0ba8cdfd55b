// CustomRole against the in-process emulator: check, create, read, update, replace, delete, adopt, drift.
import * as assert from "node:assert/strict";
import { customRole } from "../../../provider/resources/customRole";
import { useEmulator, withProvider } from "../../fixture";

const uploadManager = {
    name: "Upload manager",
    description: "Manage upload settings and upload assets.",
    permissionType: "global",
    scopeType: "prodenv",
    systemPolicyIds: ["cld::policy::global::upload_presets::manage", "cld::policy::global::folder_and_asset_management::create_asset"],
};

describe("CustomRole (against the emulator)", () => {
    const fx = useEmulator();
    const handler = () => customRole.handler(fx.context());

    describe("check", () => {
        // [what, inputs, property, reason]
        const bad: [string, object, string, RegExp][] = [
            ["a misspelt policy id", { systemPolicyIds: ["cld::policy::global::upload_presets::manag"] }, "systemPolicyIds", /is not a Cloudinary system policy; did you mean 'cld::policy::global::upload_presets::manage'/],
            ["a content policy in a global role", { systemPolicyIds: ["cld::policy::content::folder::add_assets"] }, "systemPolicyIds", /is a content policy and cannot be part of a global role/],
            ["an account policy in a prodenv role", { systemPolicyIds: ["cld::policy::global::users_and_groups::manage"] }, "systemPolicyIds", /applies at the account level and cannot be part of a prodenv-scoped role/],
            ["a collection policy in a custom content role", { permissionType: "content", systemPolicyIds: ["cld::policy::content::collection::add_assets"] }, "systemPolicyIds", /no custom collection roles/],
            ["a bad enum (schema)", { scopeType: "product" }, "scopeType", /one of 'account', 'prodenv'/],
        ];
        for (const [what, change, property, reason] of bad) {
            it(`rejects ${what} without writing anything`, async () => {
                const { failures } = await handler().check({}, withProvider({ ...uploadManager, ...change }));
                assert.ok(failures?.some((f) => f.property === property && reason.test(f.reason)), JSON.stringify(failures));
                assert.equal(await fx.writes(), 0);
            });
        }

        it("accepts valid inputs and reads the catalog once per process", async () => {
            const h = handler();
            await fx.emulator.resetStats();
            assert.deepEqual((await h.check({}, withProvider(uploadManager))).failures, []);
            assert.deepEqual((await h.check({}, withProvider({ ...uploadManager, name: "Other" }))).failures, []);
            assert.equal((await fx.emulator.stats()).total, 1);
        });

        it("makes no API call when the inputs it checks against the catalog did not change", async () => {
            const h = handler();
            await fx.emulator.resetStats();
            const result = await h.check(withProvider(uploadManager), withProvider({ ...uploadManager, name: "Renamed" }));
            assert.deepEqual(result.failures, []);
            assert.equal((await fx.emulator.stats()).total, 0);
        });
    });

    it("creates, reads, updates in place and deletes", async () => {
        const h = handler();
        const created = await h.create(withProvider(uploadManager));
        assert.ok(created.id);
        assert.equal(created.outs.roleId, created.id);

        const read = await h.read(created.id, created.outs);
        assert.equal(read.id, created.id);
        assert.deepEqual((await h.diff(created.id, read.props, uploadManager)).changes, false, "no diff right after a refresh");

        const more = { ...uploadManager, name: "Upload lead", systemPolicyIds: [...uploadManager.systemPolicyIds, "cld::policy::global::ml::access"] };
        const planned = await h.diff(created.id, read.props, more);
        assert.equal(planned.changes, true);
        assert.deepEqual(planned.replaces, []);
        await h.update(created.id, read.props, more);
        const after = await h.read(created.id, read.props);
        assert.equal(after.props.name, "Upload lead");
        assert.deepEqual(after.props.systemPolicyIds, [...more.systemPolicyIds].sort());

        await h.delete(created.id, after.props);
        assert.equal((await h.read(created.id, after.props)).id, "");
        await h.delete(created.id, after.props); // already gone is success
    });

    it("replaces the role when permissionType changes, deleting the old one first (names are unique)", async () => {
        const h = handler();
        const old = await h.create(withProvider(uploadManager));
        const changed = { ...uploadManager, permissionType: "content", systemPolicyIds: ["cld::policy::content::folder::add_assets"] };
        const plan = await h.diff(old.id, old.outs, changed);
        assert.deepEqual(plan.replaces, ["permissionType"]);
        assert.equal(plan.deleteBeforeReplace, true);
        await h.delete(old.id, old.outs);
        const replacement = await h.create(withProvider(changed));
        assert.notEqual(replacement.id, old.id);
        assert.equal(replacement.outs.permissionType, "content");
    });

    it("uses an explicit roleId, and reads a role by id alone (static get)", async () => {
        const h = handler();
        const created = await h.create(withProvider({ ...uploadManager, roleId: "upload_manager_1" }));
        assert.equal(created.id, "upload_manager_1");
        const got = await handler().read("upload_manager_1", withProvider({}));
        assert.equal(got.props.name, uploadManager.name);
        assert.equal(got.props.scopeType, "prodenv");
    });

    it("takes over an identical existing role with a warning (as after an interrupted run)", async () => {
        const ctx = fx.context();
        const existing = await ctx.permissions.createRole({ permission_type: "global", scope_type: "prodenv", name: uploadManager.name, description: uploadManager.description, system_policy_ids: uploadManager.systemPolicyIds });
        const created = await customRole.handler(ctx).create(withProvider(uploadManager));
        assert.equal(created.id, existing.id);
        assert.ok(fx.warnings.some((w) => /already existed; it is now managed by this stack/.test(w)), fx.warnings.join("\n"));
    });

    it("refuses a different existing role unless adopt is set, then updates it to the declaration", async () => {
        const ctx = fx.context();
        const existing = await ctx.permissions.createRole({ permission_type: "global", scope_type: "prodenv", name: uploadManager.name, system_policy_ids: ["cld::policy::global::ml::access"] });
        await assert.rejects(customRole.handler(ctx).create(withProvider(uploadManager)), /already exists and differs in description, systemPolicyIds\. Set adopt: true/);
        const adopted = await customRole.handler(ctx).create(withProvider({ ...uploadManager, adopt: true }));
        assert.equal(adopted.id, existing.id);
        assert.deepEqual(adopted.outs.systemPolicyIds, [...uploadManager.systemPolicyIds].sort());
    });

    it("does not adopt across immutable fields", async () => {
        const ctx = fx.context();
        await ctx.permissions.createRole({ permission_type: "global", scope_type: "account", name: uploadManager.name, system_policy_ids: ["cld::policy::global::users_and_groups::manage"] });
        await assert.rejects(customRole.handler(ctx).create(withProvider({ ...uploadManager, adopt: true })), /differs in immutable fields: scopeType \(existing: account\)/);
    });

    it("finds out-of-band changes on refresh, and reports a role deleted out of band as gone", async () => {
        const ctx = fx.context();
        const h = customRole.handler(ctx);
        const created = await h.create(withProvider(uploadManager));
        await ctx.permissions.updateRole(created.id, { name: uploadManager.name, description: "changed in the Console", system_policy_ids: ["cld::policy::global::ml::access"] });
        const refreshed = await h.read(created.id, created.outs);
        const drift = await h.diff(created.id, refreshed.props, uploadManager);
        assert.equal(drift.changes, true);
        assert.deepEqual(drift.replaces, []);

        await ctx.permissions.deleteRole(created.id, true);
        assert.equal((await h.read(created.id, refreshed.props)).id, "");
    });

    it("explains a refused delete (the role is held outside the stack), and forceDelete deletes it", async () => {
        const ctx = fx.context();
        const h = customRole.handler(ctx);
        const created = await h.create(withProvider(uploadManager));
        await ctx.permissions.updateRolePrincipals(created.id, "add", [{ principal_type: "user", principal_id: "u0dave00000000000000000000004", scope_id: "all" }]);
        await assert.rejects(h.delete(created.id, created.outs), /still held by user u0dave00000000000000000000004 in all\. Remove those assignments, or set forceDelete: true/);
        await h.delete(created.id, { ...created.outs, forceDelete: true });
        assert.equal((await h.read(created.id, created.outs)).id, "");
    });
});

// RoleAssignment against the in-process emulator: Cloudinary's assignment rules at check, and the lifecycle.
import * as assert from "node:assert/strict";
import { unknownValue } from "@pulumi/pulumi/runtime/rpc";
import { assignmentId, parseAssignmentId, roleAssignment } from "../../../provider/resources/roleAssignment";
import { useEmulator, withProvider } from "../../fixture";

const PROD = "pe0prod000000000000000000000001";
const CAROL = "u0carol0000000000000000000003";
const reports = { roleId: "cld::role::prodenv::reports", principalType: "user", principalId: CAROL, scopeId: PROD };

describe("RoleAssignment (against the emulator)", () => {
    const fx = useEmulator();
    const handler = () => roleAssignment.handler(fx.context());

    describe("check", () => {
        const bad: [string, object, string, RegExp][] = [
            ["a product-environment role without scopeId", { scopeId: undefined }, "scopeId", /is required: role 'cld::role::prodenv::reports' applies in product environments/],
            ["an account role with a scopeId", { roleId: "cld::role::account::reports" }, "scopeId", /must not be set: role 'cld::role::account::reports' is an account-level role/],
            ["a folder role without policyParameters", { roleId: "cld::role::folder::viewer" }, "policyParameters", /is required: role 'cld::role::folder::viewer' is a content role; set policyParameters: \{ folderId/],
            ["a folder role on 'all' product environments", { roleId: "cld::role::folder::viewer", scopeId: "all", policyParameters: { folderId: "fproducts0000000000000000000006" } }, "scopeId", /content role.*not 'all'/],
            ["a folder role given a collection", { roleId: "cld::role::folder::viewer", policyParameters: { collectionId: "c1" } }, "policyParameters", /applies to folders; use \{ folderId/],
            ["a global role with policyParameters", { policyParameters: { folderId: "f1" } }, "policyParameters", /must not be set: .* is a global role/],
            ["a collection role given to an API key", { roleId: "cld::role::collection::viewer", principalType: "apiKey", principalId: "820000000000002", policyParameters: { collectionId: "c1" } }, "principalType", /collection roles can be given to users and groups only/],
            ["a misspelt system role", { roleId: "cld::role::prodenv::report" }, "roleId", /is not a Cloudinary system role; did you mean 'cld::role::prodenv::reports'/],
            ["an unknown product environment", { scopeId: "pe0nope" }, "scopeId", /'pe0nope' is not a product environment of this account, by id or by cloud name/],
            ["a misspelt cloud name", { scopeId: "acme-prd" }, "scopeId", /'acme-prd' is not a product environment of this account, by id or by cloud name; did you mean 'acme-prod'\? Known: acme-prod \(pe0prod000000000000000000000001\), acme-staging \(pe0stag000000000000000000000002\), or 'all'/],
            ["a user that does not exist", { principalId: "u0nobody0000000000000000000009" }, "principalId", /'u0nobody0000000000000000000009' is not a user of this account, by id or by email/],
            ["a misspelt email", { principalId: "carol@acme.exmaple" }, "principalId", /'carol@acme\.exmaple' is not a user of this account, by id or by email; did you mean 'carol@acme\.example'\?/],
            ["a group that does not exist", { principalType: "group", principalId: "g0nothere" }, "principalId", /not a user group of this account, by id or by name\. For a Group declared in this program, pass its groupId output/],
            ["a product-environment role given to a provisioning key", { principalType: "provisioningKey", principalId: "810000000000001" }, "principalType", /provisioning keys hold account-level roles only/],
            ["a folder that does not exist", { roleId: "cld::role::folder::viewer", policyParameters: { folderId: "fnothere000000000000000000000009" } }, "policyParameters", /policyParameters\.folderId no folder with external id or path 'fnothere000000000000000000000009' in product environment 'acme-prod'/],
            ["a misspelt folder path", { roleId: "cld::role::folder::viewer", policyParameters: { folderId: "marketing/campaings" } }, "policyParameters", /no folder with external id or path 'marketing\/campaings' in product environment 'acme-prod'; did you mean 'marketing\/campaigns'\?/],
            ["a principal type that does not exist (schema)", { principalType: "team" }, "principalType", /one of 'user', 'group', 'apiKey', 'provisioningKey'/],
        ];
        for (const [what, change, property, reason] of bad) {
            it(`rejects ${what} without writing anything`, async () => {
                const { failures } = await handler().check({}, withProvider({ ...reports, ...change }));
                assert.ok(failures?.some((f) => f.property === property && reason.test(f.reason)), JSON.stringify(failures));
                assert.equal(await fx.writes(), 0);
            });
        }

        it("accepts a valid grant", async () => {
            assert.deepEqual((await handler().check({}, withProvider(reports))).failures, []);
        });

        it("rejects a custom role id that does not exist, saying to pass a declared role's output", async () => {
            const { failures } = await handler().check({}, withProvider({ ...reports, roleId: "team_role_to_be_created" }));
            assert.ok(failures?.some((f) => f.property === "roleId" && /no role 'team_role_to_be_created' exists in the account\. For a CustomRole declared in this program, pass its roleId output/.test(f.reason)), JSON.stringify(failures));
        });

        it("does not check a role that is not known yet (an output of a role this deployment creates)", async () => {
            await fx.emulator.resetStats();
            const { failures } = await handler().check({}, withProvider({ ...reports, roleId: unknownValue }));
            assert.deepEqual(failures, []);
        });

        it("makes no API call for unchanged inputs (a no-op preview)", async () => {
            await fx.emulator.resetStats();
            assert.deepEqual((await handler().check(withProvider(reports), withProvider(reports))).failures, []);
            assert.equal((await fx.emulator.stats()).total, 0);
        });
    });

    it("grants, reads and revokes, touching no other grant of the principal", async () => {
        const ctx = fx.context();
        const h = roleAssignment.handler(ctx);
        const other = { principal_type: "user" as const, principal_id: CAROL, scope_id: "all" };
        await ctx.permissions.updateRolePrincipals("cld::role::prodenv::ml_user", "add", [other]);

        await fx.emulator.resetStats();
        const created = await h.create(withProvider(reports));
        const stats = await fx.emulator.stats();
        assert.equal(stats.writes, 1, "one write per grant");
        assert.equal(created.id, `cld::role::prodenv::reports|user|${CAROL}|${PROD}|`);

        const read = await h.read(created.id, created.outs);
        assert.equal(read.id, created.id);
        assert.equal((await h.diff(created.id, read.props, reports)).changes, false);

        await h.delete(created.id, read.props);
        assert.equal((await h.read(created.id, read.props)).id, "");
        const untouched = await ctx.permissions.listRolePrincipals("cld::role::prodenv::ml_user");
        assert.ok(untouched.some((p) => p.id === CAROL), "the other grant is still there");
        await h.delete(created.id, read.props); // already revoked is success
    });

    it("grants a content role on a folder, and reads it back by id alone (static get)", async () => {
        const folderGrant = { roleId: "cld::role::folder::viewer", principalType: "user", principalId: CAROL, scopeId: PROD, policyParameters: { folderId: "fcampaigns0000000000000000000002" } };
        const created = await handler().create(withProvider(folderGrant));
        assert.equal(created.id, `cld::role::folder::viewer|user|${CAROL}|${PROD}|folder_id=fcampaigns0000000000000000000002`);
        const got = await handler().read(created.id, withProvider({}));
        assert.deepEqual({ ...got.props, adopt: undefined }, { ...folderGrant, adopt: undefined, names: {} }, "read by id alone: no names were resolved");
    });

    it("takes over a grant that already exists, with a warning unless adopt is set", async () => {
        const ctx = fx.context();
        await ctx.permissions.updateRolePrincipals(reports.roleId, "add", [{ principal_type: "user", principal_id: CAROL, scope_id: PROD }]);
        await fx.emulator.resetStats();
        await roleAssignment.handler(ctx).create(withProvider(reports));
        assert.equal((await fx.emulator.stats()).writes, 0);
        assert.ok(fx.warnings.some((w) => /already existed; it is now managed by this stack/.test(w)));
        fx.warnings.length = 0;
        await roleAssignment.handler(ctx).create(withProvider({ ...reports, adopt: true }));
        assert.deepEqual(fx.warnings, []);
    });

    it("reports a grant revoked out of band as gone, and one whose role was deleted too", async () => {
        const ctx = fx.context();
        const h = roleAssignment.handler(ctx);
        const created = await h.create(withProvider(reports));
        await ctx.permissions.updateRolePrincipals(reports.roleId, "remove", [{ principal_type: "user", principal_id: CAROL, scope_id: PROD }]);
        assert.equal((await h.read(created.id, created.outs)).id, "");

        const role = await ctx.permissions.createRole({ permission_type: "global", scope_type: "prodenv", name: "Temp", system_policy_ids: ["cld::policy::global::ml::access"] });
        const custom = await h.create(withProvider({ ...reports, roleId: role.id }));
        await ctx.permissions.deleteRole(role.id, true);
        assert.equal((await h.read(custom.id, custom.outs)).id, "");
        await h.delete(custom.id, custom.outs); // the role is gone, so is the grant
    });

    it("round-trips composite ids and explains malformed ones", () => {
        const grant = { roleId: "r", principalType: "group" as const, principalId: "g", policyParameters: { collectionId: "c" } };
        assert.deepEqual(parseAssignmentId(assignmentId(grant)), grant);
        assert.throws(() => parseAssignmentId("r|group"), /expected roleId\|principalType\|principalId\|scopeId\|folder_id=ID/);
        assert.throws(() => parseAssignmentId("r|group|g||asset_id=1"), /folder_id=ID or collection_id=ID/);
    });
});

// Admin API: folders (create with ancestors, list, lookups, delete) and folder roles (folder_operations/invite),
// sharing one assignment store with the Permissions API.
import * as assert from "node:assert/strict";
import { FOLDERS, PROD, STAGING, USERS } from "../../emulator/seed";
import { PERMISSIONS, PROD_ADMIN, PROVISIONING, STAGING_ADMIN, useEmulator } from "./helpers";

describe("emulator: Admin API folders and folder roles", () => {
    const fx = useEmulator();
    const invite = (folderId: string, body: unknown) => fx.api.post(`${PROD_ADMIN}/folder_operations/invite/${folderId}`, body);
    const shared = async (folderId: string) => (await fx.api.get(`${PROD_ADMIN}/folder_operations/invite/${folderId}`)).body.shared_with;

    describe("folders", () => {
        it("lists root folders and subfolders of each product environment", async () => {
            const root = await fx.api.get(`${PROD_ADMIN}/folders`);
            assert.equal(root.status, 200);
            assert.deepEqual(root.body.folders.map((f: { path: string }) => f.path), ["creative", "marketing", "products"]);
            assert.equal(root.body.total_count, 3);
            assert.equal(root.body.next_cursor, null);
            const sub = await fx.api.get(`${PROD_ADMIN}/folders/marketing/campaigns`);
            assert.deepEqual(sub.body.folders, [{ name: "winter-2026", path: "marketing/campaigns/winter-2026", external_id: FOLDERS.winter2026.id, created_at: "2026-01-01T00:00:00Z" }]);
            const staging = await fx.api.get(`${STAGING_ADMIN}/folders`);
            assert.deepEqual(staging.body.folders.map((f: { external_id: string }) => f.external_id), [FOLDERS.sandbox.id]);
            assert.equal((await fx.api.get(`${PROD_ADMIN}/folders/sandbox`)).status, 404);
        });

        it("creates a folder with its missing ancestors (random 32-hex ids); 409 when it exists", async () => {
            const res = await fx.api.post(`${PROD_ADMIN}/folders/products/shoes/2026`);
            assert.equal(res.status, 200);
            assert.equal(res.body.success, true);
            assert.equal(res.body.path, "products/shoes/2026");
            assert.equal(res.body.name, "2026");
            assert.match(res.body.external_id, /^[0-9a-f]{32}$/);
            const shoes = await fx.api.get(`${PROD_ADMIN}/folders/products`);
            assert.deepEqual(shoes.body.folders.map((f: { path: string }) => f.path), ["products/shoes"]);
            const again = await fx.api.post(`${PROD_ADMIN}/folders/products/shoes`);
            assert.equal(again.status, 409);
            assert.ok(again.body.error.message);
        });

        it("rejects malformed folder paths (400)", async () => {
            assert.equal((await fx.api.post(`${PROD_ADMIN}/folders/a//b`)).status, 400);
            assert.equal((await fx.api.post(`${PROD_ADMIN}/folders/a/b/`)).status, 400);
        });

        it("finds folders by id and path, with ancestors; lists descendants", async () => {
            const byId = await fx.api.put(`${PROD_ADMIN}/folders/by_id`, { id: FOLDERS.winter2026.id });
            assert.equal(byId.status, 200);
            assert.equal(byId.body.path, "marketing/campaigns/winter-2026");
            assert.deepEqual(byId.body.ancestors.map((f: { external_id: string }) => f.external_id), [FOLDERS.marketing.id, FOLDERS.campaigns.id]);
            const byPath = await fx.api.put(`${PROD_ADMIN}/folders/by_path`, { path: "Creative/Brand-Assets", case_sensitive: false });
            assert.equal(byPath.body.external_id, FOLDERS.brandAssets.id);
            assert.equal((await fx.api.put(`${PROD_ADMIN}/folders/by_path`, { path: "Creative/Brand-Assets" })).status, 404);
            const root = await fx.api.put(`${PROD_ADMIN}/folders/by_path`, { path: "" });
            assert.equal(root.body.path, "");
            const desc = await fx.api.put(`${PROD_ADMIN}/folders/descendants`, { id: FOLDERS.marketing.id });
            assert.deepEqual(desc.body.folders.map((f: { external_id: string }) => f.external_id), [FOLDERS.campaigns.id, FOLDERS.winter2026.id]);
            const inclusive = await fx.api.put(`${PROD_ADMIN}/folders/descendants`, { id: FOLDERS.marketing.id, inclusive: true, filter_ids: [FOLDERS.marketing.id, FOLDERS.winter2026.id] });
            assert.deepEqual(inclusive.body.folders.map((f: { external_id: string }) => f.external_id), [FOLDERS.marketing.id, FOLDERS.winter2026.id]);
            assert.equal((await fx.api.put(`${PROD_ADMIN}/folders/by_id`, { id: FOLDERS.sandbox.id })).status, 404, "a folder of another product environment");
            const missing = await fx.api.put(`${PROD_ADMIN}/folders/by_id`, {});
            assert.equal(missing.status, 400);
            assert.match(missing.body.error.message, /id/);
            assert.equal((await fx.emulator.stats()).writes, 0, "by_id, by_path and descendants are reads");
        });

        it("folders/by_path: exact or case-insensitive, surrounding slashes dropped, the root for an empty path", async () => {
            const byPath = (body: object) => fx.api.put(`${PROD_ADMIN}/folders/by_path`, body);
            const campaigns = await byPath({ path: "/marketing/campaigns/" });
            assert.deepEqual(campaigns.body, {
                name: "campaigns",
                path: "marketing/campaigns",
                external_id: FOLDERS.campaigns.id,
                created_at: "2026-01-01T00:00:00Z",
                resource_count: 0,
                total_bytes: 0,
                last_uploaded_at: null,
                ancestors: [{ name: "marketing", path: "marketing", external_id: FOLDERS.marketing.id, created_at: "2026-01-01T00:00:00Z" }],
            });
            assert.equal((await byPath({ path: "MARKETING", case_sensitive: false })).body.external_id, FOLDERS.marketing.id);
            assert.equal((await byPath({ path: "MARKETING", case_sensitive: true })).status, 404);
            assert.deepEqual((await byPath({ path: "" })).body, { name: "", path: "", external_id: "", resource_count: 0, total_bytes: 0, last_uploaded_at: null, ancestors: [] });
            const missing = await byPath({ path: "marketing/nope" });
            assert.deepEqual({ status: missing.status, body: missing.body }, { status: 404, body: { error: { message: "Folder with path marketing/nope not found" } } });
            assert.equal((await byPath({ path: "sandbox" })).status, 404, "a folder of another product environment");
            assert.equal((await byPath({ path: "a//b" })).status, 400);
            assert.equal((await byPath({})).status, 400, "path is required");
        });

        it("folders/descendants: depth first, filter_ids restricts the descendants, inclusive puts the folder first", async () => {
            await fx.api.post(`${PROD_ADMIN}/folders/marketing/archive`);
            const descendants = async (body: object) => (await fx.api.put(`${PROD_ADMIN}/folders/descendants`, body)).body.folders.map((f: { path: string }) => f.path);
            assert.deepEqual(await descendants({ id: FOLDERS.marketing.id }), ["marketing/archive", "marketing/campaigns", "marketing/campaigns/winter-2026"]);
            assert.deepEqual(await descendants({ id: FOLDERS.marketing.id, inclusive: true, filter_ids: [FOLDERS.winter2026.id] }), ["marketing", "marketing/campaigns/winter-2026"]);
            assert.deepEqual(await descendants({ id: FOLDERS.marketing.id, filter_ids: [FOLDERS.products.id] }), []);
            assert.deepEqual(await descendants({ id: FOLDERS.winter2026.id }), []);
            const winter = (await fx.api.put(`${PROD_ADMIN}/folders/descendants`, { id: FOLDERS.campaigns.id })).body.folders[0];
            assert.deepEqual(winter.ancestors.map((f: { path: string }) => f.path), ["marketing", "marketing/campaigns"]);
            assert.equal((await fx.api.put(`${PROD_ADMIN}/folders/descendants`, { id: "f-none" })).status, 404);
            assert.equal((await fx.api.put(`${PROD_ADMIN}/folders/descendants`, { id: FOLDERS.sandbox.id })).status, 404, "a folder of another product environment");
        });

        it("deletes a folder with its descendants and their folder-role assignments", async () => {
            await invite(FOLDERS.winter2026.id, { principal: { type: "user", id: USERS.carol.id }, operation: "add", roles: ["cld::role::folder::viewer"] });
            await invite(FOLDERS.products.id, { principal: { type: "user", id: USERS.carol.id }, operation: "add", roles: ["cld::role::folder::viewer"] });
            const res = await fx.api.delete(`${PROD_ADMIN}/folders/marketing`);
            assert.equal(res.status, 200);
            assert.deepEqual(res.body.deleted.sort(), ["marketing", "marketing/campaigns", "marketing/campaigns/winter-2026"]);
            const state = fx.emulator.state();
            assert.ok(!state.folders.some((f) => f.path.startsWith("marketing")));
            assert.deepEqual(state.assignments.filter((a) => a.policyParameters?.folder_id).map((a) => a.policyParameters!.folder_id), [FOLDERS.products.id]);
            assert.equal((await fx.api.delete(`${PROD_ADMIN}/folders/marketing`)).status, 404);
        });
    });

    describe("folder roles", () => {
        it("grants folder roles and lists them, inherited ones with the ancestor's folder_id", async () => {
            const add = await invite(FOLDERS.marketing.id, { principal: { type: "user", id: USERS.carol.id }, operation: "add", roles: ["cld::role::folder::contributor"] });
            assert.deepEqual({ status: add.status, body: add.body }, { status: 200, body: { success: true } });
            await invite(FOLDERS.winter2026.id, { principal: { type: "apiKey", id: PROD.integrationKey }, operation: "add", roles: ["cld::role::folder::viewer", "cld::role::folder::manager"] });
            const list = await shared(FOLDERS.winter2026.id);
            assert.deepEqual(list, [
                {
                    type: "apiKey",
                    id: PROD.integrationKey,
                    folder_id: FOLDERS.winter2026.id,
                    roles: [
                        { id: "cld::role::folder::manager", name: "Manager", description: "Editor permissions, plus delete, share, and full download access.", inherited: false },
                        { id: "cld::role::folder::viewer", name: "Viewer", description: "View and download public assets.", inherited: false },
                    ],
                },
                {
                    type: "user",
                    id: USERS.carol.id,
                    folder_id: FOLDERS.marketing.id,
                    roles: [{ id: "cld::role::folder::contributor", name: "Contributor", description: "Viewer permissions, plus add assets and create subfolders.", inherited: true }],
                },
            ]);
            assert.deepEqual(await shared(FOLDERS.creative.id), []);
            const permitted = await fx.api.get(`${PROD_ADMIN}/folder_operations/invite/${FOLDERS.marketing.id}`, { query: { permitted_roles: true } });
            assert.ok(permitted.body.permitted_roles.some((r: { id: string }) => r.id === "cld::role::folder::viewer"));
        });

        it("the Permissions API sees invite grants, and the invite GET sees Permissions API grants", async () => {
            await fx.api.post(`${PERMISSIONS}/roles`, {
                id: "campaign_contributor",
                name: "Campaign contributor",
                permission_type: "content",
                scope_type: "prodenv",
                system_policy_ids: ["cld::policy::content::folder::view_download"],
            });
            await invite(FOLDERS.campaigns.id, { principal: { type: "user", id: USERS.bob.id }, operation: "add", roles: ["campaign_contributor"] });
            const holders = await fx.api.get(`${PERMISSIONS}/roles/campaign_contributor/principals`, { query: { verbose: true } });
            assert.deepEqual(
                holders.body.data.map((p: { id: string; scope_id: string; policy_parameters: unknown }) => [p.id, p.scope_id, p.policy_parameters]),
                [[USERS.bob.id, PROD.id, { folder_id: FOLDERS.campaigns.id }]],
            );
            await fx.api.put(`${PERMISSIONS}/roles/${encodeURIComponent("cld::role::folder::viewer")}/principals`, {
                operation: "add",
                principals: [{ principal_type: "user", principal_id: USERS.erin.id, scope_id: PROD.id, policy_parameters: { folder_id: FOLDERS.campaigns.id } }],
            });
            const list = await shared(FOLDERS.campaigns.id);
            assert.deepEqual(list.map((e: { id: string; roles: Array<{ id: string }> }) => [e.id, e.roles.map((r) => r.id)]), [
                [USERS.bob.id, ["campaign_contributor"]],
                [USERS.erin.id, ["cld::role::folder::viewer"]],
            ]);
            // Adding through the other endpoint is the same grant: still one.
            await invite(FOLDERS.campaigns.id, { principal: { type: "user", id: USERS.erin.id }, operation: "add", roles: ["cld::role::folder::viewer"] });
            assert.equal(fx.emulator.state().assignments.filter((a) => a.principalId === USERS.erin.id).length, 1);
            await invite(FOLDERS.campaigns.id, { principal: { type: "user", id: USERS.erin.id }, operation: "remove", roles: ["cld::role::folder::viewer"] });
            assert.equal(fx.emulator.state().assignments.filter((a) => a.principalId === USERS.erin.id).length, 0);
        });

        it("add twice and remove of a missing grant are 200 no-ops", async () => {
            const body = { principal: { type: "user", id: USERS.bob.id }, operation: "add", roles: ["cld::role::folder::viewer"] };
            await invite(FOLDERS.products.id, body);
            const before = (await fx.emulator.stats()).committedWrites;
            assert.equal((await invite(FOLDERS.products.id, body)).status, 200);
            assert.equal((await invite(FOLDERS.products.id, { ...body, operation: "remove", roles: ["cld::role::folder::manager"] })).status, 200);
            assert.equal((await fx.emulator.stats()).committedWrites, before);
        });

        it("rejects non-folder roles, unknown roles, principals and folders", async () => {
            const body = (extra: Record<string, unknown>) => ({ principal: { type: "user", id: USERS.bob.id }, operation: "add", roles: ["cld::role::folder::viewer"], ...extra });
            const nonFolder = await invite(FOLDERS.products.id, body({ roles: ["cld::role::prodenv::reports"] }));
            assert.equal(nonFolder.status, 400);
            assert.match(nonFolder.body.error.message, /not a folder role/);
            assert.equal((await invite(FOLDERS.products.id, body({ roles: ["cld::role::collection::viewer"] }))).status, 400);
            assert.equal((await invite(FOLDERS.products.id, body({ roles: ["no_such_role"] }))).status, 404);
            assert.equal((await invite(FOLDERS.products.id, body({ principal: { type: "user", id: "ghost" } }))).status, 404);
            assert.equal((await invite(FOLDERS.products.id, body({ principal: { type: "apiKey", id: "000" } }))).status, 404);
            assert.equal((await invite("f-none", body({}))).status, 404);
            assert.equal((await invite(FOLDERS.sandbox.id, body({}))).status, 404, "a folder of another product environment");
            const badType = await invite(FOLDERS.products.id, body({ principal: { type: "provisioningKey", id: "810000000000001" } }));
            assert.equal(badType.status, 400);
            assert.match(badType.body.error.message, /type/);
            assert.equal((await invite(FOLDERS.products.id, { principal: { type: "user", id: USERS.bob.id }, roles: ["cld::role::folder::viewer"] })).status, 400);
            assert.equal((await invite(FOLDERS.products.id, body({ roles: Array(11).fill("cld::role::folder::viewer") }))).status, 400, "maxItems 10");
            assert.equal(fx.emulator.state().assignments.length, 1);
        });

        it("staging's invite works with staging credentials and its own folders", async () => {
            const res = await fx.api.post(`${STAGING_ADMIN}/folder_operations/invite/${FOLDERS.sandboxTests.id}`, {
                principal: { type: "apiKey", id: STAGING.integrationKey },
                operation: "add",
                roles: ["cld::role::folder::viewer"],
            });
            assert.equal(res.status, 200);
            const a = fx.emulator.state().assignments.find((x) => x.principalId === STAGING.integrationKey)!;
            assert.equal(a.scopeId, STAGING.id);
        });

        it("deleting a group removes its folder roles and memberships", async () => {
            const group = (await fx.api.post(`${PROVISIONING}/user_groups`, { name: "Designers" })).body.id;
            await fx.api.post(`${PROVISIONING}/user_groups/${group}/users/${USERS.bob.id}`);
            await invite(FOLDERS.brandAssets.id, { principal: { type: "group", id: group }, operation: "add", roles: ["cld::role::folder::contributor"] });
            assert.equal((await shared(FOLDERS.brandAssets.id)).length, 1);
            assert.equal((await fx.api.delete(`${PROVISIONING}/user_groups/${group}`)).status, 200);
            assert.deepEqual(await shared(FOLDERS.brandAssets.id), []);
            const state = fx.emulator.state();
            assert.ok(!state.assignments.some((a) => a.principalId === group));
            assert.equal(state.groups.length, 0);
        });
    });
});

// Permissions API: roles, policies, assignments (both endpoints), inspect, effective policies, public endpoints.
import * as assert from "node:assert/strict";
import { FOLDERS, PROD, STAGING, USERS } from "../../emulator/seed";
import { FORBIDDEN, PERMISSIONS, PROVISIONING, alreadyExists, expectError, invalidField, missingFields, notFound, useEmulator } from "./helpers";

const UPLOAD_POLICIES = ["cld::policy::global::upload_presets::manage", "cld::policy::global::folder_and_asset_management::create_asset"];
const FOLDER_POLICIES = ["cld::policy::content::folder::view_download", "cld::policy::content::folder::add_assets"];

describe("emulator: Permissions API", () => {
    const fx = useEmulator();

    const createRole = (body: Record<string, unknown>) => fx.api.post(`${PERMISSIONS}/roles`, body);
    const globalRole = (extra: Record<string, unknown> = {}) =>
        createRole({ id: "upload_manager", name: "Upload manager", permission_type: "global", scope_type: "prodenv", system_policy_ids: UPLOAD_POLICIES, ...extra });
    const folderRole = (extra: Record<string, unknown> = {}) =>
        createRole({ id: "campaign_contributor", name: "Campaign contributor", permission_type: "content", scope_type: "prodenv", system_policy_ids: FOLDER_POLICIES, ...extra });
    const accountRole = () =>
        createRole({ id: "acct_admin", name: "Account admin", permission_type: "global", scope_type: "account", system_policy_ids: ["cld::policy::global::users_and_groups::manage"] });
    const rolePrincipals = (roleId: string, body: unknown) => fx.api.put(`${PERMISSIONS}/roles/${encodeURIComponent(roleId)}/principals`, body);
    const principals = async (roleId: string, query: Record<string, string | boolean> = {}) =>
        (await fx.api.get(`${PERMISSIONS}/roles/${encodeURIComponent(roleId)}/principals`, { query: { verbose: true, ...query } })).body.data;
    const newGroup = async (name: string) => (await fx.api.post(`${PROVISIONING}/user_groups`, { name })).body.id as string;

    describe("roles", () => {
        it("lists system roles by permission type; permission_type is required", async () => {
            const global = await fx.api.get(`${PERMISSIONS}/roles`, { query: { permission_type: "global" } });
            assert.equal(global.status, 200);
            const ids = global.body.data.map((r: { id: string }) => r.id);
            assert.ok(ids.includes("cld::role::account::master_admin"));
            assert.ok(ids.includes("cld::role::prodenv::ml_user"));
            assert.ok(!ids.includes("cld::role::folder::viewer"));
            expectError(await fx.api.get(`${PERMISSIONS}/roles`), missingFields("permission_type"));
            expectError(await fx.api.get(`${PERMISSIONS}/roles`, { query: { permission_type: "everything" } }), invalidField("permission_type", "everything"));
        });

        it("filters by scope_type, management_type and policy_parameters", async () => {
            await globalRole();
            await folderRole();
            const get = async (query: Record<string, string>) => (await fx.api.get(`${PERMISSIONS}/roles`, { query })).body.data.map((r: { id: string }) => r.id).sort();
            assert.deepEqual(await get({ permission_type: "global", management_type: "custom" }), ["upload_manager"]);
            assert.deepEqual(await get({ permission_type: "global", scope_type: "account", management_type: "system" }), [
                "cld::role::account::admin",
                "cld::role::account::master_admin",
                "cld::role::account::reports",
            ]);
            const collection = await get({ permission_type: "content", policy_parameters: JSON.stringify(["collection_id"]) });
            assert.deepEqual(collection, ["cld::role::collection::contributor", "cld::role::collection::viewer"]);
            const folder = await get({ permission_type: "content", policy_parameters: JSON.stringify(["folder_id"]), management_type: "custom" });
            assert.deepEqual(folder, ["campaign_contributor"]);
        });

        it("creates a global role and returns it with its policies (201)", async () => {
            const res = await globalRole({ description: "Uploads" });
            assert.equal(res.status, 201);
            assert.equal(res.body.data.id, "upload_manager");
            assert.equal(res.body.data.management_type, "custom");
            assert.deepEqual(res.body.data.policies.map((p: { id: string }) => p.id), UPLOAD_POLICIES);
            assert.equal(res.body.data.policy_parameters, undefined);
            const got = await fx.api.get(`${PERMISSIONS}/roles/upload_manager`);
            assert.equal(got.status, 200);
            assert.equal(got.body.data.description, "Uploads");
        });

        it("generates an id when none is given", async () => {
            const res = await createRole({ name: "Report reader", permission_type: "global", scope_type: "prodenv", system_policy_ids: ["cld::policy::global::reports::usage::view"] });
            assert.equal(res.status, 201);
            assert.match(res.body.data.id, /^report_reader_[0-9a-f]{8}$/);
        });

        it("derives a content role's policy_parameters from its policies and fills folder_id into statements", async () => {
            const res = await folderRole();
            assert.deepEqual(res.body.data.policy_parameters, ["folder_id"]);
            const plain = await fx.api.get(`${PERMISSIONS}/roles/campaign_contributor`);
            assert.match(plain.body.data.policies[0].policy_statement, /<folder_id>/);
            const filled = await fx.api.get(`${PERMISSIONS}/roles/campaign_contributor`, { query: { folder_id: FOLDERS.campaigns.id } });
            assert.ok(filled.body.data.policies[0].policy_statement.includes(FOLDERS.campaigns.id));
            assert.doesNotMatch(filled.body.data.policies[0].policy_statement, /<folder_id>/);
        });

        it("rejects bodies that fail the schema, naming the field", async () => {
            expectError(await createRole({ name: "X", scope_type: "prodenv", system_policy_ids: UPLOAD_POLICIES }), missingFields("permission_type"));
            expectError(await createRole({ permission_type: "global", scope_type: "prodenv", system_policy_ids: UPLOAD_POLICIES }), missingFields("name"));
            expectError(await createRole({ name: "X", permission_type: "global", scope_type: "planet", system_policy_ids: UPLOAD_POLICIES }), invalidField("scope_type", "planet"));
            expectError(await createRole({ name: 42, permission_type: "global", scope_type: "prodenv", system_policy_ids: UPLOAD_POLICIES }), invalidField("name", 42));
            expectError(await createRole({ name: "X", permission_type: "both", scope_type: "prodenv", system_policy_ids: UPLOAD_POLICIES }), invalidField("permission_type", "both"));
            expectError(await createRole({ name: "X", permission_type: "global", scope_type: "prodenv" }), missingFields("system_policy_ids"));
            const broken = await fx.api.call("POST", `${PERMISSIONS}/roles`, { rawBody: "{not json" });
            expectError(broken, invalidField("body", "invalid JSON"));
        });

        it("rejects unknown policy ids like InvalidPolicyIDFieldErrorExample", async () => {
            expectError(
                await createRole({ name: "X", permission_type: "global", scope_type: "prodenv", system_policy_ids: ["cld::global::upload_presets::sample"] }),
                invalidField("system_policy_ids", "cld::global::upload_presets::sample"),
            );
        });

        it("rejects policies that do not fit the role's scope or permission type", async () => {
            // An account policy in a prodenv role, a content policy in a global role, a global policy in a content role.
            expectError(
                await createRole({ name: "X", permission_type: "global", scope_type: "prodenv", system_policy_ids: ["cld::policy::global::users_and_groups::manage"] }),
                invalidField("system_policy_ids", "cld::policy::global::users_and_groups::manage"),
            );
            expectError(
                await createRole({ name: "X", permission_type: "global", scope_type: "prodenv", system_policy_ids: [FOLDER_POLICIES[0]] }),
                invalidField("system_policy_ids", FOLDER_POLICIES[0]),
            );
            expectError(
                await createRole({ name: "X", permission_type: "content", scope_type: "prodenv", system_policy_ids: [UPLOAD_POLICIES[0]] }),
                invalidField("system_policy_ids", UPLOAD_POLICIES[0]),
            );
            expectError(await createRole({ name: "X", permission_type: "content", scope_type: "account", system_policy_ids: FOLDER_POLICIES }), invalidField("scope_type", "account"));
        });

        it("does not allow custom collection roles", async () => {
            expectError(
                await createRole({ name: "X", permission_type: "content", scope_type: "prodenv", system_policy_ids: ["cld::policy::content::collection::add_assets"] }),
                invalidField("system_policy_ids", "cld::policy::content::collection::add_assets"),
            );
        });

        it("keeps names and explicit ids unique (409), system names included", async () => {
            await globalRole();
            expectError(await globalRole({ id: "other_id" }), alreadyExists("name", "Upload manager"));
            expectError(await globalRole({ id: "other_id", name: "upload MANAGER" }), alreadyExists("name", "upload MANAGER"));
            expectError(await globalRole({ name: "Something else" }), alreadyExists("id", "upload_manager"));
            expectError(await globalRole({ id: "x1", name: "Admin" }), alreadyExists("name", "Admin"));
            expectError(await globalRole({ id: "cld::role::account::admin", name: "Fresh" }), alreadyExists("id", "cld::role::account::admin"));
            expectError(await globalRole({ id: "cld::mine", name: "Fresh" }), invalidField("id", "cld::mine"));
        });

        it("updates a custom role's name, description and policies", async () => {
            await globalRole();
            const res = await fx.api.put(`${PERMISSIONS}/roles/upload_manager`, { name: "Upload boss", description: "new", system_policy_ids: [UPLOAD_POLICIES[0]] });
            assert.equal(res.status, 200);
            assert.equal(res.body.data.name, "Upload boss");
            assert.deepEqual(res.body.data.policies.map((p: { id: string }) => p.id), [UPLOAD_POLICIES[0]]);
            // Same name again (its own) is fine; the immutable fields may be repeated unchanged.
            const same = await fx.api.put(`${PERMISSIONS}/roles/upload_manager`, { name: "Upload boss", id: "upload_manager", permission_type: "global", scope_type: "prodenv" });
            assert.equal(same.status, 200);
            assert.deepEqual(same.body.data.policies.map((p: { id: string }) => p.id), [UPLOAD_POLICIES[0]]);
        });

        it("refuses to change immutable fields, names the field", async () => {
            await globalRole();
            const put = (body: Record<string, unknown>) => fx.api.put(`${PERMISSIONS}/roles/upload_manager`, { name: "Upload manager", ...body });
            expectError(await put({ permission_type: "content" }), invalidField("permission_type", "content"));
            expectError(await put({ scope_type: "account" }), invalidField("scope_type", "account"));
            expectError(await put({ id: "renamed" }), invalidField("id", "renamed"));
            expectError(await put({ system_policy_ids: ["nope"] }), invalidField("system_policy_ids", "nope"));
            expectError(await fx.api.put(`${PERMISSIONS}/roles/upload_manager`, { description: "no name" }), missingFields("name"));
        });

        it("409 when an update takes another role's name; 404 for unknown roles", async () => {
            await globalRole();
            await folderRole();
            expectError(await fx.api.put(`${PERMISSIONS}/roles/upload_manager`, { name: "Campaign contributor" }), alreadyExists("name", "Campaign contributor"));
            expectError(await fx.api.put(`${PERMISSIONS}/roles/nope`, { name: "A" }), notFound("role_id", "nope"));
            expectError(await fx.api.get(`${PERMISSIONS}/roles/nope`), notFound("role_id", "nope"));
            expectError(await fx.api.delete(`${PERMISSIONS}/roles/nope`), notFound("role_id", "nope"));
        });

        it("system roles are read-only (403)", async () => {
            const id = encodeURIComponent("cld::role::prodenv::ml_user");
            expectError(await fx.api.put(`${PERMISSIONS}/roles/${id}`, { name: "Mine now" }), FORBIDDEN);
            expectError(await fx.api.delete(`${PERMISSIONS}/roles/${id}`), FORBIDDEN);
            const still = await fx.api.get(`${PERMISSIONS}/roles/${id}`);
            assert.equal(still.body.data.name, "Media Library User");
        });

        it("deletes an unassigned role (204)", async () => {
            await globalRole();
            const res = await fx.api.delete(`${PERMISSIONS}/roles/upload_manager`);
            assert.equal(res.status, 204);
            assert.equal(res.body, undefined);
            assert.equal((await fx.api.get(`${PERMISSIONS}/roles/upload_manager`)).status, 404);
        });

        it("refuses to delete an assigned role without force (409) and removes its assignments with force", async () => {
            await globalRole();
            await rolePrincipals("upload_manager", { operation: "add", principals: [{ principal_type: "user", principal_id: USERS.bob.id, scope_id: PROD.id }] });
            const refused = await fx.api.delete(`${PERMISSIONS}/roles/upload_manager`);
            assert.equal(refused.status, 409);
            assert.equal(refused.body.error.code, "ACCOUNTS_00006");
            assert.deepEqual(refused.body.error.details, { fields: [{ role_id: "upload_manager" }] });
            const forced = await fx.api.delete(`${PERMISSIONS}/roles/upload_manager`, { query: { force: true } });
            assert.equal(forced.status, 204);
            assert.ok(!fx.emulator.state().assignments.some((a) => a.roleId === "upload_manager"));
        });
    });

    describe("assignments via roles/{role_id}/principals", () => {
        it("adds, lists (verbose and not), filters and removes", async () => {
            await globalRole();
            const add = await rolePrincipals("upload_manager", {
                operation: "add",
                principals: [
                    { principal_type: "user", principal_id: USERS.bob.id, scope_id: PROD.id },
                    { principal_type: "user", principal_id: USERS.bob.id, scope_id: STAGING.id },
                    { principal_type: "apiKey", principal_id: PROD.integrationKey, scope_id: PROD.id },
                ],
            });
            assert.equal(add.status, 200);
            assert.equal(add.body, undefined);
            const verbose = await principals("upload_manager");
            assert.equal(verbose.length, 3);
            assert.deepEqual(Object.keys(verbose[0]).sort(), ["created_at", "id", "role_id", "scope_id", "scope_type", "type", "updated_at"]);
            const brief = (await fx.api.get(`${PERMISSIONS}/roles/upload_manager/principals`)).body.data;
            assert.deepEqual(brief.map((p: { type: string; id: string }) => `${p.type}:${p.id}`).sort(), [`apiKey:${PROD.integrationKey}`, `user:${USERS.bob.id}`]);
            assert.deepEqual(Object.keys(brief[0]).sort(), ["id", "type"]);
            assert.equal((await principals("upload_manager", { scope_id: STAGING.id })).length, 1);
            await rolePrincipals("upload_manager", { operation: "remove", principals: [{ principal_type: "user", principal_id: USERS.bob.id, scope_id: STAGING.id }] });
            assert.deepEqual((await principals("upload_manager")).map((p: { scope_id: string }) => p.scope_id), [PROD.id, PROD.id]);
        });

        it("add is idempotent and remove of a missing grant is a no-op (200, nothing committed)", async () => {
            await folderRole();
            const grant = { principal_type: "user", principal_id: USERS.carol.id, scope_id: PROD.id, policy_parameters: { folder_id: FOLDERS.campaigns.id } };
            assert.equal((await rolePrincipals("campaign_contributor", { operation: "add", principals: [grant] })).status, 200);
            const before = await fx.emulator.stats();
            assert.equal((await rolePrincipals("campaign_contributor", { operation: "add", principals: [grant, grant] })).status, 200);
            assert.equal((await principals("campaign_contributor")).length, 1);
            assert.equal((await rolePrincipals("campaign_contributor", { operation: "remove", principals: [grant] })).status, 200);
            assert.equal((await rolePrincipals("campaign_contributor", { operation: "remove", principals: [grant] })).status, 200);
            const after = await fx.emulator.stats();
            assert.equal(after.writes - before.writes, 3);
            assert.equal(after.committedWrites - before.committedWrites, 1);
            assert.equal((await principals("campaign_contributor")).length, 0);
        });

        it("validates the request: operation, principals, scope and policy parameters", async () => {
            await globalRole();
            await folderRole();
            await accountRole();
            const bob = { principal_type: "user", principal_id: USERS.bob.id };
            expectError(await rolePrincipals("upload_manager", { principals: [{ ...bob, scope_id: PROD.id }] }), missingFields("operation"));
            expectError(await rolePrincipals("upload_manager", { operation: "subtract", principals: [{ ...bob, scope_id: PROD.id }] }), invalidField("operation", "subtract"));
            expectError(await rolePrincipals("upload_manager", { operation: "add" }), missingFields("principals"));
            expectError(await rolePrincipals("upload_manager", { operation: "add", principals: [{ principal_type: "user" }] }), missingFields("principal_id"));
            expectError(await rolePrincipals("upload_manager", { operation: "add", principals: [{ principal_type: "robot", principal_id: "x", scope_id: PROD.id }] }), invalidField("principal_type", "robot"));
            // prodenv roles need a scope; account roles must not have one
            expectError(await rolePrincipals("upload_manager", { operation: "add", principals: [bob] }), missingFields("scope_id"));
            expectError(await rolePrincipals("acct_admin", { operation: "add", principals: [{ ...bob, scope_id: PROD.id }] }), invalidField("scope_id", PROD.id));
            expectError(await rolePrincipals("upload_manager", { operation: "add", principals: [{ ...bob, scope_id: "pe-unknown" }] }), notFound("scope_id", "pe-unknown"));
            // content roles need the role's parameter, in one specific product environment, on an existing folder
            expectError(await rolePrincipals("campaign_contributor", { operation: "add", principals: [{ ...bob, scope_id: PROD.id }] }), missingFields("policy_parameters.folder_id"));
            expectError(
                await rolePrincipals("campaign_contributor", { operation: "add", principals: [{ ...bob, scope_id: PROD.id, policy_parameters: { collection_id: "c1" } }] }),
                missingFields("policy_parameters.folder_id"),
            );
            expectError(
                await rolePrincipals("campaign_contributor", { operation: "add", principals: [{ ...bob, scope_id: "all", policy_parameters: { folder_id: FOLDERS.campaigns.id } }] }),
                invalidField("scope_id", "all"),
            );
            expectError(
                await rolePrincipals("campaign_contributor", { operation: "add", principals: [{ ...bob, scope_id: STAGING.id, policy_parameters: { folder_id: FOLDERS.campaigns.id } }] }),
                notFound("folder_id", FOLDERS.campaigns.id),
            );
            expectError(
                await rolePrincipals("upload_manager", { operation: "add", principals: [{ ...bob, scope_id: PROD.id, policy_parameters: { folder_id: FOLDERS.campaigns.id } }] }),
                invalidField("policy_parameters", { folder_id: FOLDERS.campaigns.id }),
            );
            // unknown principals of each kind, unknown role
            for (const [type, id] of [["user", "u-none"], ["group", "g-none"], ["apiKey", "999"], ["provisioningKey", "998"]]) {
                expectError(await rolePrincipals("acct_admin", { operation: "add", principals: [{ principal_type: type, principal_id: id }] }), notFound("principal_id", id));
            }
            expectError(await rolePrincipals("nope", { operation: "add", principals: [{ ...bob, scope_id: PROD.id }] }), notFound("role_id", "nope"));
            // nothing was written by any of these
            assert.equal(fx.emulator.state().assignments.length, 1);
        });

        it("applies a request whole or not at all", async () => {
            await globalRole();
            const res = await rolePrincipals("upload_manager", {
                operation: "add",
                principals: [
                    { principal_type: "user", principal_id: USERS.bob.id, scope_id: PROD.id },
                    { principal_type: "user", principal_id: "u-none", scope_id: PROD.id },
                ],
            });
            assert.equal(res.status, 404);
            assert.equal((await principals("upload_manager")).length, 0);
        });

        it("collection roles: users and groups only, with collection_id", async () => {
            const role = "cld::role::collection::contributor";
            expectError(
                await rolePrincipals(role, { operation: "add", principals: [{ principal_type: "apiKey", principal_id: PROD.integrationKey, scope_id: PROD.id, policy_parameters: { collection_id: "col1" } }] }),
                invalidField("principal_type", "apiKey"),
            );
            const ok = await rolePrincipals(role, { operation: "add", principals: [{ principal_type: "user", principal_id: USERS.erin.id, scope_id: PROD.id, policy_parameters: { collection_id: "col1" } }] });
            assert.equal(ok.status, 200);
            assert.deepEqual((await principals(role, { collection_id: "col1" })).map((p: { id: string }) => p.id), [USERS.erin.id]);
            assert.equal((await principals(role, { collection_id: "col2" })).length, 0);
        });

        it("provisioning keys hold account roles only; scope 'all' works for global prodenv roles", async () => {
            await accountRole();
            await globalRole();
            const key = "810000000000001";
            assert.equal((await rolePrincipals("acct_admin", { operation: "add", principals: [{ principal_type: "provisioningKey", principal_id: key }] })).status, 200);
            expectError(
                await rolePrincipals("upload_manager", { operation: "add", principals: [{ principal_type: "provisioningKey", principal_id: key, scope_id: PROD.id }] }),
                invalidField("principal_type", "provisioningKey"),
            );
            assert.equal((await rolePrincipals("upload_manager", { operation: "add", principals: [{ principal_type: "user", principal_id: USERS.dave.id, scope_id: "all" }] })).status, 200);
            assert.deepEqual((await principals("upload_manager", { scope_id: "all" })).map((p: { id: string }) => p.id), [USERS.dave.id]);
        });
    });

    describe("assignments via principal_roles", () => {
        it("adds several roles of different kinds to one principal and lists them by permission type", async () => {
            await globalRole();
            await folderRole();
            const res = await fx.api.put(`${PERMISSIONS}/principal_roles`, {
                operation: "add",
                principal: { type: "user", id: USERS.carol.id },
                roles: [
                    { id: "cld::role::account::reports" },
                    { id: "upload_manager", scope_id: PROD.id },
                    { id: "campaign_contributor", scope_id: PROD.id, policy_parameters: { folder_id: FOLDERS.campaigns.id } },
                ],
            });
            assert.equal(res.status, 200);
            const list = async (query: Record<string, string>) =>
                (await fx.api.get(`${PERMISSIONS}/principal_roles`, { query: { principal_type: "user", principal_id: USERS.carol.id, ...query } })).body.data;
            const global = await list({ permission_type: "global" });
            assert.deepEqual(global.map((r: { id: string }) => r.id).sort(), ["cld::role::account::reports", "upload_manager"]);
            assert.equal(global.find((r: { id: string }) => r.id === "upload_manager").scope_id, PROD.id);
            const content = await list({ permission_type: "content" });
            assert.deepEqual(content.map((r: { policy_parameters: unknown }) => r.policy_parameters), [{ folder_id: FOLDERS.campaigns.id }]);
            assert.equal((await list({ permission_type: "global", management_type: "system" })).length, 1);
            assert.equal((await list({ permission_type: "global", scope_type: "prodenv" })).length, 1);
            assert.equal((await list({ permission_type: "content", param_key: "folder_id", param_value: FOLDERS.products.id })).length, 0);
            assert.equal((await list({ permission_type: "content", folder_id: FOLDERS.campaigns.id })).length, 1);
            // the same grants, seen from the role side
            assert.deepEqual((await principals("upload_manager")).map((p: { id: string }) => p.id), [USERS.carol.id]);
        });

        it("is consistent with the role endpoint: same store, same idempotence", async () => {
            await globalRole();
            await rolePrincipals("upload_manager", { operation: "add", principals: [{ principal_type: "user", principal_id: USERS.bob.id, scope_id: PROD.id }] });
            const again = await fx.api.put(`${PERMISSIONS}/principal_roles`, { operation: "add", principal: { type: "user", id: USERS.bob.id }, roles: [{ id: "upload_manager", scope_id: PROD.id }] });
            assert.equal(again.status, 200);
            assert.equal((await principals("upload_manager")).length, 1);
            await fx.api.put(`${PERMISSIONS}/principal_roles`, { operation: "remove", principal: { type: "user", id: USERS.bob.id }, roles: [{ id: "upload_manager", scope_id: PROD.id }] });
            assert.equal((await principals("upload_manager")).length, 0);
        });

        it("validates like the role endpoint", async () => {
            const put = (body: unknown) => fx.api.put(`${PERMISSIONS}/principal_roles`, body);
            expectError(await put({ principal: { type: "user", id: USERS.bob.id }, roles: [{ id: "cld::role::account::admin" }] }), missingFields("operation"));
            expectError(await put({ operation: "add", roles: [{ id: "cld::role::account::admin" }] }), missingFields("principal"));
            expectError(await put({ operation: "add", principal: { type: "user", id: USERS.bob.id } }), missingFields("roles"));
            expectError(await put({ operation: "add", principal: { id: USERS.bob.id }, roles: [{ id: "x" }] }), missingFields("type"));
            expectError(await put({ operation: "add", principal: { type: "user", id: "ghost" }, roles: [{ id: "cld::role::account::admin" }] }), notFound("principal_id", "ghost"));
            expectError(await put({ operation: "add", principal: { type: "user", id: USERS.bob.id }, roles: [{ id: "ghost_role" }] }), notFound("role_id", "ghost_role"));
            expectError(await put({ operation: "add", principal: { type: "user", id: USERS.bob.id }, roles: [{ id: "cld::role::prodenv::reports" }] }), missingFields("scope_id"));
        });

        it("principal_roles GET requires principal_type, principal_id, permission_type; 404 for unknown principals", async () => {
            expectError(await fx.api.get(`${PERMISSIONS}/principal_roles`, { query: { principal_id: USERS.bob.id, permission_type: "global" } }), missingFields("principal_type"));
            expectError(
                await fx.api.get(`${PERMISSIONS}/principal_roles`, { query: { principal_type: "user", principal_id: "ghost", permission_type: "global" } }),
                notFound("principal_id", "ghost"),
            );
            const alice = await fx.api.get(`${PERMISSIONS}/principal_roles`, { query: { principal_type: "user", principal_id: USERS.alice.id, permission_type: "global" } });
            assert.deepEqual(alice.body.data.map((r: { id: string }) => r.id), ["cld::role::account::master_admin"]);
        });
    });

    describe("inspect and effective policies", () => {
        beforeEach(async () => {
            await globalRole();
            await folderRole();
            await rolePrincipals("upload_manager", {
                operation: "add",
                principals: [
                    { principal_type: "user", principal_id: USERS.bob.id, scope_id: PROD.id },
                    { principal_type: "user", principal_id: USERS.dave.id, scope_id: "all" },
                    { principal_type: "apiKey", principal_id: STAGING.integrationKey, scope_id: STAGING.id },
                ],
            });
            await rolePrincipals("campaign_contributor", {
                operation: "add",
                principals: [{ principal_type: "user", principal_id: USERS.carol.id, scope_id: PROD.id, policy_parameters: { folder_id: FOLDERS.campaigns.id } }],
            });
        });

        it("GET inspect: principals with roles in a scope (assignments to 'all' included)", async () => {
            const inspect = async (query: Record<string, string>) => (await fx.api.get(`${PERMISSIONS}/principal_roles/inspect`, { query })).body.data.principals;
            const prod = await inspect({ scope_type: "prodenv", scope_id: PROD.id });
            assert.deepEqual(prod.map((p: { id: string }) => p.id).sort(), [USERS.bob.id, USERS.carol.id, USERS.dave.id].sort());
            const staging = await inspect({ scope_type: "prodenv", scope_id: STAGING.id });
            assert.deepEqual(staging.map((p: { type: string; id: string }) => `${p.type}:${p.id}`).sort(), [`apiKey:${STAGING.integrationKey}`, `user:${USERS.dave.id}`]);
            const account = await inspect({ scope_type: "account" });
            assert.deepEqual(account.map((p: { id: string }) => p.id), [USERS.alice.id]);
            const folder = await inspect({ scope_type: "prodenv", scope_id: PROD.id, folder_id: FOLDERS.campaigns.id });
            assert.deepEqual(folder.map((p: { id: string }) => p.id), [USERS.carol.id]);
            const allFolders = await inspect({ scope_type: "prodenv", folder_id: "all" });
            assert.deepEqual(allFolders.map((p: { id: string }) => p.id), [USERS.carol.id]);
            const one = await inspect({ scope_type: "prodenv", scope_id: PROD.id, principal_type: "user", principal_id: USERS.bob.id });
            assert.deepEqual(one.map((p: { id: string }) => p.id), [USERS.bob.id]);
            expectError(await fx.api.get(`${PERMISSIONS}/principal_roles/inspect`), missingFields("scope_type"));
            expectError(await fx.api.get(`${PERMISSIONS}/principal_roles/inspect`, { query: { scope_type: "prodenv", scope_id: "nowhere" } }), notFound("scope_id", "nowhere"));
        });

        it("GET inspect pages with next_cursor at the server's page size, and is one page without one", async () => {
            const groupIds: string[] = [];
            for (let i = 0; i < 105; i++) groupIds.push(await newGroup(`team-${i}`));
            await rolePrincipals("upload_manager", { operation: "add", principals: groupIds.map((id) => ({ principal_type: "group", principal_id: id, scope_id: PROD.id })) });
            const query = { scope_type: "prodenv", scope_id: PROD.id };
            const whole = await fx.api.get(`${PERMISSIONS}/principal_roles/inspect`, { query });
            assert.equal(whole.body.data.principals.length, 108);
            assert.equal(whole.body.next_cursor, undefined);
            fx.emulator.setPageSize(100);
            const first = await fx.api.get(`${PERMISSIONS}/principal_roles/inspect`, { query });
            assert.equal(first.body.data.principals.length, 100);
            assert.equal(typeof first.body.next_cursor, "string");
            const second = await fx.api.get(`${PERMISSIONS}/principal_roles/inspect`, { query: { ...query, cursor: first.body.next_cursor } });
            assert.equal(second.body.data.principals.length, 108 - 100);
            assert.equal(second.body.next_cursor, undefined);
        });

        it("POST inspect: the listed principals, roles empty when they hold none", async () => {
            const res = await fx.api.post(`${PERMISSIONS}/principal_roles/inspect`, {
                scope_type: "prodenv",
                scope_id: PROD.id,
                principals: [
                    { type: "user", id: USERS.carol.id },
                    { type: "user", id: USERS.erin.id },
                ],
                policy_parameters: { folder_id: FOLDERS.campaigns.id },
            });
            assert.equal(res.status, 200);
            assert.deepEqual(
                res.body.data.principals.map((p: { id: string; roles: Array<{ id: string }> }) => [p.id, p.roles.map((r) => r.id)]),
                [
                    [USERS.carol.id, ["campaign_contributor"]],
                    [USERS.erin.id, []],
                ],
            );
            expectError(await fx.api.post(`${PERMISSIONS}/principal_roles/inspect`, { scope_type: "prodenv" }), missingFields("principals"));
            const stats = await fx.emulator.stats();
            assert.equal(stats.committedWrites, 2 + 2, "inspect POST is read-only");
        });

        it("effective policies bind the principal and the folder into the statements", async () => {
            const res = await fx.api.get(`${PERMISSIONS}/policies/effective`, { query: { scope_type: "prodenv", scope_id: PROD.id, principal_type: "user", principal_id: USERS.carol.id } });
            assert.equal(res.status, 200);
            const [carol] = res.body.data.principals;
            assert.equal(carol.principal_id, USERS.carol.id);
            const statement = carol.roles[0].system_policies[0].policy_statement as string;
            assert.ok(statement.includes(`principal == Cloudinary::User::"${USERS.carol.id}"`), statement);
            assert.ok(statement.includes(FOLDERS.campaigns.id));
            expectError(await fx.api.get(`${PERMISSIONS}/policies/effective`, { query: { scope_type: "prodenv", scope_id: "nowhere" } }), notFound("scope_id", "nowhere"));
            expectError(await fx.api.get(`${PERMISSIONS}/policies/effective`, { query: { principal_type: "user" } }), missingFields("principal_id"));
        });
    });

    describe("policies", () => {
        const statement = `permit(principal == Cloudinary::APIKey::"${PROD.integrationKey}", action == Cloudinary::Action::"read", resource is Cloudinary::Folder) when { resource.ancestor_ids.contains("${FOLDERS.products.id}") };`;
        const policy = (extra: Record<string, unknown> = {}) => ({ name: "Read products", scope_type: "prodenv", scope_id: PROD.id, policy_statement: statement, ...extra });

        it("system policies: account unless scope_type=prodenv, filtered by permission_type", async () => {
            const account = (await fx.api.get(`${PERMISSIONS}/policies/system`)).body.data;
            assert.ok(account.length > 0 && account.every((p: { scope_type: string }) => p.scope_type === "account"));
            const content = (await fx.api.get(`${PERMISSIONS}/policies/system`, { query: { scope_type: "prodenv", permission_type: "content" } })).body.data;
            assert.ok(content.some((p: { id: string }) => p.id === "cld::policy::content::folder::view_download"));
            assert.ok(content.every((p: { permission_type: string }) => p.permission_type === "content"));
        });

        it("custom policy lifecycle: create, get, list, update, delete", async () => {
            const created = await fx.api.post(`${PERMISSIONS}/policies/custom`, policy({ description: "d" }));
            assert.equal(created.status, 201);
            const id = created.body.data.id;
            assert.equal(created.body.data.enabled, true);
            assert.equal((await fx.api.get(`${PERMISSIONS}/policies/custom/${id}`)).body.data.name, "Read products");
            const list = await fx.api.get(`${PERMISSIONS}/policies/custom`, { query: { scope_type: "prodenv", scope_id: PROD.id } });
            assert.deepEqual(list.body.data.map((p: { id: string }) => p.id), [id]);
            assert.equal((await fx.api.get(`${PERMISSIONS}/policies/custom`)).body.data.length, 0, "account scope by default");
            const updated = await fx.api.put(`${PERMISSIONS}/policies/custom/${id}`, policy({ enabled: false, policy_statement: statement.replace('"read"', '"update"') }));
            assert.equal(updated.status, 200);
            assert.equal(updated.body.data.enabled, false);
            assert.equal((await fx.api.get(`${PERMISSIONS}/policies/custom`, { query: { scope_type: "prodenv", scope_id: PROD.id, enabled: true } })).body.data.length, 0);
            assert.equal((await fx.api.delete(`${PERMISSIONS}/policies/custom/${id}`)).status, 204);
            expectError(await fx.api.get(`${PERMISSIONS}/policies/custom/${id}`), notFound("policy_id", id));
        });

        it("custom policy errors: missing fields, bad Cedar, conflicts, unknown ids", async () => {
            expectError(await fx.api.post(`${PERMISSIONS}/policies/custom`, { scope_type: "prodenv", policy_statement: statement }), missingFields("name"));
            expectError(await fx.api.post(`${PERMISSIONS}/policies/custom`, policy({ scope_id: undefined })), missingFields("scope_id"));
            const bad = statement.replace("APIKey", "APIKy");
            expectError(await fx.api.post(`${PERMISSIONS}/policies/custom`, policy({ policy_statement: bad })), {
                status: 400,
                body: { error: { category: "user_error", code: "ACCOUNTS_00002", message: "invalid request", details: { fields: [{ policy_statement: bad }, { cedar_errors: [{ cedar_message: "invalid_principal" }] }] } } },
            });
            const syntax = await fx.api.post(`${PERMISSIONS}/policies/custom`, policy({ policy_statement: "permit(principal, action" }));
            assert.equal(syntax.status, 400);
            assert.equal(syntax.body.error.code, "ACCOUNTS_00002");
            const created = await fx.api.post(`${PERMISSIONS}/policies/custom`, policy());
            const dup = await fx.api.post(`${PERMISSIONS}/policies/custom`, policy({ name: "Another name" }));
            assert.equal(dup.status, 409);
            assert.equal(dup.body.error.message, "already exists for the scope");
            // The spec: an update that keeps the statement unchanged is a 409 too.
            assert.equal((await fx.api.put(`${PERMISSIONS}/policies/custom/${created.body.data.id}`, policy({ enabled: true }))).status, 409);
            expectError(await fx.api.put(`${PERMISSIONS}/policies/custom/${created.body.data.id}`, policy()), missingFields("enabled"));
            expectError(await fx.api.put(`${PERMISSIONS}/policies/custom/nope`, policy({ enabled: true })), notFound("policy_id", "nope"));
            expectError(await fx.api.delete(`${PERMISSIONS}/policies/custom/nope`), notFound("policy_id", "nope"));
            expectError(await fx.api.post(`${PERMISSIONS}/policies/custom`, policy({ scope_id: "nowhere" })), notFound("scope_id", "nowhere"));
        });
    });

    describe("public endpoints (no auth)", () => {
        it("catalog lists system policies and roles, including the emulator-only collection roles", async () => {
            const res = await fx.api.get("/v2/accounts/permissions/public/catalog");
            assert.equal(res.status, 200);
            const roles = res.body.catalog.system_roles as Array<{ id: string; system_policy_ids: string[]; emulator_only?: boolean }>;
            const viewer = roles.find((r) => r.id === "cld::role::folder::viewer")!;
            assert.deepEqual(viewer.system_policy_ids, ["cld::policy::content::folder::view_download", "cld::policy::content::folder::download_public_assets"]);
            assert.equal(roles.find((r) => r.id === "cld::role::collection::viewer")!.emulator_only, true);
            assert.ok(res.body.catalog.system_policies.length >= 21);
        });

        it("schema returns the Cedar schema; validate checks Cedar text", async () => {
            const schema = await fx.api.get("/v2/accounts/permissions/public/schema");
            assert.ok(schema.body.schema.Cloudinary.actions.read);
            const ok = await fx.api.post("/v2/accounts/permissions/public/validate", { policy: 'permit(principal == Cloudinary::User::"u1", action, resource);' });
            assert.deepEqual(ok.body, { valid: true });
            const bad = await fx.api.post("/v2/accounts/permissions/public/validate", { policy: 'permit(principal == Cloudinary::APIKy::"1234", action, resource);' });
            assert.deepEqual(bad.body, { valid: false, errors: [{ cedar_message: "invalid_principal", cedar_code: "ACCOUNTS_00002" }] });
            assert.equal((await fx.api.post("/v2/accounts/permissions/public/validate", {})).status, 400);
            assert.equal((await fx.emulator.stats()).writes, 0, "validate is read-only");
        });
    });
});

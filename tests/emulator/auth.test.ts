// Basic auth: account credentials for the account APIs, each product environment's own keys for its Admin API.
import * as assert from "node:assert/strict";
import { PROD, STAGING } from "../../emulator/seed";
import { FORBIDDEN, PERMISSIONS, PROD_ADMIN, PROVISIONING, UNAUTHORIZED, expectError, useEmulator } from "./helpers";

describe("emulator: authentication", () => {
    const fx = useEmulator();
    const roles = `${PERMISSIONS}/roles`;
    const query = { permission_type: "global" };

    it("Permissions API: 401 without or with wrong credentials (AuthorizationErrorExample)", async () => {
        expectError(await fx.api.get(roles, { query, auth: "none" }), UNAUTHORIZED);
        expectError(await fx.api.get(roles, { query, auth: ["810000000000001", "wrong"] }), UNAUTHORIZED);
        expectError(await fx.api.get(roles, { query, auth: "prod" }), UNAUTHORIZED);
        const stats = await fx.emulator.stats();
        assert.equal(stats.byStatus["401"], 3);
    });

    it("Permissions API: 403 for valid credentials on another account (ForbiddenErrorExample)", async () => {
        expectError(await fx.api.get("/v2/accounts/someoneelse/permissions/roles", { query }), FORBIDDEN);
        expectError(await fx.api.post("/v2/accounts/someoneelse/permissions/roles", { name: "x" }), FORBIDDEN);
        assert.equal(fx.emulator.state().customRoles.length, 0);
    });

    it("Provisioning API: 401 and 403 with its { error: { message } } body", async () => {
        const unauth = await fx.api.get(`${PROVISIONING}/users`, { auth: "none" });
        assert.deepEqual({ status: unauth.status, body: unauth.body }, { status: 401, body: { error: { message: "Invalid credentials" } } });
        const forbidden = await fx.api.get("/v1_1/provisioning/accounts/other/users");
        assert.equal(forbidden.status, 403);
        assert.ok(forbidden.body.error.message);
    });

    it("Admin API: a product environment's own keys only", async () => {
        assert.equal((await fx.api.get(`${PROD_ADMIN}/folders`, { auth: "prod" })).status, 200);
        assert.equal((await fx.api.get(`${PROD_ADMIN}/folders`, { auth: "prodIntegration" })).status, 200);
        const none = await fx.api.get(`${PROD_ADMIN}/folders`, { auth: "none" });
        assert.equal(none.status, 401);
        assert.ok(none.body.error.message);
        assert.equal((await fx.api.get(`${PROD_ADMIN}/folders`, { auth: [PROD.adminKey, STAGING.adminSecret] })).status, 401);
        assert.equal((await fx.api.get(`${PROD_ADMIN}/folders`, { auth: "account" })).status, 401);
        const other = await fx.api.get(`${PROD_ADMIN}/folders`, { auth: "staging" });
        assert.equal(other.status, 403);
        assert.ok(other.body.error.message);
        assert.equal((await fx.api.post(`${PROD_ADMIN}/folders/x-by-staging`, undefined, { auth: "staging" })).status, 403);
        assert.ok(!fx.emulator.state().folders.some((f) => f.path === "x-by-staging"));
    });

    it("public Permissions endpoints need no credentials", async () => {
        assert.equal((await fx.api.get("/v2/accounts/permissions/public/catalog", { auth: "none" })).status, 200);
        assert.equal((await fx.api.get("/v2/accounts/permissions/public/schema", { auth: "none" })).status, 200);
    });
});

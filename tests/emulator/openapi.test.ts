// The spec validator (emulator/openapi.ts), and the server's loud failure on a response that breaks the spec.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startEmulator } from "../../emulator";
import { checkQuery, loadSpec, matchOperation, validateRequestBody, validateResponse } from "../../emulator/openapi";
import { seedState } from "../../emulator/seed";
import { Client, PERMISSIONS } from "./helpers";

const ROLE = "/v2/accounts/{account_id}/permissions/roles/{role_id}";

describe("emulator: OpenAPI validation", () => {
    it("accepts the specs' own examples", () => {
        const examples = loadSpec("permissions").doc.components.examples;
        assert.ok(validateResponse("permissions", "GET", ROLE, 200, examples.GetRoleExample.value).valid);
        assert.ok(validateResponse("permissions", "GET", "/v2/accounts/{account_id}/permissions/roles", 200, examples.GetRolesExample.value).valid);
        assert.ok(validateResponse("permissions", "GET", "/v2/accounts/{account_id}/permissions/principal_roles/inspect", 200, examples.InspectExampleProdEnv.value).valid);
        for (const name of ["MissingFieldsErrorExample", "RoleNotFoundErrorExample", "RoleAlreadyExistsErrorExample"]) {
            assert.ok(validateResponse("permissions", "PUT", ROLE, 400, examples[name].value).valid, name);
        }
        const users = loadSpec("provisioning").doc.components.examples.Users.value;
        assert.ok(validateResponse("provisioning", "GET", "/v1_1/provisioning/accounts/{account_id}/users", 200, users).valid);
    });

    it("rejects responses that break the schema, naming the operation and the field", () => {
        const result = validateResponse("permissions", "GET", ROLE, 200, { data: { id: "x", name: "X", management_type: "both", permission_type: "global", scope_type: "prodenv", created_at: 1, updated_at: 1 } });
        assert.equal(result.valid, false);
        assert.match(result.message, /getRole/);
        assert.match(result.message, /management_type/);
    });

    it("handles OpenAPI 3.0 nullable and 3.1 null types", () => {
        const role = { id: "x", name: "X", management_type: "custom", permission_type: "global", scope_type: "prodenv", created_at: 1, updated_at: 1 };
        assert.ok(validateResponse("permissions", "GET", ROLE, 200, { data: { ...role, description: null } }).valid, "3.0 nullable");
        assert.equal(validateResponse("permissions", "GET", ROLE, 200, { data: { ...role, name: null } }).valid, false, "not nullable");
        const list = (next: unknown) => validateResponse("admin", "GET", "/v1_1/{cloud_name}/folders", 200, { folders: [], next_cursor: next, total_count: 0 });
        assert.ok(list(null).valid, "3.1 type [string, null]");
        assert.ok(list("abc").valid);
        assert.equal(list(3).valid, false);
    });

    it("checks declared bodies of 2xx without content and undeclared statuses", () => {
        const principals = "/v2/accounts/{account_id}/permissions/roles/{role_id}/principals";
        assert.ok(validateResponse("permissions", "PUT", principals, 200, undefined).valid);
        assert.equal(validateResponse("permissions", "PUT", principals, 200, { ok: true }).valid, false);
        assert.equal(validateResponse("permissions", "GET", ROLE, 202, {}).valid, false);
        // undeclared error statuses fall back to the spec's ErrorResponse / api_error
        assert.ok(validateResponse("permissions", "DELETE", ROLE, 409, { error: { code: "ACCOUNTS_00006", message: "m" } }).valid);
        assert.equal(validateResponse("admin", "GET", "/v1_1/{cloud_name}/folders", 503, { message: "no error object" }).valid, false);
    });

    it("validates request bodies and query parameters", () => {
        const bad = validateRequestBody("permissions", "POST", "/v2/accounts/{account_id}/permissions/roles", { name: "X" });
        assert.equal(bad.valid, false);
        assert.ok(bad.errors.some((e) => e.keyword === "required"));
        const q = checkQuery("permissions", "GET", "/v2/accounts/{account_id}/permissions/roles/{role_id}/principals", { verbose: "true", param_key: "folder_id" });
        assert.deepEqual(q.values, { verbose: true, param_key: ["folder_id"] });
        const roles = checkQuery("permissions", "GET", "/v2/accounts/{account_id}/permissions/roles", { scope_type: "moon" });
        assert.deepEqual(roles.missing, ["permission_type"]);
        assert.deepEqual(roles.invalid, [{ scope_type: "moon" }]);
    });

    it("maps request paths to spec operations", () => {
        assert.equal(matchOperation("admin", "PUT", "/v1_1/acme-prod/folders/by_id")?.operationId, "getFolderById");
        assert.equal(matchOperation("admin", "GET", "/v1_1/acme-prod/folders/a/b/c")?.operationId, "showFolder");
        assert.equal(matchOperation("permissions", "GET", "/v2/accounts/acct/permissions/roles/cld%3A%3Arole/principals")?.operationId, "getRolePrincipals");
        assert.equal(matchOperation("permissions", "PATCH", "/v2/accounts/acct/permissions/roles"), undefined);
    });

    it("the server answers 500, naming the operation, when its own response breaks the spec", async () => {
        // A state file with a role whose scope_type is outside ScopeTypeEnum: serving it is an emulator bug.
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cld-emu-"));
        const file = path.join(dir, "state.json");
        const state = seedState();
        state.customRoles.push({ id: "broken", name: "Broken", description: null, permissionType: "global", scopeType: "galaxy" as "account", systemPolicyIds: [], policyParameters: [], createdAt: 1, updatedAt: 1 });
        fs.writeFileSync(file, JSON.stringify(state));
        const emulator = await startEmulator({ port: 0, stateFile: file, quiet: true });
        try {
            const res = await new Client(emulator.url).get(`${PERMISSIONS}/roles/broken`);
            assert.equal(res.status, 500);
            assert.match(res.body.error.message, /emulator response validation failed: permissions getRole/);
            assert.match(res.body.error.message, /scope_type/);
            const stats = await emulator.stats();
            assert.equal(stats.responseValidation.failed, 1);
        } finally {
            await emulator.stop();
        }
    });
});

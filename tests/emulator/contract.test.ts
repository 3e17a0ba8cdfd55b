// The tests' own response check (contract.ts) can fail: unknown paths and methods, bodies that break a schema,
// bodies where the spec declares none, and undeclared success statuses are caught.
import * as assert from "node:assert/strict";
import { responseProblem } from "./contract";

const ROLE = "/v2/accounts/acct/permissions/roles/x";
const role = { id: "x", name: "X", management_type: "custom", permission_type: "global", scope_type: "prodenv", created_at: 1, updated_at: 1 };

describe("the tests' response check against the official specs", function () {
    this.timeout(30_000);

    it("accepts what the specs allow: 3.0 nullable, 3.1 null types, multi-segment folder paths, generic errors", async () => {
        assert.equal(await responseProblem("GET", ROLE, 200, { data: { ...role, description: null } }), undefined);
        assert.equal(await responseProblem("GET", "/v1_1/acme/folders/a/b/c", 200, { folders: [], next_cursor: null, total_count: 0 }), undefined);
        assert.equal(await responseProblem("PUT", `${ROLE}/principals`, 200, undefined), undefined);
        assert.equal(await responseProblem("DELETE", ROLE, 409, { error: { code: "ACCOUNTS_00006", message: "m" } }), undefined);
    });

    it("refuses a path or a method the spec does not have", async () => {
        assert.match((await responseProblem("PATCH", "/v2/accounts/acct/permissions/roles", 200, {}))!, /permissions\.yml has no such path and method/);
        assert.match((await responseProblem("GET", "/v1_1/provisioning/accounts/acct/no_such_thing", 200, {}))!, /provisioning\.yml has no such path and method/);
        await assert.rejects(responseProblem("GET", "/v3/elsewhere", 200, {}), /no spec describes \/v3\/elsewhere/);
    });

    it("refuses bodies that break the schema, naming the field", async () => {
        assert.match((await responseProblem("GET", ROLE, 200, { data: { ...role, name: null } }))!, /getRole.*\/data\/name.*must be string/);
        assert.match((await responseProblem("GET", "/v1_1/acme/folders/a", 200, { folders: [], next_cursor: 5, total_count: 0 }))!, /showFolder.*next_cursor/);
        assert.match((await responseProblem("PUT", "/v1_1/acme/folders/by_id", 200, { name: "a", path: "a", external_id: "e", created_at: "yesterday" }))!, /date-time/);
        assert.match((await responseProblem("GET", "/v1_1/provisioning/accounts/acct/users", 200, { users: [{ id: "u", email: "not-an-email" }] }))!, /users\/0\/email.*"format":"email"/);
        assert.match((await responseProblem("GET", "/v1_1/acme/folders", 503, { message: "no error object" }))!, /api_error/);
    });

    it("refuses a body where the spec declares none, and a success status it does not declare", async () => {
        assert.match((await responseProblem("PUT", `${ROLE}/principals`, 200, { ok: true }))!, /declares no body for 200/);
        assert.match((await responseProblem("GET", ROLE, 202, {}))!, /status not declared for getRole/);
    });
});

// Provisioning API: users, user groups and memberships, product environments.
import * as assert from "node:assert/strict";
import { PROD, STAGING, USERS } from "../../emulator/seed";
import { PERMISSIONS, PROVISIONING, useEmulator } from "./helpers";

describe("emulator: Provisioning API", () => {
    const fx = useEmulator();
    const createGroup = async (name: string) => fx.api.post(`${PROVISIONING}/user_groups`, { name });

    describe("users", () => {
        it("lists the seeded users, with the spec's filters", async () => {
            const all = await fx.api.get(`${PROVISIONING}/users`);
            assert.equal(all.status, 200);
            // The spec's default sort_order is desc; the seeded users share a creation time, so the ids decide.
            assert.deepEqual(all.body.users.map((u: { id: string }) => u.id), [USERS.erin.id, USERS.dave.id, USERS.carol.id, USERS.bob.id, USERS.alice.id]);
            const alice = all.body.users[4];
            assert.deepEqual([alice.name, alice.email, alice.role], ["Alice Admin", "alice@acme.example", "master_admin"]);
            const get = async (query: Record<string, string | string[] | number | boolean>) => (await fx.api.get(`${PROVISIONING}/users`, { query })).body.users.map((u: { name: string }) => u.name);
            assert.deepEqual(await get({ ids: [USERS.bob.id, USERS.erin.id] }), ["Erin Contractor", "Bob Designer"]);
            assert.deepEqual(await get({ emails: "carol@acme.example" }), ["Carol Marketer"]);
            assert.deepEqual(await get({ prefix: "da" }), ["Dave Developer"]);
            assert.deepEqual(await get({ sort_by: "name", sort_order: "desc", page_size: 2 }), ["Erin Contractor", "Dave Developer"]);
            assert.deepEqual(await get({ sort_by: "name", sort_order: "asc", page_size: 2, page: 3 }), ["Erin Contractor"]);
            assert.deepEqual(await get({ pending: true }), []);
            assert.equal((await get({ sub_account_id: PROD.id })).length, 5);
            assert.equal((await fx.api.get(`${PROVISIONING}/users`, { query: { sort_by: "shoe_size" } })).status, 400);
        });

        it("gets, creates, updates and deletes a user", async () => {
            assert.equal((await fx.api.get(`${PROVISIONING}/users/${USERS.dave.id}`)).body.email, "dave@acme.example");
            const missing = await fx.api.get(`${PROVISIONING}/users/nobody`);
            assert.equal(missing.status, 404);
            assert.ok(missing.body.error.message);
            const created = await fx.api.post(`${PROVISIONING}/users`, { name: "Frank", email: "frank@acme.example", role: "reports", sub_account_ids: [STAGING.id] });
            assert.equal(created.status, 200);
            assert.equal(created.body.pending, true);
            assert.equal(created.body.all_sub_accounts, false);
            assert.equal((await fx.api.post(`${PROVISIONING}/users`, { name: "Frank again", email: "FRANK@acme.example" })).status, 409);
            assert.equal((await fx.api.post(`${PROVISIONING}/users`, { name: "No email" })).status, 400);
            assert.equal((await fx.api.post(`${PROVISIONING}/users`, { name: "Bad role", email: "x@y.z", role: "king" })).status, 400);
            const updated = await fx.api.put(`${PROVISIONING}/users/${created.body.id}`, { name: "Franklin" });
            assert.equal(updated.body.name, "Franklin");
            assert.equal((await fx.api.put(`${PROVISIONING}/users/${created.body.id}`, { email: "bob@acme.example" })).status, 409);
            const subs = await fx.api.get(`${PROVISIONING}/users/${created.body.id}/sub_accounts`);
            assert.deepEqual(subs.body.sub_accounts.map((s: { id: string }) => s.id), [STAGING.id]);
            assert.equal((await fx.api.delete(`${PROVISIONING}/users/${created.body.id}`)).status, 200);
            assert.equal((await fx.api.get(`${PROVISIONING}/users/${created.body.id}`)).status, 404);
        });

        it("deleting a user removes its memberships and role assignments", async () => {
            const group = (await createGroup("Team")).body.id;
            await fx.api.post(`${PROVISIONING}/user_groups/${group}/users/${USERS.erin.id}`);
            await fx.api.put(`${PERMISSIONS}/principal_roles`, { operation: "add", principal: { type: "user", id: USERS.erin.id }, roles: [{ id: "cld::role::account::reports" }] });
            await fx.api.delete(`${PROVISIONING}/users/${USERS.erin.id}`);
            const state = fx.emulator.state();
            assert.ok(!state.assignments.some((a) => a.principalId === USERS.erin.id));
            assert.deepEqual(state.groups[0].userIds, []);
        });
    });

    describe("user groups", () => {
        it("creates, lists, gets (with extended details), renames and deletes groups", async () => {
            const created = await createGroup("Designers");
            assert.equal(created.status, 200);
            assert.deepEqual(Object.keys(created.body).sort(), ["id", "name"]);
            const id = created.body.id;
            await fx.api.post(`${PROVISIONING}/user_groups/${id}/users/${USERS.bob.id}`);
            const list = await fx.api.get(`${PROVISIONING}/user_groups`);
            assert.deepEqual(list.body.user_groups, [{ id, name: "Designers" }]);
            const extended = await fx.api.get(`${PROVISIONING}/user_groups/${id}`, { query: { extended_details: true } });
            assert.deepEqual(extended.body.users, [{ id: USERS.bob.id, name: "Bob Designer", email: "bob@acme.example" }]);
            assert.ok(extended.body.created_at);
            const renamed = await fx.api.put(`${PROVISIONING}/user_groups/${id}`, { name: "Design" });
            assert.equal(renamed.body.name, "Design");
            assert.equal((await fx.api.delete(`${PROVISIONING}/user_groups/${id}`)).status, 200);
            assert.equal((await fx.api.get(`${PROVISIONING}/user_groups/${id}`)).status, 404);
            assert.equal((await fx.api.delete(`${PROVISIONING}/user_groups/${id}`)).status, 404);
        });

        it("group names are unique (409) and required (400)", async () => {
            const a = (await createGroup("Marketing")).body.id;
            const b = (await createGroup("Platform")).body.id;
            assert.equal((await createGroup("marketing")).status, 409);
            assert.equal((await fx.api.put(`${PROVISIONING}/user_groups/${b}`, { name: "Marketing" })).status, 409);
            assert.equal((await fx.api.put(`${PROVISIONING}/user_groups/${a}`, { name: "Marketing" })).status, 200, "its own name");
            assert.equal((await fx.api.post(`${PROVISIONING}/user_groups`, {})).status, 400);
            assert.equal((await fx.api.put(`${PROVISIONING}/user_groups/nope`, { name: "X" })).status, 404);
        });

        it("membership: add (409 when already a member), list, the user's groups, remove (404 when not a member)", async () => {
            const id = (await createGroup("Platform")).body.id;
            const add = await fx.api.post(`${PROVISIONING}/user_groups/${id}/users/${USERS.dave.id}`);
            assert.deepEqual({ status: add.status, body: add.body }, { status: 200, body: { id: USERS.dave.id, name: "Dave Developer", email: "dave@acme.example" } });
            assert.equal((await fx.api.post(`${PROVISIONING}/user_groups/${id}/users/${USERS.dave.id}`)).status, 409);
            await fx.api.post(`${PROVISIONING}/user_groups/${id}/users/${USERS.alice.id}`);
            const members = await fx.api.get(`${PROVISIONING}/user_groups/${id}/users`);
            assert.deepEqual(members.body.users.map((u: { id: string }) => u.id), [USERS.dave.id, USERS.alice.id]);
            const groups = await fx.api.get(`${PROVISIONING}/users/${USERS.dave.id}/groups`);
            assert.deepEqual(groups.body, { groups: [{ id, name: "Platform" }] });
            const removed = await fx.api.delete(`${PROVISIONING}/user_groups/${id}/users/${USERS.dave.id}`);
            assert.deepEqual(removed.body.users.map((u: { id: string }) => u.id), [USERS.alice.id]);
            assert.equal((await fx.api.delete(`${PROVISIONING}/user_groups/${id}/users/${USERS.dave.id}`)).status, 404);
            assert.equal((await fx.api.post(`${PROVISIONING}/user_groups/${id}/users/nobody`)).status, 404);
            assert.equal((await fx.api.post(`${PROVISIONING}/user_groups/nogroup/users/${USERS.dave.id}`)).status, 404);
        });

        it("a POST without a body, or with an empty JSON content, is accepted", async () => {
            const id = (await createGroup("Empty bodies")).body.id;
            const res = await fx.api.call("POST", `${PROVISIONING}/user_groups/${id}/users/${USERS.bob.id}`, { rawBody: "" });
            assert.equal(res.status, 200);
        });
    });

    describe("product environments (sub_accounts)", () => {
        it("lists and gets them with their keys; filters", async () => {
            const all = await fx.api.get(`${PROVISIONING}/sub_accounts`);
            assert.deepEqual(all.body.sub_accounts.map((s: { cloud_name: string }) => s.cloud_name), ["acme-prod", "acme-staging"]);
            assert.deepEqual(all.body.sub_accounts[0].api_access_keys.map((k: { key: string }) => k.key), [PROD.adminKey, PROD.integrationKey]);
            const one = await fx.api.get(`${PROVISIONING}/sub_accounts/${STAGING.id}`);
            assert.equal(one.body.name, "Acme Staging");
            assert.equal((await fx.api.get(`${PROVISIONING}/sub_accounts/nope`)).status, 404);
            const filtered = await fx.api.get(`${PROVISIONING}/sub_accounts`, { query: { cloud_names: ["acme-staging"] } });
            assert.deepEqual(filtered.body.sub_accounts.map((s: { id: string }) => s.id), [STAGING.id]);
            assert.equal((await fx.api.get(`${PROVISIONING}/sub_accounts`, { query: { prefix: "Acme P" } })).body.sub_accounts.length, 1);
            assert.equal((await fx.api.get(`${PROVISIONING}/sub_accounts`, { query: { enabled: false } })).body.sub_accounts.length, 0);
        });
    });
});

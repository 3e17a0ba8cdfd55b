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

    describe("a user's product environments (sub_account_ids)", () => {
        const subAccounts = async (id: string) => (await fx.api.get(`${PROVISIONING}/users/${id}/sub_accounts`)).body.sub_accounts;
        const access = (u: { all_sub_accounts: boolean; sub_account_count: number }) => ({ all: u.all_sub_accounts, count: u.sub_account_count });
        const staging = { id: STAGING.id, name: "Acme Staging", cloud_name: "acme-staging", enabled: true };
        const prod = { id: PROD.id, name: "Acme Production", cloud_name: "acme-prod", enabled: true };
        const withAccess = async (peId: string) => (await fx.api.get(`${PROVISIONING}/users`, { query: { sub_account_id: peId } })).body.users.map((u: { email: string }) => u.email);

        it("a list limits the user to those product environments; without one it has them all", async () => {
            const frank = (await fx.api.post(`${PROVISIONING}/users`, { name: "Frank", email: "frank@acme.example", sub_account_ids: [STAGING.id] })).body;
            assert.deepEqual(access(frank), { all: false, count: 1 });
            assert.deepEqual(await subAccounts(frank.id), [staging]);
            const gina = (await fx.api.post(`${PROVISIONING}/users`, { name: "Gina", email: "gina@acme.example" })).body;
            assert.deepEqual(access(gina), { all: true, count: 2 });
            assert.deepEqual(await subAccounts(gina.id), [prod, staging]);
            assert.ok((await withAccess(STAGING.id)).includes("frank@acme.example"));
            assert.ok(!(await withAccess(PROD.id)).includes("frank@acme.example"));
            assert.equal((await withAccess(PROD.id)).length, 6, "the five seeded users and gina have every product environment");
            const moved = (await fx.api.put(`${PROVISIONING}/users/${frank.id}`, { sub_account_ids: [PROD.id] })).body;
            assert.deepEqual({ ...access(moved), subs: await subAccounts(frank.id) }, { all: false, count: 1, subs: [prod] });
            const none = (await fx.api.put(`${PROVISIONING}/users/${frank.id}`, { sub_account_ids: [] })).body;
            assert.deepEqual({ ...access(none), subs: await subAccounts(frank.id) }, { all: false, count: 0, subs: [] });
        });

        it("is ignored for master_admin, on create and on update, who has every product environment", async () => {
            const admin = (await fx.api.post(`${PROVISIONING}/users`, { name: "Hal", email: "hal@acme.example", role: "master_admin", sub_account_ids: [STAGING.id] })).body;
            assert.deepEqual(access(admin), { all: true, count: 2 });
            const frank = (await fx.api.post(`${PROVISIONING}/users`, { name: "Frank", email: "frank@acme.example", sub_account_ids: [STAGING.id] })).body;
            const promoted = (await fx.api.put(`${PROVISIONING}/users/${frank.id}`, { role: "master_admin", sub_account_ids: [STAGING.id] })).body;
            assert.deepEqual(access(promoted), { all: true, count: 2 });
            // Demoted without a list: the default, all product environments.
            const demoted = (await fx.api.put(`${PROVISIONING}/users/${frank.id}`, { role: "media_library_user" })).body;
            assert.deepEqual(access(demoted), { all: true, count: 2 });
        });

        it("unknown product environments are 404, naming the id; nothing is written", async () => {
            const created = await fx.api.post(`${PROVISIONING}/users`, { name: "Ivy", email: "ivy@acme.example", sub_account_ids: ["pe-nowhere"] });
            assert.deepEqual({ status: created.status, body: created.body }, { status: 404, body: { error: { message: "Product environment pe-nowhere not found" } } });
            const updated = await fx.api.put(`${PROVISIONING}/users/${USERS.bob.id}`, { sub_account_ids: [PROD.id, "pe-nowhere"] });
            assert.equal(updated.status, 404);
            assert.deepEqual(access((await fx.api.get(`${PROVISIONING}/users/${USERS.bob.id}`)).body), { all: true, count: 2 });
            assert.equal((await fx.api.get(`${PROVISIONING}/users`, { query: { sub_account_id: "pe-nowhere" } })).status, 404);
            assert.equal((await fx.emulator.stats()).committedWrites, 0);
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

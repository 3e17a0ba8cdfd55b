// Paging, as the specs define it for each listing they page, with the emulator started at page size 2: every
// page, the cursor or page number that leads to the next, the shape of the last page, a request's own page size,
// and the listings the specs do not page staying whole. Expected values are written by hand from the seed.
import * as assert from "node:assert/strict";
import { startEmulator } from "../../emulator";
import { FOLDERS, PROD, USERS } from "../../emulator/seed";
import { PERMISSIONS, PROD_ADMIN, PROVISIONING, invalidField, useEmulator } from "./helpers";

const ACCOUNT_POLICY = (n: number) => `permit(principal == Cloudinary::User::"u${n}", action == Cloudinary::Action::"read", resource is Cloudinary::Report);`;

describe("emulator: paging (started at page size 2)", () => {
    const fx = useEmulator({ pageSize: 2 });

    /** Every page of a cursor listing: the pages' sizes and the entries, in order. */
    async function cursorPages(path: string, query: Record<string, string>, cursorParam: string, read: (body: any) => string[], nextOf: (body: any) => string | null | undefined) {
        const sizes: number[] = [];
        const all: string[] = [];
        let cursor: string | undefined;
        for (let i = 0; i < 20; i++) {
            const res = await fx.api.get(path, { query: { ...query, ...(cursor ? { [cursorParam]: cursor } : {}) } });
            assert.equal(res.status, 200, JSON.stringify(res.body));
            const items = read(res.body);
            sizes.push(items.length);
            all.push(...items);
            cursor = nextOf(res.body) ?? undefined;
            if (!cursor) return { sizes, all, last: res.body };
        }
        throw new Error("more than 20 pages");
    }

    describe("the page-size control", () => {
        it("shows, sets and clears the page size; the start value is the default it goes back to", async () => {
            assert.deepEqual((await fx.api.get("/_emulator/page-size")).body, { pageSize: 2 });
            assert.deepEqual((await fx.api.put("/_emulator/page-size", { pageSize: 3 })).body, { pageSize: 3 });
            assert.deepEqual((await fx.api.get(`${PROVISIONING}/users`)).body.users.length, 3);
            for (const bad of [{ pageSize: 0 }, { pageSize: 1.5 }, { pageSize: "x" }, {}]) {
                const res = await fx.api.put("/_emulator/page-size", bad);
                assert.equal(res.status, 400, JSON.stringify(bad));
                assert.match(res.body.error.message, /^pageSize: a page size is a whole number from 1/);
            }
            assert.deepEqual((await fx.api.delete("/_emulator/page-size")).body, { pageSize: 2 });
            fx.emulator.setPageSize(4);
            await fx.emulator.reset();
            assert.deepEqual((await fx.api.get("/_emulator/page-size")).body, { pageSize: 2 }, "reset goes back to the start value");
            await assert.rejects(startEmulator({ port: 0, quiet: true, pageSize: 0 }), /^Error: startEmulator: pageSize: a page size is a whole number from 1; got 0$/);
        });
    });

    describe("Permissions API: next_cursor, then cursor", () => {
        it("custom policies: pages of 2 in creation order, no next_cursor on the last; a cursor it never gave is 400", async () => {
            const ids: string[] = [];
            for (let n = 1; n <= 5; n++) ids.push((await fx.api.post(`${PERMISSIONS}/policies/custom`, { name: `P${n}`, scope_type: "account", policy_statement: ACCOUNT_POLICY(n) })).body.data.id);
            const pages = await cursorPages(`${PERMISSIONS}/policies/custom`, {}, "cursor", (b) => b.data.map((p: { id: string }) => p.id), (b) => b.next_cursor);
            assert.deepEqual(pages.sizes, [2, 2, 1]);
            assert.deepEqual(pages.all, ids);
            assert.equal("next_cursor" in pages.last, false);
            const bad = await fx.api.get(`${PERMISSIONS}/policies/custom`, { query: { cursor: "not-a-cursor" } });
            assert.equal(bad.status, 400);
            assert.deepEqual(bad.body.error.details.fields, [{ cursor: "not-a-cursor" }]);
        });

        it("system policies: pages of 2, followed with `cursor` (the spec gives next_cursor but declares no cursor)", async () => {
            const pages = await cursorPages(`${PERMISSIONS}/policies/system`, { scope_type: "prodenv", permission_type: "content" }, "cursor", (b) => b.data.map((p: { id: string }) => p.id), (b) => b.next_cursor);
            assert.deepEqual(pages.sizes, [2, 2, 2]);
            assert.deepEqual(pages.all, [
                "cld::policy::content::folder::view_download",
                "cld::policy::content::folder::add_assets",
                "cld::policy::content::folder::download_public_assets",
                "cld::policy::content::folder::move_assets",
                "cld::policy::content::collection::add_assets",
                "cld::policy::content::collection::remove_assets",
            ]);
        });

        it("inspect, GET and POST: pages of 2 principals", async () => {
            const groups: string[] = [];
            for (const name of ["A", "B", "C"]) groups.push((await fx.api.post(`${PROVISIONING}/user_groups`, { name })).body.id);
            const principals = [...groups.map((id) => ({ principal_type: "group", principal_id: id, scope_id: PROD.id })), { principal_type: "user", principal_id: USERS.bob.id, scope_id: PROD.id }];
            assert.equal((await fx.api.put(`${PERMISSIONS}/roles/${encodeURIComponent("cld::role::prodenv::reports")}/principals`, { operation: "add", principals })).status, 200);
            const expected = [...[...groups].sort().map((id) => `group:${id}`), `user:${USERS.bob.id}`];
            const read = (b: any) => b.data.principals.map((p: { type: string; id: string }) => `${p.type}:${p.id}`);
            const get = await cursorPages(`${PERMISSIONS}/principal_roles/inspect`, { scope_type: "prodenv", scope_id: PROD.id }, "cursor", read, (b) => b.next_cursor);
            assert.deepEqual(get.sizes, [2, 2]);
            assert.deepEqual(get.all, expected);
            const body = { scope_type: "prodenv", scope_id: PROD.id, principals: [...groups.map((id) => ({ type: "group", id })), { type: "user", id: USERS.carol.id }] };
            const first = await fx.api.post(`${PERMISSIONS}/principal_roles/inspect`, body);
            assert.equal(first.body.data.principals.length, 2);
            const second = await fx.api.post(`${PERMISSIONS}/principal_roles/inspect`, { ...body, cursor: first.body.next_cursor });
            assert.deepEqual([...read(first.body), ...read(second.body)], [...[...groups].sort().map((id) => `group:${id}`), `user:${USERS.carol.id}`]);
            assert.equal(second.body.next_cursor, undefined);
        });
    });

    describe("Provisioning API users: page and page_size", () => {
        const names = async (query: Record<string, string | number> = {}) => (await fx.api.get(`${PROVISIONING}/users`, { query })).body.users.map((u: { name: string }) => u.name);

        it("pages of 2 by page number (newest first, the spec's default order); past the end an empty page", async () => {
            assert.deepEqual(await names(), ["Erin Contractor", "Dave Developer"]);
            assert.deepEqual(await names({ page: 2 }), ["Carol Marketer", "Bob Designer"]);
            assert.deepEqual(await names({ page: 3 }), ["Alice Admin"]);
            assert.deepEqual(await names({ page: 4 }), []);
        });

        it("the request's own page_size wins over the server's; 0 is refused naming the parameter", async () => {
            assert.deepEqual(await names({ page_size: 4 }), ["Erin Contractor", "Dave Developer", "Carol Marketer", "Bob Designer"]);
            assert.deepEqual(await names({ page_size: 4, page: 2 }), ["Alice Admin"]);
            assert.deepEqual(await names({ page_size: 1, page: 5, sort_order: "asc" }), ["Erin Contractor"]);
            const bad = await fx.api.get(`${PROVISIONING}/users`, { query: { page_size: 0 } });
            assert.equal(bad.status, 400);
            assert.match(bad.body.error.message, /page_size/);
        });
    });

    describe("Admin API folders", () => {
        beforeEach(async () => {
            for (const name of ["e", "a", "c", "b", "d"]) assert.equal((await fx.api.post(`${PROD_ADMIN}/folders/products/${name}`)).status, 200);
        });
        const paths = (b: any) => b.folders.map((f: { path: string }) => f.path);

        it("subfolders: pages of 2 by path, next_cursor null on the last page, total_count the whole listing", async () => {
            const pages = await cursorPages(`${PROD_ADMIN}/folders/products`, {}, "next_cursor", paths, (b) => b.next_cursor);
            assert.deepEqual(pages.sizes, [2, 2, 1]);
            assert.deepEqual(pages.all, ["products/a", "products/b", "products/c", "products/d", "products/e"]);
            assert.equal(pages.last.next_cursor, null);
            assert.equal(pages.last.total_count, 5);
        });

        it("subfolders: the request's max_results wins (1 to 500)", async () => {
            const four = await fx.api.get(`${PROD_ADMIN}/folders/products`, { query: { max_results: 4 } });
            assert.deepEqual(paths(four.body), ["products/a", "products/b", "products/c", "products/d"]);
            const rest = await fx.api.get(`${PROD_ADMIN}/folders/products`, { query: { max_results: 4, next_cursor: four.body.next_cursor } });
            assert.deepEqual({ paths: paths(rest.body), next: rest.body.next_cursor }, { paths: ["products/e"], next: null });
            for (const bad of [0, 501]) {
                const res = await fx.api.get(`${PROD_ADMIN}/folders/products`, { query: { max_results: bad } });
                assert.equal(res.status, 400);
                assert.match(res.body.error.message, /max_results/);
            }
        });

        it("root folders are not paged: next_cursor is always null (the spec)", async () => {
            const root = await fx.api.get(`${PROD_ADMIN}/folders`);
            assert.deepEqual({ paths: paths(root.body), next: root.body.next_cursor, total: root.body.total_count }, { paths: ["creative", "marketing", "products"], next: null, total: 3 });
        });

        it("descendants are not paged", async () => {
            const res = await fx.api.put(`${PROD_ADMIN}/folders/descendants`, { id: FOLDERS.products.id });
            assert.deepEqual(paths(res.body), ["products/a", "products/b", "products/c", "products/d", "products/e"]);
        });
    });

    describe("listings the specs do not page stay whole", () => {
        it("roles, a role's principals, a principal's roles, user groups and their users, effective policies", async () => {
            const globalRoles = (await fx.api.get(`${PERMISSIONS}/roles`, { query: { permission_type: "global" } })).body.data;
            assert.equal(globalRoles.length, 7);
            const groups: string[] = [];
            for (const name of ["A", "B", "C"]) groups.push((await fx.api.post(`${PROVISIONING}/user_groups`, { name })).body.id);
            assert.equal((await fx.api.get(`${PROVISIONING}/user_groups`)).body.user_groups.length, 3);
            for (const u of [USERS.bob.id, USERS.carol.id, USERS.dave.id]) await fx.api.post(`${PROVISIONING}/user_groups/${groups[0]}/users/${u}`);
            assert.equal((await fx.api.get(`${PROVISIONING}/user_groups/${groups[0]}/users`)).body.users.length, 3);
            const reports = encodeURIComponent("cld::role::prodenv::reports");
            await fx.api.put(`${PERMISSIONS}/roles/${reports}/principals`, { operation: "add", principals: groups.map((id) => ({ principal_type: "group", principal_id: id, scope_id: PROD.id })) });
            assert.equal((await fx.api.get(`${PERMISSIONS}/roles/${reports}/principals`)).body.data.length, 3);
            const roles = ["cld::role::prodenv::reports", "cld::role::prodenv::ml_user", "cld::role::prodenv::master_admin"].map((id) => ({ id, scope_id: PROD.id }));
            await fx.api.put(`${PERMISSIONS}/principal_roles`, { operation: "add", principal: { type: "user", id: USERS.erin.id }, roles });
            assert.equal((await fx.api.get(`${PERMISSIONS}/principal_roles`, { query: { principal_type: "user", principal_id: USERS.erin.id, permission_type: "global" } })).body.data.length, 3);
            const effective = (await fx.api.get(`${PERMISSIONS}/policies/effective`, { query: { scope_type: "prodenv", scope_id: PROD.id } })).body.data;
            assert.equal(effective.principals.length, 4);
        });
    });

    it("a cursor that breaks the Admin API's next_cursor is refused in its error shape", async () => {
        const res = await fx.api.get(`${PROD_ADMIN}/folders/marketing`, { query: { next_cursor: "garbage" } });
        assert.deepEqual({ status: res.status, body: res.body }, { status: 400, body: { error: { message: 'Invalid value for next_cursor: "garbage" (not a cursor this listing gave)' } } });
        const permissions = await fx.api.get(`${PERMISSIONS}/policies/custom`, { query: { cursor: "garbage" } });
        assert.deepEqual({ status: permissions.status, body: permissions.body }, invalidField("cursor", "garbage"));
    });
});

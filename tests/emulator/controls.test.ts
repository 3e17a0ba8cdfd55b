// The /_emulator controls: stats, reset, state dump, fault injection, rate limit. Timing is checked on a fake clock.
import * as FakeTimers from "@sinonjs/fake-timers";
import * as assert from "node:assert/strict";
import * as http from "node:http";
import { PROD, USERS } from "../../emulator/seed";
import { PERMISSIONS, PROD_ADMIN, PROVISIONING, useEmulator } from "./helpers";

describe("emulator: /_emulator controls", () => {
    const fx = useEmulator();
    afterEach(async () => {
        await fx.api.delete("/_emulator/faults");
        await fx.api.delete("/_emulator/rate-limit");
    });

    describe("stats, reset, state", () => {
        it("counts requests by route template and status; writes whatever their outcome, committed writes apart", async () => {
            await fx.api.get(`${PERMISSIONS}/roles`, { query: { permission_type: "global" } });
            await fx.api.get(`${PERMISSIONS}/roles`, { query: { permission_type: "content" } });
            await fx.api.post(`${PROVISIONING}/user_groups`, { name: "A" });
            await fx.api.post(`${PROVISIONING}/user_groups`, { name: "A" }); // 409: a write, not committed
            await fx.api.put(`${PROD_ADMIN}/folders/by_id`, { id: "none" }); // a read despite PUT
            await fx.api.get("/_emulator/state"); // controls are not counted
            const stats = (await fx.api.get("/_emulator/stats")).body;
            assert.equal(stats.total, 5);
            assert.equal(stats.writes, 2);
            assert.equal(stats.committedWrites, 1);
            assert.equal(stats.byRoute["GET /v2/accounts/:account_id/permissions/roles"], 2);
            assert.equal(stats.byRoute["POST /v1_1/provisioning/accounts/:account_id/user_groups"], 2);
            assert.equal(stats.byRoute["PUT /v1_1/:cloud_name/folders/by_id"], 1);
            assert.deepEqual(stats.byStatus, { "200": 3, "404": 1, "409": 1 });
            assert.equal(stats.responseValidation.checked, 5);
            assert.equal(stats.responseValidation.failed, 0);
        });

        it("reset brings back the seed; ?only=stats keeps the state", async () => {
            await fx.api.post(`${PROVISIONING}/user_groups`, { name: "Temp" });
            await fx.api.post("/_emulator/reset", undefined, { query: { only: "stats" } });
            assert.equal((await fx.api.get("/_emulator/stats")).body.total, 0);
            assert.equal((await fx.api.get("/_emulator/state")).body.groups.length, 1);
            await fx.api.post("/_emulator/reset");
            const state = (await fx.api.get("/_emulator/state")).body;
            assert.equal(state.groups.length, 0);
            assert.equal(state.users.length, 5);
            assert.equal(state.folders.length, 8);
            assert.deepEqual(state.assignments.map((a: { roleId: string; principalId: string }) => [a.roleId, a.principalId]), [["cld::role::account::master_admin", USERS.alice.id]]);
        });
    });

    describe("faults", () => {
        it("validates the settings and reports them", async () => {
            assert.equal((await fx.api.put("/_emulator/faults", { rate: 2 })).status, 400);
            assert.equal((await fx.api.put("/_emulator/faults", { rate: 0.5, statuses: [404] })).status, 400);
            assert.equal((await fx.api.put("/_emulator/faults", { rate: 0.5, statuses: [503], seed: 7 })).status, 200);
            assert.deepEqual((await fx.api.get("/_emulator/faults")).body.faults, { rate: 0.5, statuses: [503], seed: 7 });
            await fx.api.delete("/_emulator/faults");
            assert.equal((await fx.api.get("/_emulator/faults")).body.faults, null);
        });

        it("injects 429 with Retry-After, in each API's error shape, without performing the request", async () => {
            await fx.api.put("/_emulator/faults", { rate: 1, statuses: [429], retryAfterSeconds: 7 });
            const perm = await fx.api.post(`${PERMISSIONS}/roles`, { name: "X", permission_type: "global", scope_type: "prodenv", system_policy_ids: ["cld::policy::global::ml::access"] });
            assert.equal(perm.status, 429);
            assert.equal(perm.headers.get("retry-after"), "7");
            assert.ok(perm.body.error.message);
            const prov = await fx.api.post(`${PROVISIONING}/user_groups`, { name: "X" });
            assert.deepEqual({ status: prov.status, body: prov.body }, { status: 429, body: { error: { message: "Rate Limit Exceeded" } } });
            const stats = (await fx.api.get("/_emulator/stats")).body;
            assert.equal(stats.writes, 2);
            assert.equal(stats.committedWrites, 0);
            assert.equal(fx.emulator.state().customRoles.length, 0);
            // controls are never faulted
            assert.equal((await fx.api.get("/_emulator/state")).status, 200);
        });

        it("injects 500 (InternalServerErrorExample) and 503, deterministically with a seed", async () => {
            await fx.api.put("/_emulator/faults", { rate: 1, statuses: [500] });
            const res = await fx.api.get(`${PERMISSIONS}/roles`, { query: { permission_type: "global" } });
            assert.deepEqual({ status: res.status, body: res.body }, { status: 500, body: { error: { category: "server_error", code: "ACCOUNTS_00001", message: "something went wrong" } } });
            const run = async () => {
                await fx.api.put("/_emulator/faults", { rate: 0.5, statuses: [500, 503], seed: 42 });
                const seen: number[] = [];
                for (let i = 0; i < 30; i++) seen.push((await fx.api.get(`${PROD_ADMIN}/folders`)).status);
                return seen;
            };
            const first = await run();
            const second = await run();
            assert.deepEqual(first, second);
            assert.ok(first.includes(200) && first.includes(500) && first.includes(503), first.join(","));
        });

        it("limits faults and drops to the listed routes", async () => {
            assert.equal((await fx.api.put("/_emulator/faults", { rate: 1, statuses: [500], routes: ["user_groups"] })).status, 400);
            const members = "POST /v1_1/provisioning/accounts/:account_id/user_groups/:group_id/users/:user_id";
            assert.equal((await fx.api.put("/_emulator/faults", { rate: 1, statuses: [500], dropAfterCommitRate: 1, routes: [members] })).status, 200);
            const group = await fx.api.post(`${PROVISIONING}/user_groups`, { name: "Routed" });
            assert.equal(group.status, 200);
            assert.equal((await fx.api.post(`${PROVISIONING}/user_groups/${group.body.id}/users/${USERS.bob.id}`)).status, 500);
            assert.equal((await fx.api.get(`${PROVISIONING}/user_groups/${group.body.id}/users`)).body.users.length, 0);
            const stats = (await fx.api.get("/_emulator/stats")).body;
            assert.deepEqual(stats.byStatus, { "200": 2, "500": 1 });
        });

        it("drop after commit: the write is committed, the client sees the connection die", async () => {
            await fx.api.put("/_emulator/faults", { rate: 0, statuses: [500], dropAfterCommitRate: 1 });
            await assert.rejects(fx.api.post(`${PROVISIONING}/user_groups`, { name: "Lost reply" }), (e: Error) => /fetch failed|socket|closed|ECONNRESET/i.test(`${e.message} ${String((e as { cause?: unknown }).cause)}`));
            assert.deepEqual(fx.emulator.state().groups.map((g) => g.name), ["Lost reply"]);
            // reads and refused writes still answer
            assert.equal((await fx.api.get(`${PROVISIONING}/user_groups`)).status, 200);
            assert.equal((await fx.api.post(`${PROVISIONING}/user_groups`, { name: "Lost reply" })).status, 409);
            const stats = (await fx.api.get("/_emulator/stats")).body;
            assert.equal(stats.committedWrites, 1);
            assert.equal(stats.byStatus.dropped, 1);
        });

        it("the drop is a socket error at the HTTP level too (no status line)", async () => {
            await fx.api.put("/_emulator/faults", { rate: 0, statuses: [500], dropAfterCommitRate: 1 });
            const body = JSON.stringify({ name: "Raw" });
            const outcome = await new Promise<string>((resolve) => {
                const req = http.request(
                    `${fx.emulator.url}${PROVISIONING}/user_groups`,
                    { method: "POST", auth: "810000000000001:emu-account-secret-0001", headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) } },
                    (res) => resolve(`status ${res.statusCode}`),
                );
                req.on("error", (e: NodeJS.ErrnoException) => resolve(`error ${e.code}`));
                req.end(body);
            });
            assert.match(outcome, /^error (ECONNRESET|EPIPE)/);
        });
    });

    describe("rate limit", () => {
        it("sends Cloudinary's headers on every API response and 429s beyond the budget", async () => {
            assert.equal((await fx.api.put("/_emulator/rate-limit", { limit: 3, windowSeconds: 60 })).status, 200);
            const first = await fx.api.get(`${PROD_ADMIN}/folders`);
            assert.equal(first.headers.get("x-featureratelimit-limit"), "3");
            assert.equal(first.headers.get("x-featureratelimit-remaining"), "2");
            assert.ok(Date.parse(first.headers.get("x-featureratelimit-reset") ?? "") > 0, "an HTTP date");
            await fx.api.get(`${PERMISSIONS}/roles`, { query: { permission_type: "global" } });
            const third = await fx.api.get(`${PROVISIONING}/users`);
            assert.equal(third.headers.get("x-featureratelimit-remaining"), "0");
            const limited = await fx.api.get(`${PROVISIONING}/users`);
            assert.equal(limited.status, 429);
            assert.ok(Number(limited.headers.get("retry-after")) >= 1);
            assert.equal(limited.headers.get("x-featureratelimit-remaining"), "0");
            // the controls are outside the budget
            assert.equal((await fx.api.get("/_emulator/stats")).headers.get("x-featureratelimit-limit"), null);
            await fx.api.delete("/_emulator/rate-limit");
            const free = await fx.api.get(`${PROVISIONING}/users`);
            assert.equal(free.status, 200);
            assert.equal(free.headers.get("x-featureratelimit-limit"), null);
        });

    });

    describe("timing, on a fake clock (the order of events, not the wall clock)", () => {
        const START = Date.UTC(2026, 0, 1);
        const fake = FakeTimers.createClock(START);
        const clock = { now: () => fake.now, sleep: (ms: number) => new Promise<void>((resolve) => fake.setTimeout(() => resolve(), ms)) };
        const timed = useEmulator({ clock });
        afterEach(async () => {
            await timed.api.delete("/_emulator/faults");
            await timed.api.delete("/_emulator/rate-limit");
        });
        /** Real event-loop turns, bounded in number: enough for a request to reach the server or its reply to land. */
        const turns = async (n = 20) => {
            for (let i = 0; i < n; i++) await new Promise((resolve) => setImmediate(resolve));
        };
        const waitingOnClock = async () => {
            for (let i = 0; i < 1000 && fake.countTimers() === 0; i++) await turns(1);
            assert.equal(fake.countTimers(), 1, "the request waits on the clock");
        };

        it("adds latency: no answer before it has passed, an answer once it has", async () => {
            await timed.api.put("/_emulator/faults", { rate: 0, statuses: [500], latencyMs: { min: 150, max: 150 } });
            let answered = false;
            const reply = timed.api.get(`${PROD_ADMIN}/folders`).then((res) => ((answered = true), res));
            await waitingOnClock();
            await fake.tickAsync(149);
            await turns();
            assert.equal(answered, false, "answered 1 ms before its latency passed");
            await fake.tickAsync(1);
            assert.equal((await reply).status, 200);
        });

        it("the rate limit's reset is the end of its window; the budget refills then, not before", async () => {
            await timed.api.put("/_emulator/rate-limit", { limit: 1, windowSeconds: 60 });
            const first = await timed.api.get(`${PROD_ADMIN}/folders`);
            assert.equal(first.headers.get("x-featureratelimit-reset"), new Date(fake.now + 60_000).toUTCString());
            await fake.tickAsync(30_000);
            const limited = await timed.api.get(`${PROD_ADMIN}/folders`);
            assert.equal(limited.status, 429);
            assert.equal(limited.headers.get("retry-after"), "30");
            await fake.tickAsync(29_999);
            assert.equal((await timed.api.get(`${PROD_ADMIN}/folders`)).status, 429);
            await fake.tickAsync(1);
            assert.equal((await timed.api.get(`${PROD_ADMIN}/folders`)).status, 200);
        });
    });

    it("handle API: setFaults/clearFaults from the test process", async () => {
        fx.emulator.setFaults({ rate: 1, statuses: [503], retryAfterSeconds: 2 });
        const res = await fx.api.get(`${PERMISSIONS}/roles`, { query: { permission_type: "global" } });
        assert.equal(res.status, 503);
        assert.equal(res.headers.get("retry-after"), "2");
        fx.emulator.clearFaults();
        assert.equal((await fx.api.get(`${PERMISSIONS}/roles`, { query: { permission_type: "global" } })).status, 200);
        assert.equal(fx.emulator.credentials.productEnvironments[0].cloudinaryUrl, `cloudinary://${PROD.adminKey}:${PROD.adminSecret}@${PROD.cloudName}`);
    });
});

// Batched refresh reads and coalesced grant writes, unit by unit and against the emulator under random latency.
import * as FakeTimers from "@sinonjs/fake-timers";
import * as assert from "node:assert/strict";
import { Coalescer, HoldPolicy } from "../../../provider/api/coalesce";
import { CloudinaryApiError } from "../../../provider/api/errors";
import { RunViews } from "../../../provider/api/runViews";
import { customRole } from "../../../provider/resources/customRole";
import { folderShare } from "../../../provider/resources/folderShare";
import { group } from "../../../provider/resources/group";
import { roleAssignment } from "../../../provider/resources/roleAssignment";
import { useEmulator, withProvider } from "../../fixture";

const PRINCIPALS = "/v2/accounts/:account_id/permissions/roles/:role_id/principals";
const FOLDER_ROLES = "GET /v1_1/:cloud_name/folder_operations/invite/:folder_id";
const PROD = "pe0prod000000000000000000000001";
const USERS = ["u0alice0000000000000000000001", "u0bob000000000000000000000002", "u0carol0000000000000000000003", "u0dave00000000000000000000004", "u0erin00000000000000000000005"];
const FOLDERS = ["fmarketing0000000000000000000001", "fcampaigns0000000000000000000002", "fproducts0000000000000000000006"];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const jitter = () => sleep(Math.random() * 15);

describe("batched reads and coalesced writes", () => {
    describe("RunViews", () => {
        it("serves every reader of a key from one read, reads again for a reader asking twice, and after a write", async () => {
            let reads = 0;
            let live = ["a"];
            const views = new RunViews(async () => (reads++, await jitter(), [...live]));
            const first = await Promise.all(["r1", "r2", "r3"].map((reader) => views.get("k", "read", reader)));
            assert.deepEqual(first, [["a"], ["a"], ["a"]]);
            assert.equal(reads, 1);
            live = [];
            assert.deepEqual(await views.get("k", "read", "r1"), [], "the same resource again is a later refresh: read again");
            assert.equal(reads, 2);
            views.update("k", (v) => [...v, "b"]);
            assert.deepEqual(await views.get("k", "known"), ["b"], "what the run wrote is known without a read");
            assert.equal(reads, 2);
            live = ["b", "c"];
            assert.deepEqual(await views.get("k", "read", "r4"), ["b", "c"], "a refresh after a write reads again");
            assert.equal(reads, 3);
        });

        it("does not remember a failed read", async () => {
            let fail = true;
            const views = new RunViews(async () => {
                await jitter();
                if (fail) throw new Error("boom");
                return 1;
            });
            await assert.rejects(views.get("k", "read", "r"), /boom/);
            fail = false;
            assert.equal(await views.get("k", "known"), 1);
        });
    });

    // Under a fake clock: what is asserted is the order of events in the coalescer's own time, never wall time.
    describe("Coalescer", () => {
        let clock: FakeTimers.Clock;
        beforeEach(() => (clock = FakeTimers.install({ toFake: ["setTimeout", "clearTimeout", "Date"] })));
        afterEach(() => clock.uninstall());
        /** Lets the fake clock run `ms`, then settles `promise`. */
        const after = async <T>(ms: number, promise: Promise<T>): Promise<T> => {
            await clock.tickAsync(ms);
            return promise;
        };

        it("sends changes asked for together, or while a write to the target is in flight, as one write", async () => {
            const sent: string[][] = [];
            const coalescer = new Coalescer<string>(async (_target, _op, items) => {
                sent.push(items);
                await sleep(30);
            }, { itemKey: String });
            const first = Promise.all(["a", "b", "c"].map((x) => coalescer.change("role", "add", x)));
            await clock.tickAsync(10); // the first write is in flight
            assert.deepEqual(sent, [["a", "b", "c"]]);
            await after(100, Promise.all([first, ...["d", "e"].map((x) => coalescer.change("role", "add", x)), coalescer.change("other", "add", "z")]));
            assert.deepEqual(sent, [["a", "b", "c"], ["z"], ["d", "e"]]);
        });

        it("retries a batch refused with a 4xx item by item: only the faulty item fails, with its own error", async () => {
            const sent: string[][] = [];
            const coalescer = new Coalescer<string>(async (_target, _op, items) => {
                sent.push(items);
                await sleep(10);
                const bad = items.find((x) => x.startsWith("bad"));
                if (bad) throw new CloudinaryApiError(400, "PUT", "/roles/x/principals", "invalid", `${bad} is not valid`, undefined);
            }, { itemKey: String });
            const results = await after(100, Promise.allSettled(["ok1", "bad1", "ok2"].map((x) => coalescer.change("role", "add", x))));
            assert.deepEqual(results.map((r) => r.status), ["fulfilled", "rejected", "fulfilled"]);
            assert.match(String((results[1] as PromiseRejectedResult).reason.message), /bad1 is not valid/);
            assert.equal(sent.length, 4, "the batch, then each item alone");
        });

        describe("announced changes", () => {
            // Writes of 40 ms: a batch then waits for announced changes up to 12 round trips (480 ms), at least
            // 100 ms, and stops waiting once nothing arrived for 100 ms.
            const WRITE_MS = 40;
            const holdWhile = (canHold: () => boolean = () => true): HoldPolicy => ({ roundTrips: 12, minMs: 100, maxMs: 1500, canHold });
            const recording = () => {
                const sent: { target: string; items: string[]; at: number }[] = [];
                const coalescer = new Coalescer<string>(
                    async (target, _op, items) => {
                        sent.push({ target, items, at: Date.now() });
                        await sleep(WRITE_MS);
                    },
                    { itemKey: String },
                );
                const sentTo = (target: string) => sent.filter((s) => s.target === target);
                return { sent, sentTo, coalescer };
            };
            /** One write first, so that the coalescer knows how long a write takes. */
            const warmed = async () => {
                const recorded = recording();
                await after(100, recorded.coalescer.change("warm-up", "add", "w"));
                recorded.sent.length = 0;
                return recorded;
            };
            const announce = (coalescer: Coalescer<string>, hold: HoldPolicy, ...items: string[]) => items.map((item) => coalescer.pending("role", "add", item)).map((p) => (p.announce(hold), p));

            it("go in one write when they arrive one by one, as the engine checks and then creates each", async () => {
                const { sent, coalescer } = await warmed();
                const hold = holdWhile();
                const arrivals: Promise<void>[] = [];
                const gaps = [50, 30, 80, 20, 60, 40];
                for (const [i, item] of ["a", "b", "c", "d", "e", "f"].entries()) {
                    announce(coalescer, hold, item);
                    await clock.tickAsync(gaps[i]);
                    arrivals.push(coalescer.change("role", "add", item));
                }
                await after(1000, Promise.all(arrivals));
                assert.deepEqual(sent.map((s) => s.items), [["a", "b", "c", "d", "e", "f"]]);
            });

            it("are waited for only the minimum before the first write (how long a write takes is not known yet)", async () => {
                const { sentTo, coalescer } = recording();
                announce(coalescer, holdWhile(), "a", "never");
                const done = coalescer.change("role", "add", "a");
                await clock.tickAsync(99);
                assert.equal(sentTo("role").length, 0, "held for the minimum");
                await clock.tickAsync(11);
                assert.equal(sentTo("role").length, 1, "sent once the minimum is over");
                await after(WRITE_MS, done);
            });

            it("hold a batch no longer than the bound while other changes keep arriving", async () => {
                const { sentTo, coalescer } = await warmed();
                announce(coalescer, holdWhile(), "a", "never");
                let moving = true;
                const others = (async () => {
                    for (let i = 0; moving; i++) await coalescer.change(`other${i}`, "add", "x").then(() => sleep(30));
                })();
                const done = coalescer.change("role", "add", "a");
                await clock.tickAsync(12 * WRITE_MS - 10);
                assert.equal(sentTo("role").length, 0, "still held: other changes arrive, the announced one has not");
                await clock.tickAsync(20);
                assert.equal(sentTo("role").length, 1, "sent at the bound, 12 round trips");
                moving = false;
                await after(200, Promise.all([done, others]));
            });

            it("do not hold a batch when nothing arrives any more, when withdrawn, or when the engine has no worker to spare", async () => {
                const stalled = await warmed();
                announce(stalled.coalescer, holdWhile(), "a", "late");
                const stalledDone = stalled.coalescer.change("role", "add", "a");
                await clock.tickAsync(110);
                assert.equal(stalled.sentTo("role").length, 1, "nothing arrived for 100 ms: sent long before the bound of 480 ms");
                await after(WRITE_MS, stalledDone);

                const withdrawn = await warmed();
                const [, foundInPlace] = announce(withdrawn.coalescer, holdWhile(), "a", "found in place");
                const withdrawnDone = withdrawn.coalescer.change("role", "add", "a");
                await clock.tickAsync(10);
                assert.equal(withdrawn.sentTo("role").length, 0, "held for the announced change");
                foundInPlace.withdraw();
                await clock.tickAsync(15);
                assert.equal(withdrawn.sentTo("role").length, 1, "withdrawn: sent at the next look");
                await after(WRITE_MS, withdrawnDone);

                let full = false;
                const busy = await warmed();
                announce(busy.coalescer, holdWhile(() => !full), "a", "b");
                full = true;
                const busyDone = busy.coalescer.change("role", "add", "a");
                await clock.tickAsync(10);
                assert.equal(busy.sentTo("role").length, 1, "engine full: sent after the window");
                await after(WRITE_MS, busyDone);
            });
        });
    });

    describe("against the emulator, with 0-30 ms latency", () => {
        const fx = useEmulator();
        beforeEach(() => fx.emulator.setFaults({ rate: 0, statuses: [500], latencyMs: { min: 0, max: 30 } }));

        const grants = USERS.map((principalId) => ({ roleId: "cld::role::prodenv::reports", principalType: "user", principalId, scopeId: PROD }));

        it("creates concurrent grants of one role in fewer writes, reads them back with one read, and sees a revoke in the next run", async () => {
            const h = roleAssignment.handler(fx.context());
            await fx.emulator.resetStats();
            const created = await Promise.all(grants.map((g) => h.create(withProvider(g))));
            const afterCreate = await fx.emulator.stats();
            assert.ok(afterCreate.byRoute[`PUT ${PRINCIPALS}`] < grants.length, JSON.stringify(afterCreate.byRoute));
            assert.equal(afterCreate.byRoute[`GET ${PRINCIPALS}`], 1, "one read of the role before the creates");

            const ctx = fx.context(); // a new run
            const refresh = roleAssignment.handler(ctx);
            await fx.emulator.resetStats();
            const read = await Promise.all(created.map((c) => refresh.read(c.id, c.outs)));
            assert.deepEqual(read.map((r) => r.id), created.map((c) => c.id));
            assert.equal((await fx.emulator.stats()).byRoute[`GET ${PRINCIPALS}`], 1, "one read serves every grant of the role");

            await ctx.permissions.updateRolePrincipals("cld::role::prodenv::reports", "remove", [{ principal_type: "user", principal_id: USERS[2], scope_id: PROD }]);
            const next = roleAssignment.handler(fx.context());
            const again = await Promise.all(created.map((c) => next.read(c.id, c.outs)));
            assert.deepEqual(again.map((r) => r.id), created.map((c, i) => (i === 2 ? "" : c.id)), "exactly the revoked grant is gone");
        });

        it("starts the read of a custom role's holders when the role is refreshed: its grants, refreshed next, are served by it", async () => {
            const role = await customRole.handler(fx.context()).create(withProvider({ name: "Read ahead", permissionType: "global", scopeType: "prodenv", systemPolicyIds: ["cld::policy::global::ml::access"] }));
            const roleGrants = grants.map((g) => ({ ...g, roleId: role.id }));
            const assignments = roleAssignment.handler(fx.context());
            const created = await Promise.all(roleGrants.map((g) => assignments.create(withProvider(g))));

            const ctx = fx.context(); // a new run
            await fx.emulator.resetStats();
            const refreshedRole = await customRole.handler(ctx).read(role.id, role.outs);
            assert.equal(refreshedRole.id, role.id);
            // The read of its holders runs on its own: wait until the emulator has answered it.
            while ((await fx.emulator.stats()).byRoute[`GET ${PRINCIPALS}`] === undefined) await sleep(10);
            const atRole = await fx.emulator.stats();
            assert.equal(atRole.byRoute[`GET ${PRINCIPALS}`], 1, "the role's refresh started the read of its holders");
            assert.equal(atRole.byRoute["GET /v2/accounts/:account_id/permissions/roles/:role_id"], 1);
            await fx.emulator.resetStats();
            const refresh = roleAssignment.handler(ctx);
            const read = await Promise.all(created.map((c) => refresh.read(c.id, c.outs)));
            assert.deepEqual(read.map((r) => r.id), created.map((c) => c.id));
            assert.equal((await fx.emulator.stats()).total, 0, "the grants' refreshes are served by that read");
        });

        it("fails only the faulty grant of a coalesced write, with its own message", async () => {
            const h = roleAssignment.handler(fx.context());
            const bad = { ...grants[0], principalId: "u0nobody0000000000000000000009" };
            const results = await Promise.allSettled([...grants.slice(0, 3), bad].map((g) => h.create(withProvider(g))));
            assert.deepEqual(results.map((r) => r.status), ["fulfilled", "fulfilled", "fulfilled", "rejected"]);
            assert.match(String((results[3] as PromiseRejectedResult).reason.message), /u0nobody0000000000000000000009/);
            const held = await fx.context().permissions.listRolePrincipals("cld::role::prodenv::reports");
            for (const g of grants.slice(0, 3)) assert.ok(held.some((p) => p.id === g.principalId), `${g.principalId} was granted`);
        });

        it("reads each folder once for all its shares, and every group from one listing", async () => {
            const shares = FOLDERS.flatMap((folderId) => USERS.slice(0, 3).map((principalId) => ({ cloudName: "acme-prod", folderId, principalType: "user", principalId, roles: ["cld::role::folder::viewer"] })));
            const created = await Promise.all(shares.map((s) => folderShare.handler(fx.context()).create(withProvider(s))));
            const groups = await Promise.all(["A", "B", "C"].map((name) => group.handler(fx.context()).create(withProvider({ name, memberIds: [USERS[0]] }))));
            const ctx = fx.context();
            await fx.emulator.resetStats();
            const shareReads = await Promise.all(created.map((c) => folderShare.handler(ctx).read(c.id, c.outs)));
            const groupReads = await Promise.all(groups.map((g) => group.handler(ctx).read(g.id, g.outs)));
            assert.ok(shareReads.every((r, i) => r.id === created[i].id));
            assert.deepEqual(groupReads.map((r) => r.props?.memberIds), [[USERS[0]], [USERS[0]], [USERS[0]]]);
            const stats = await fx.emulator.stats();
            assert.equal(stats.byRoute[FOLDER_ROLES], FOLDERS.length, JSON.stringify(stats.byRoute));
            assert.equal(stats.total, FOLDERS.length + 1, "one read per folder and one group listing");
        });
    });
});

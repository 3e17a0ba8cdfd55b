// The per-run lookup cache: a yes may come from the cache, a no only from a fresh read; concurrent misses share
// that read; what this process creates is written through.
import * as assert from "node:assert/strict";
import { Refreshable } from "../../../provider/context/lookups";
import { group } from "../../../provider/resources/group";
import { roleAssignment } from "../../../provider/resources/roleAssignment";
import { useEmulator, withProvider } from "../../fixture";

const LIST_GROUPS = "GET /v1_1/provisioning/accounts/:account_id/user_groups";
const GET_ROLE = "GET /v2/accounts/:account_id/permissions/roles/:role_id";
const PROD = "pe0prod000000000000000000000001";

describe("lookups", () => {
    describe("Refreshable", () => {
        it("answers a hit from the cache and reads again on a miss, once for concurrent misses", async () => {
            let reads = 0;
            const live = new Set(["a"]);
            const listing = new Refreshable(async () => {
                reads++;
                await new Promise((r) => setTimeout(r, 5));
                return new Set(live);
            });
            assert.equal(await listing.find((s) => (s.has("a") ? "a" : undefined)), "a");
            assert.equal(reads, 1);
            live.add("b");
            const found = await Promise.all([1, 2, 3].map(() => listing.find((s) => (s.has("b") ? "b" : undefined))));
            assert.deepEqual(found, ["b", "b", "b"]);
            assert.equal(reads, 2, "three concurrent misses share one fresh read");
            assert.equal(await listing.find((s) => (s.has("zzz") ? "zzz" : undefined)), undefined);
            assert.equal(reads, 3, "a no is always a fresh answer");
        });

        it("starts a fresh read after the miss, not joining a read already in flight", async () => {
            const started: number[] = [];
            let live = 0;
            const listing = new Refreshable(async () => {
                started.push(live);
                await new Promise((r) => setTimeout(r, 20));
                return started.length;
            });
            const first = listing.get();
            live = 1; // changed while the first read is in flight
            const fresh = await listing.refreshed();
            assert.equal(await first, 1);
            assert.equal(fresh, 2);
            assert.deepEqual(started, [0, 1], "the fresh read began after the change");
        });

        it("forgets a failed read", async () => {
            let calls = 0;
            const listing = new Refreshable(async () => {
                if (++calls === 1) throw new Error("boom");
                return "ok";
            });
            await assert.rejects(listing.get(), /boom/);
            assert.equal(await listing.get(), "ok");
        });
    });

    describe("against the emulator", () => {
        const fx = useEmulator();

        it("finds a group created after the listing was cached (by another process), with one more listing", async () => {
            const ctx = fx.context();
            assert.equal(await ctx.lookups.group("nope"), undefined);
            const other = fx.context();
            const group = await other.provisioning.createUserGroup("Made elsewhere");
            fx.emulator.resetStats();
            assert.equal((await ctx.lookups.group(group.id as string))?.name, "Made elsewhere");
            assert.equal((await fx.emulator.stats()).byRoute[LIST_GROUPS], 1);
        });

        it("writes a group this process creates through to the cache: the assignment's check makes no listing", async () => {
            const ctx = fx.context();
            const assignment = roleAssignment.handler(ctx);
            const grant = { roleId: "cld::role::prodenv::reports", principalType: "group", scopeId: PROD };
            const seededCheck = await assignment.check({}, withProvider({ ...grant, principalId: "g-unknown" }));
            assert.match(seededCheck.failures?.[0]?.reason ?? "", /is not a user group of this account/);
            const created = await group.handler(ctx).create(withProvider({ name: "Made here" }));
            fx.emulator.resetStats();
            const { failures } = await assignment.check({}, withProvider({ ...grant, principalId: created.id }));
            assert.deepEqual(failures, []);
            assert.equal((await fx.emulator.stats()).byRoute[LIST_GROUPS] ?? 0, 0);
        });

        it("reads a custom role again when it was missing, and keeps it once found", async () => {
            const ctx = fx.context();
            assert.equal(await ctx.lookups.role("late_role"), undefined);
            await fx.context().permissions.createRole({ id: "late_role", name: "Late", permission_type: "global", scope_type: "prodenv", system_policy_ids: ["cld::policy::global::ml::access"] });
            fx.emulator.resetStats();
            assert.equal((await ctx.lookups.role("late_role"))?.name, "Late");
            assert.equal((await ctx.lookups.role("late_role"))?.name, "Late");
            assert.equal((await fx.emulator.stats()).byRoute[GET_ROLE], 1);
        });
    });
});

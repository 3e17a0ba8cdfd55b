// The run's directory: a yes may come from what the run knows, a no only from a fresh read; concurrent misses
// share that read; what this process writes is applied to what it read.
import * as assert from "node:assert/strict";
import { RunViews } from "../../../provider/api/runViews";
import { matchName } from "../../../provider/context/directory";
import { group } from "../../../provider/resources/group";
import { roleAssignment } from "../../../provider/resources/roleAssignment";
import { useEmulator, withProvider } from "../../fixture";

const LIST_GROUPS = "GET /v1_1/provisioning/accounts/:account_id/user_groups";
const GET_ROLE = "GET /v2/accounts/:account_id/permissions/roles/:role_id";
const PROD = "pe0prod000000000000000000000001";
const REPORTS = "cld::role::account::reports";

describe("the run's directory", () => {
    describe("RunViews.find", () => {
        it("answers a hit from what the run knows and reads again on a miss, once for concurrent misses", async () => {
            let reads = 0;
            const live = new Set(["a"]);
            const listing = new RunViews<Set<string>>(async () => {
                reads++;
                await new Promise((r) => setTimeout(r, 5));
                return new Set(live);
            });
            const pick = (name: string) => (s: Set<string>) => (s.has(name) ? name : undefined);
            assert.equal(await listing.find("", pick("a")), "a");
            assert.equal(reads, 1);
            live.add("b");
            const found = await Promise.all([1, 2, 3].map(() => listing.find("", pick("b"))));
            assert.deepEqual(found, ["b", "b", "b"]);
            assert.equal(reads, 2, "three concurrent misses share one fresh read");
            assert.equal(await listing.find("", pick("zzz")), undefined);
            assert.equal(reads, 3, "a no is always a fresh answer");
        });

        it("makes one read, not two, for a miss in a listing it had not read yet", async () => {
            let reads = 0;
            const listing = new RunViews<string[]>(async () => (reads++, ["a"]));
            assert.equal(await listing.find("", (l) => l.find((x) => x === "nope")), undefined);
            assert.equal(reads, 1, "the read this lookup started is itself fresh");
        });

        it("does not trust a read that started before the miss", async () => {
            const started: number[] = [];
            let live = 0;
            const listing = new RunViews<number>(async () => {
                const seen = live;
                started.push(seen);
                await new Promise((r) => setTimeout(r, 20));
                return seen;
            });
            const first = listing.get("", "known");
            live = 1; // changed while the first read is in flight
            assert.equal(await listing.find("", (n) => (n === 1 ? n : undefined)), 1);
            assert.equal(await first, 0);
            assert.deepEqual(started, [0, 1], "the fresh read began after the change");
        });

        it("forgets a failed read", async () => {
            let calls = 0;
            const listing = new RunViews<string>(async () => {
                if (++calls === 1) throw new Error("boom");
                return "ok";
            });
            await assert.rejects(listing.get("", "known"), /boom/);
            assert.equal(await listing.get("", "known"), "ok");
        });
    });

    describe("matchName", () => {
        const names = (...list: string[]) => list.map((name) => ({ name }));
        it("prefers the exact spelling, then a single match but for letter case, and reports several as ambiguous", () => {
            assert.deepEqual(matchName(names("Design", "design"), "Design", (x) => x.name).found, { name: "Design" });
            const ambiguous = matchName(names("Design", "design"), "DESIGN", (x) => x.name);
            assert.equal(ambiguous.found, undefined);
            assert.deepEqual(ambiguous.candidates, names("Design", "design"));
            assert.deepEqual(matchName(names("Design", "Ops"), "ops", (x) => x.name).found, { name: "Ops" });
            assert.deepEqual(matchName(names("Design"), "Dezign", (x) => x.name), { candidates: [] });
        });
    });

    describe("against the emulator", () => {
        const fx = useEmulator();

        it("finds a group created after the listing was cached (by another process), with one more listing", async () => {
            const ctx = fx.context();
            assert.equal(await ctx.directory.group("nope"), undefined);
            const other = fx.context();
            const group = await other.provisioning.createUserGroup("Made elsewhere");
            fx.emulator.resetStats();
            assert.equal((await ctx.directory.group(group.id as string))?.name, "Made elsewhere");
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

        it("a group deleted by someone else (the delete's 404 counts as done) is gone from the directory too", async () => {
            const ctx = fx.context();
            const h = group.handler(ctx);
            const created = await h.create(withProvider({ name: "Short lived" }));
            assert.equal((await ctx.directory.group(created.id))?.name, "Short lived");
            await fx.context().provisioning.deleteUserGroup(created.id); // out of band
            await h.delete(created.id, created.outs); // 404: done
            fx.emulator.resetStats();
            assert.equal((await ctx.directory.groupByName("Short lived")).found, undefined);
            assert.equal(await ctx.directory.group(created.id), undefined);
        });

        it("a principal's roles changed in one write are applied to what the run knows of each role's holders", async () => {
            const ctx = fx.context();
            const bob = { principalType: "user" as const, principalId: "u0bob000000000000000000000002" };
            assert.equal((await ctx.directory.holders(REPORTS, "known")).length, 0);
            await ctx.directory.changePrincipalGrants(bob, "add", [{ roleId: REPORTS }]);
            fx.emulator.resetStats();
            assert.deepEqual(await ctx.directory.holders(REPORTS, "known"), [{ roleId: REPORTS, ...bob }]);
            assert.equal((await fx.emulator.stats()).total, 0, "served from the run's view, with the write applied");
            await ctx.directory.changePrincipalGrants(bob, "remove", [{ roleId: REPORTS }]);
            assert.deepEqual(await ctx.directory.holders(REPORTS, "known"), []);
        });

        it("finds users by email and groups by name regardless of letter case", async () => {
            const ctx = fx.context();
            assert.equal((await ctx.directory.userByEmail("Bob@Acme.Example")).found?.id, "u0bob000000000000000000000002");
            await fx.context().provisioning.createUserGroup("Design");
            assert.equal((await ctx.directory.groupByName("DESIGN")).found?.name, "Design");
            assert.deepEqual((await ctx.directory.userByEmail("nobody@acme.example")).candidates, []);
        });

        it("reads a custom role again when it was missing, and keeps it once found", async () => {
            const ctx = fx.context();
            assert.equal(await ctx.directory.role("late_role"), undefined);
            await fx.context().permissions.createRole({ id: "late_role", name: "Late", permission_type: "global", scope_type: "prodenv", system_policy_ids: ["cld::policy::global::ml::access"] });
            fx.emulator.resetStats();
            assert.equal((await ctx.directory.role("late_role"))?.name, "Late");
            assert.equal((await ctx.directory.role("late_role"))?.name, "Late");
            assert.equal((await fx.emulator.stats()).byRoute[GET_ROLE], 1);
        });
    });
});

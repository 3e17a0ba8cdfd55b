// Refreshes of many principals' grants are read role by role, of few principal by principal; both see the live
// account of this run, and what this process writes.
import * as assert from "node:assert/strict";
import type { Principal } from "../../../provider/api/domain";
import { useEmulator } from "../../fixture";

const PRINCIPAL_ROLES = "GET /v2/accounts/:account_id/permissions/principal_roles";
const LIST_ROLES = "GET /v2/accounts/:account_id/permissions/roles";
const ROLE_PRINCIPALS = "GET /v2/accounts/:account_id/permissions/roles/:role_id/principals";
const PROD = "pe0prod000000000000000000000001";
const REPORTS = "cld::role::prodenv::reports";
const MEDIA_LIBRARY_USER = "cld::role::prodenv::ml_user";
const byRole = <T extends { roleId: string }>(grants: T[]) => [...grants].sort((a, b) => b.roleId.localeCompare(a.roleId));

describe("the run's refreshes of principals' grants", () => {
    const fx = useEmulator();

    /** `count` groups, each holding Reports in acme-prod, made out of band. */
    async function groupsWithReports(count: number): Promise<Principal[]> {
        const outside = fx.context();
        const groups: Principal[] = [];
        for (let i = 0; i < count; i++) {
            const made = await outside.provisioning.createUserGroup(`Team ${i}`);
            const principal = { principalType: "group" as const, principalId: made.id as string };
            await outside.api.account.changePrincipalGrants(principal, "add", [{ roleId: REPORTS, scopeId: PROD }]);
            groups.push(principal);
        }
        return groups;
    }

    async function roleCount(): Promise<number> {
        const outside = fx.context();
        return (await Promise.all((["global", "content"] as const).map((t) => outside.permissions.listRoles({ permission_type: t })))).flat().length;
    }

    it("reads thirty principals refreshed together role by role: the two role listings and one read per role, no read per principal", async () => {
        const groups = await groupsWithReports(30);
        const roles = await roleCount();
        assert.ok(roles < 60, `the seeded account has fewer roles (${roles}) than the 60 reads principal by principal`);
        const ctx = fx.context();
        fx.emulator.resetStats();
        const read = await Promise.all(groups.map((g) => ctx.directory.principalGrants(g, "read")));
        assert.deepEqual(read, groups.map((g) => [{ roleId: REPORTS, ...g, scopeId: PROD }]));
        const stats = await fx.emulator.stats();
        assert.equal(stats.byRoute[PRINCIPAL_ROLES] ?? 0, 0);
        assert.equal(stats.byRoute[LIST_ROLES], 2);
        assert.equal(stats.byRoute[ROLE_PRINCIPALS], roles);
        assert.equal(stats.total, roles + 2);
    });

    it("under 10-60 ms per request, refreshes sent over a few milliseconds and a late one are all served role by role, right", async () => {
        const groups = await groupsWithReports(31);
        const roles = await roleCount();
        const ctx = fx.context();
        fx.emulator.resetStats();
        fx.emulator.setFaults({ rate: 0, statuses: [500], latencyMs: { min: 10, max: 60 } });
        const later = (ms: number) => new Promise((r) => setTimeout(r, ms));
        const read = await Promise.all(groups.slice(0, 30).map(async (g, i) => (await later((i * 7) % 9), ctx.directory.principalGrants(g, "read"))));
        const late = await ctx.directory.principalGrants(groups[30], "read");
        fx.emulator.clearFaults();
        assert.deepEqual([...read, late], groups.map((g) => [{ roleId: REPORTS, ...g, scopeId: PROD }]));
        const stats = await fx.emulator.stats();
        assert.equal(stats.byRoute[PRINCIPAL_ROLES] ?? 0, 0);
        assert.equal(stats.total, roles + 2, "the late refresh is served from the run's reads");
    });

    it("reads three principals refreshed together one by one, without the role listings", async () => {
        const groups = await groupsWithReports(3);
        const ctx = fx.context();
        fx.emulator.resetStats();
        const read = await Promise.all(groups.map((g) => ctx.directory.principalGrants(g, "read")));
        assert.deepEqual(read, groups.map((g) => [{ roleId: REPORTS, ...g, scopeId: PROD }]));
        const stats = await fx.emulator.stats();
        assert.equal(stats.byRoute[PRINCIPAL_ROLES], 6, "one read per principal and permission type");
        assert.equal(stats.byRoute[LIST_ROLES] ?? 0, 0);
        assert.equal(stats.byRoute[ROLE_PRINCIPALS] ?? 0, 0);
    });

    it("role by role, a grant made out of band since the last run shows, and this process's own write shows at the next refresh", async () => {
        const groups = await groupsWithReports(30);
        await Promise.all(groups.map((g) => fx.context().directory.principalGrants(g, "read")));
        await fx.context().api.account.changePrincipalGrants(groups[0], "add", [{ roleId: MEDIA_LIBRARY_USER, scopeId: PROD }]);

        const ctx = fx.context();
        const read = await Promise.all(groups.map((g) => ctx.directory.principalGrants(g, "read")));
        assert.deepEqual(byRole(read[0]), [{ roleId: REPORTS, ...groups[0], scopeId: PROD }, { roleId: MEDIA_LIBRARY_USER, ...groups[0], scopeId: PROD }]);
        assert.deepEqual(read[1], [{ roleId: REPORTS, ...groups[1], scopeId: PROD }]);

        await ctx.directory.changePrincipalGrants(groups[1], "remove", [{ roleId: REPORTS, scopeId: PROD }]);
        await ctx.directory.changePrincipalGrants(groups[1], "add", [{ roleId: MEDIA_LIBRARY_USER, scopeId: PROD }]);
        assert.deepEqual(await ctx.directory.principalGrants(groups[1], "read"), [{ roleId: MEDIA_LIBRARY_USER, ...groups[1], scopeId: PROD }]);
    });

    it("role by role, a principal that holds nothing is read on its own: a group deleted since says so (404), as principal by principal", async () => {
        const groups = await groupsWithReports(30);
        await fx.context().provisioning.deleteUserGroup(groups[29].principalId);
        const ctx = fx.context();
        const read = await Promise.allSettled(groups.map((g) => ctx.directory.principalGrants(g, "read")));
        assert.deepEqual(read.slice(0, 29).map((r) => r.status), new Array(29).fill("fulfilled"));
        const gone = read[29];
        assert.equal(gone.status, "rejected");
        assert.match(String((gone as PromiseRejectedResult).reason), /404|not found/i);
    });
});

// Conflicts between declarations whose identifying values were other resources' outputs: the program cannot
// compare them, so the provider does when the engine checks each resource with its resolved inputs.
import * as assert from "node:assert/strict";
import { providerRun } from "../../../provider/dynamic/define";
import { principalRoles } from "../../../provider/resources/principalRoles";
import { roleAssignment } from "../../../provider/resources/roleAssignment";
import { rolePrincipals } from "../../../provider/resources/rolePrincipals";
import { useEmulator, withProvider } from "../../fixture";

const BOB = "u0bob000000000000000000000002";
const ERIN = "u0erin00000000000000000000005";
const REPORTS = "cld::role::prodenv::reports";

describe("declaration conflicts on resolved values (provider side)", () => {
    const fx = useEmulator();

    it("refuses an additive grant to a principal that a PrincipalRoles of the same run owns, naming both, with no write", async () => {
        const ctx = fx.context();
        const run = providerRun();
        const owner = await principalRoles.handler(ctx, run).check({}, withProvider({ principalType: "user", principalId: BOB, roles: [{ roleId: REPORTS, scopeId: "all" }] }));
        assert.deepEqual(owner.failures, []);
        const grant = await roleAssignment.handler(ctx, run).check({}, withProvider({ roleId: "cld::role::prodenv::ml_user", principalType: "user", principalId: BOB, scopeId: "all" }));
        assert.equal(grant.failures?.length, 1, JSON.stringify(grant.failures));
        assert.match(grant.failures?.[0].reason ?? "", new RegExp(`PrincipalRoles 'user\\|${BOB}' is authoritative for every grant of principal user ${BOB}, and RoleAssignment 'cld::role::prodenv::ml_user\\|user\\|${BOB}\\|all\\|' also grants to it`));
        assert.equal(await fx.writes(), 0);
    });

    it("refuses a second RolePrincipals over the same role (same id, other holders)", async () => {
        const ctx = fx.context();
        const run = providerRun();
        const first = await rolePrincipals.handler(ctx, run).check({}, withProvider({ roleId: REPORTS, principals: [{ principalType: "user", principalId: ERIN, scopeId: "all" }] }));
        assert.deepEqual(first.failures, []);
        const second = await rolePrincipals.handler(ctx, run).check({}, withProvider({ roleId: REPORTS, principals: [{ principalType: "user", principalId: BOB, scopeId: "all" }] }));
        assert.match(second.failures?.[0]?.reason ?? "", /another RolePrincipals in this stack also declares cld::role::prodenv::reports, with other inputs/);
    });

    it("lets a resource be checked twice with the same values, and other processes (runs) keep their own registry", async () => {
        const ctx = fx.context();
        const run = providerRun();
        const inputs = withProvider({ principalType: "user", principalId: BOB, roles: [{ roleId: REPORTS, scopeId: "all" }] });
        assert.deepEqual((await principalRoles.handler(ctx, run).check({}, inputs)).failures, []);
        assert.deepEqual((await principalRoles.handler(ctx, run).check({}, inputs)).failures, []);
        const elsewhere = await roleAssignment.handler(fx.context(), providerRun()).check({}, withProvider({ roleId: "cld::role::prodenv::ml_user", principalType: "user", principalId: BOB, scopeId: "all" }));
        assert.deepEqual(elsewhere.failures, []);
    });
});

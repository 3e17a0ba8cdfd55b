// PrincipalRoles and RolePrincipals against the in-process emulator: the lifecycle, out-of-band grants read as
// drift and revoked, adopt, the lock-out guard, and their request counts.
import * as assert from "node:assert/strict";
import { principalRoles } from "../../../provider/resources/principalRoles";
import { rolePrincipals } from "../../../provider/resources/rolePrincipals";
import { useEmulator, withProvider } from "../../fixture";

const PROD = "pe0prod000000000000000000000001";
const BOB = "u0bob000000000000000000000002";
const ALICE = "u0alice0000000000000000000001";
const MASTER_ADMIN = "cld::role::account::master_admin";
const bobRoles = {
    principalType: "user",
    principalId: BOB,
    roles: [
        { roleId: "cld::role::prodenv::reports", scopeId: "all" },
        { roleId: "cld::role::folder::viewer", scopeId: PROD, policyParameters: { folderId: "fcampaigns0000000000000000000002" } },
    ],
};

describe("PrincipalRoles (against the emulator)", () => {
    const fx = useEmulator();
    const handler = () => principalRoles.handler(fx.context());

    it("grants, reads, shows an out-of-band grant as a change, revokes it, and deletes", async () => {
        const h = handler();
        await fx.emulator.resetStats();
        const created = await h.create(withProvider(bobRoles));
        assert.equal(created.id, `user|${BOB}`);
        assert.deepEqual(await counts(fx), { reads: 2, writes: 1 }, "one read per permission type, one add");

        await fx.emulator.resetStats();
        const read = await h.read(created.id, created.outs);
        assert.deepEqual(await counts(fx), { reads: 2, writes: 0 });
        assert.equal((await h.diff(created.id, read.props, bobRoles)).changes, false);

        // Master Admin granted in the Console.
        await fx.context().api.account.changePrincipalGrants({ principalType: "user", principalId: BOB }, "add", [{ roleId: MASTER_ADMIN }]);
        const drifted = await h.read(created.id, created.outs);
        assert.ok(drifted.props.roles.some((r: { roleId: string }) => r.roleId === MASTER_ADMIN));
        assert.equal((await h.diff(created.id, drifted.props, bobRoles)).changes, true);

        await fx.emulator.resetStats();
        await h.update(created.id, drifted.props, bobRoles);
        assert.equal((await counts(fx)).writes, 1, "one remove");
        assert.deepEqual((await h.read(created.id, created.outs)).props.roles, (await h.read(created.id, {})).props.roles);
        assert.ok(!(await h.read(created.id, created.outs)).props.roles.some((r: { roleId: string }) => r.roleId === MASTER_ADMIN));

        await h.delete(created.id, created.outs);
        assert.deepEqual((await h.read(created.id, created.outs)).props.roles, []);
    });

    it("refuses to take over other roles unless adopt is set, then converges them", async () => {
        await fx.context().api.account.changePrincipalGrants({ principalType: "user", principalId: BOB }, "add", [{ roleId: "cld::role::account::reports" }]);
        await assert.rejects(handler().create(withProvider(bobRoles)), /already holds user bob@acme\.example \(u0bob\S*\) holds cld::role::account::reports \(account\).*Set adopt: true/);
        const adopted = await handler().create(withProvider({ ...bobRoles, adopt: true }));
        assert.equal((await handler().read(adopted.id, adopted.outs)).props.roles.length, 2);
    });

    it("refuses, before any write, to revoke the last Master Admin, unless allowLockout is set", async () => {
        const alice = { principalType: "user", principalId: ALICE, roles: [{ roleId: MASTER_ADMIN }], adopt: true };
        const created = await handler().create(withProvider(alice));
        const without = { ...alice, roles: [] };
        const { failures } = await handler().check(created.outs, withProvider(without));
        assert.ok(failures?.some((f) => f.property === "roles" && /revokes cld::role::account::master_admin from user alice@acme\.example \(u0alice\S*\), which would leave no principal holding it/.test(f.reason)), JSON.stringify(failures));
        await fx.emulator.resetStats();
        await assert.rejects(handler().update(created.id, created.outs, without), /refused, nothing was changed: .*no principal holding/);
        await assert.rejects(handler().delete(created.id, created.outs), /refused/);
        assert.equal(await fx.writes(), 0);
        await handler().update(created.id, created.outs, { ...without, allowLockout: true });
        assert.deepEqual((await handler().read(created.id, {})).props.roles, []);
    });

    it("refuses to revoke a role from the provisioning key the provider authenticates with", async () => {
        const ctx = fx.context();
        const key = ctx.settings.account!.apiKey;
        const own = { principalType: "provisioningKey", principalId: key, roles: [{ roleId: "cld::role::account::admin" }] };
        const created = await principalRoles.handler(ctx).create(withProvider(own));
        await fx.emulator.resetStats();
        await assert.rejects(principalRoles.handler(ctx).delete(created.id, created.outs), new RegExp(`provisioning key ${key}, the key this provider authenticates with`));
        assert.equal(await fx.writes(), 0);
    });

    it("rejects bad grants at check, naming the entry", async () => {
        const { failures } = await handler().check({}, withProvider({ ...bobRoles, roles: [{ roleId: "cld::role::account::reports", scopeId: PROD }] }));
        assert.ok(failures?.some((f) => f.property === "roles" && /roles\[0\] \(cld::role::account::reports\): scopeId must not be set/.test(f.reason)), JSON.stringify(failures));
    });
});

describe("RolePrincipals (against the emulator)", () => {
    const fx = useEmulator();
    const handler = () => rolePrincipals.handler(fx.context());
    const reports = { roleId: "cld::role::prodenv::reports", principals: [{ principalType: "user", principalId: BOB, scopeId: PROD }] };

    it("grants, reads, revokes a holder added out of band, and deletes", async () => {
        await fx.emulator.resetStats();
        const created = await handler().create(withProvider(reports));
        assert.deepEqual(await counts(fx), { reads: 1, writes: 1 });
        await fx.context().api.account.changeHolders(reports.roleId, "add", [{ principalType: "user", principalId: ALICE, scopeId: "all" }]);
        await fx.emulator.resetStats();
        const drifted = await handler().read(created.id, created.outs);
        assert.deepEqual(await counts(fx), { reads: 1, writes: 0 });
        assert.equal(drifted.props.principals.length, 2);
        assert.equal((await handler().diff(created.id, drifted.props, reports)).changes, true);
        await handler().update(created.id, drifted.props, reports);
        assert.deepEqual((await handler().read(created.id, {})).props.principals, reports.principals);
        await handler().delete(created.id, created.outs);
        assert.deepEqual((await handler().read(created.id, {})).props.principals, []);
    });

    it("refuses to revoke Master Admin from its last holder", async () => {
        const admins = { roleId: MASTER_ADMIN, principals: [{ principalType: "user", principalId: ALICE }], adopt: true };
        const created = await handler().create(withProvider(admins));
        await assert.rejects(handler().update(created.id, created.outs, { ...admins, principals: [] }), /no principal holding/);
        assert.equal((await handler().read(created.id, {})).props.principals.length, 1);
    });

    it("reports a missing role once, under roleId", async () => {
        const { failures } = await handler().check({}, withProvider({ ...reports, roleId: "cld::role::prodenv::reprots" }));
        assert.deepEqual(failures?.map((f) => f.property), ["roleId"]);
        assert.match(failures![0].reason, /not a Cloudinary system role; did you mean 'cld::role::prodenv::reports'/);
    });
});

async function counts(fx: ReturnType<typeof useEmulator>): Promise<{ reads: number; writes: number }> {
    const stats = await fx.emulator.stats();
    return { reads: stats.total - stats.writes, writes: stats.writes };
}

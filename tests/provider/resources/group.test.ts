// Group against the in-process emulator: check, the lifecycle, members as a set, adopt and drift.
import * as assert from "node:assert/strict";
import { group } from "../../../provider/resources/group";
import { useEmulator, withProvider } from "../../fixture";

const BOB = "u0bob000000000000000000000002";
const ERIN = "u0erin00000000000000000000005";
const CAROL = "u0carol0000000000000000000003";
const designers = { name: "Designers", memberIds: [BOB, ERIN] };

describe("Group (against the emulator)", () => {
    const fx = useEmulator();
    const handler = () => group.handler(fx.context());

    it("takes members by email: the check binds them to their ids and keeps the emails as names", async () => {
        const { failures, inputs } = await handler().check({}, withProvider({ ...designers, memberIds: ["bob@acme.example", "Erin@Acme.Example"] }));
        assert.deepEqual(failures, []);
        assert.deepEqual(inputs.memberIds, [BOB, ERIN]);
        assert.deepEqual(inputs.__names, { [BOB]: "bob@acme.example", [ERIN]: "erin@acme.example" });
        assert.equal(await fx.writes(), 0);
    });

    it("rejects unknown member ids at check, suggesting the closest user id, without writing", async () => {
        const { failures } = await handler().check({}, withProvider({ ...designers, memberIds: [BOB, "u0nobody", "u0erin00000000000000000000006"] }));
        assert.ok(failures?.some((f) => /memberIds\[1\] 'u0nobody' is not a user of this account, by id or by email/.test(f.reason)), JSON.stringify(failures));
        assert.ok(failures?.some((f) => /memberIds\[2\] 'u0erin00000000000000000000006' is not a user of this account, by id or by email; did you mean 'u0erin00000000000000000000005'/.test(f.reason)), JSON.stringify(failures));
        assert.equal(await fx.writes(), 0);
    });

    it("creates with members, reads, renames and changes members in place, deletes", async () => {
        const h = handler();
        await fx.emulator.resetStats();
        const created = await h.create(withProvider(designers));
        assert.equal((await fx.emulator.stats()).writes, 3, "one create and one write per member");
        const read = await h.read(created.id, created.outs);
        assert.deepEqual(read.props.memberIds, [BOB, ERIN].sort());
        assert.equal((await h.diff(created.id, read.props, { ...designers, memberIds: [ERIN, BOB] })).changes, false);

        const changed = { name: "Design team", memberIds: [BOB, CAROL] };
        await h.update(created.id, read.props, changed);
        const after = await h.read(created.id, read.props);
        assert.equal(after.props.name, "Design team");
        assert.deepEqual(after.props.memberIds, [BOB, CAROL].sort());

        await h.delete(created.id, after.props);
        assert.equal((await h.read(created.id, after.props)).id, "");
        await h.delete(created.id, after.props);
    });

    it("leaves membership alone when memberIds is not declared", async () => {
        const ctx = fx.context();
        const h = group.handler(ctx);
        const created = await h.create(withProvider({ name: "SSO managed" }));
        await ctx.provisioning.addUserToGroup(created.id, CAROL);
        const read = await h.read(created.id, created.outs);
        assert.equal(read.props.memberIds, undefined);
        assert.equal((await h.diff(created.id, read.props, { name: "SSO managed" })).changes, false);
    });

    it("when memberIds goes from undeclared to declared, the update leaves exactly the declared members (live ones not declared are removed)", async () => {
        const ctx = fx.context();
        const h = group.handler(ctx);
        const created = await h.create(withProvider({ name: "SSO managed" }));
        // Members added while membership was left to others (the Console, SSO).
        await ctx.provisioning.addUserToGroup(created.id, CAROL);
        await ctx.provisioning.addUserToGroup(created.id, ERIN);
        const read = await h.read(created.id, created.outs);
        const declared = { name: "SSO managed", memberIds: [BOB, ERIN] };
        assert.equal((await h.diff(created.id, read.props, declared)).changes, true);
        const updated = await h.update(created.id, read.props, withProvider(declared));
        assert.deepEqual(updated.outs?.memberIds, [BOB, ERIN].sort());
        const live = (await ctx.provisioning.getUserGroup(created.id)).users?.map((u) => u.id).sort();
        assert.deepEqual(live, [BOB, ERIN].sort(), "Carol was never declared: the declared list is authoritative once given");
    });

    it("finds members changed out of band, and a group deleted out of band", async () => {
        const ctx = fx.context();
        const h = group.handler(ctx);
        const created = await h.create(withProvider(designers));
        await ctx.provisioning.removeUserFromGroup(created.id, ERIN);
        const read = await h.read(created.id, created.outs);
        assert.equal((await h.diff(created.id, read.props, designers)).changes, true);
        await ctx.provisioning.deleteUserGroup(created.id);
        assert.equal((await h.read(created.id, read.props)).id, "");
    });

    it("takes over a group with the same name: silently identical, otherwise only with adopt", async () => {
        const ctx = fx.context();
        const existing = await ctx.provisioning.createUserGroup("Designers");
        await ctx.provisioning.addUserToGroup(existing.id as string, CAROL);
        await assert.rejects(group.handler(ctx).create(withProvider(designers)), /already exists .* with members that are not declared \(u0carol0000000000000000000003\)\. Set adopt: true/);
        const adopted = await group.handler(ctx).create(withProvider({ ...designers, adopt: true }));
        assert.equal(adopted.id, existing.id);
        assert.deepEqual((await group.handler(ctx).read(adopted.id, adopted.outs)).props.memberIds, [BOB, ERIN].sort());
    });

    it("finishes a group that an interrupted create left without some of its members, with a warning", async () => {
        const ctx = fx.context();
        const leftover = await ctx.provisioning.createUserGroup("Designers");
        await ctx.provisioning.addUserToGroup(leftover.id as string, BOB);
        const created = await group.handler(ctx).create(withProvider(designers));
        assert.equal(created.id, leftover.id);
        assert.deepEqual((await ctx.provisioning.getUserGroup(created.id)).users?.map((u) => u.id).sort(), [BOB, ERIN].sort());
        assert.ok(fx.warnings.some((w) => w.includes(`existing group ${leftover.id} is now managed by this stack`)), fx.warnings.join("\n"));
    });

    it("converges when every write's reply is lost after the commit: one group, all members, no warning", async () => {
        const ctx = fx.context();
        fx.emulator.setFaults({ rate: 0, statuses: [500], dropAfterCommitRate: 1 });
        const created = await group.handler(ctx).create(withProvider(designers));
        fx.emulator.clearFaults();
        const groups = await ctx.provisioning.listUserGroups();
        assert.deepEqual(groups.map((g) => g.id), [created.id]);
        assert.deepEqual((await ctx.provisioning.getUserGroup(created.id)).users?.map((u) => u.id).sort(), [BOB, ERIN].sort());
        assert.deepEqual(fx.warnings, []);
    });
});

// The real Pulumi engine on the GitOps example against the emulator: up from empty, a clean second preview,
// update in place, replacement with dependents following, drift found and repaired, no credential in state,
// and destroy back to the seeded account. Each test has a stack and an emulator of its own: the first starts
// from empty, the others from the same known start (the file applied), so that one failure stays one failure.
import * as assert from "node:assert/strict";
import { startEmulator, EmulatorHandle } from "../../emulator";
import { accountSnapshot } from "../../harness/account";
import { contextFor, testEmulatorOptions } from "../../harness/emulator";
import { gitopsStack, GitopsStack, KnownStart, StackSnapshot, summary } from "../../harness/stack";

const PROD = "pe0prod000000000000000000000001";
const BOB = "u0bob000000000000000000000002";
const ERIN = "u0erin00000000000000000000005";
const DAVE = "u0dave00000000000000000000004";

function file(opts: { roleId: string; policies: string[] }): string {
    return `
groups:
  editors:
    name: Editors
    memberIds: [${BOB}, ${ERIN}]
customRoles:
  curator:
    name: Curator
    roleId: ${opts.roleId}
    permissionType: global
    scopeType: prodenv
    systemPolicyIds: [${opts.policies.join(", ")}]
roleAssignments:
  editors-curate:
    roleId: curator
    principalType: group
    principalId: editors
    scopeId: ${PROD}
  dave-reports:
    roleId: cld::role::prodenv::reports
    principalType: user
    principalId: ${DAVE}
    scopeId: all
folderShares:
  editors-products:
    cloudName: acme-prod
    folderId: fproducts0000000000000000000006
    principalType: group
    principalId: editors
    roles: [cld::role::folder::viewer]
`;
}

const V1 = { roleId: "curator_v1", policies: ["cld::policy::global::ml::access", "cld::policy::global::folder_and_asset_management::view"] };

describe("end to end: the GitOps example with the real Pulumi engine", function () {
    this.timeout(240_000);
    let seeded: string;
    /** The seeded account and a stack of the file, not applied yet. */
    let empty: { emulator: EmulatorHandle; stack: StackSnapshot };
    /** The same after `pulumi up`. */
    let applied: KnownStart;

    before(async () => {
        const emulator = await startEmulator(testEmulatorOptions());
        seeded = await accountSnapshot(contextFor(emulator));
        const gitops = await gitopsStack(emulator, file(V1));
        empty = { emulator, stack: StackSnapshot.of(gitops.stack) };
        await gitops.stack.up();
        applied = KnownStart.of(gitops.stack, emulator);
        await emulator.reset();
    });
    after(async () => {
        await applied?.stop();
        await empty?.emulator.stop();
    });

    /** An emulator and a stack of their own, with the file applied. */
    async function fromApplied(): Promise<{ emulator: EmulatorHandle; ctx: ReturnType<typeof contextFor> } & GitopsStack> {
        const { emulator, gitops } = await applied.start();
        return { emulator, ctx: contextFor(emulator), ...gitops };
    }

    it("up from empty creates every resource", async () => {
        const { emulator } = empty;
        const stack = empty.stack.copy();
        const ctx = contextFor(emulator);
        const up = await stack.up();
        assert.deepEqual(summary(up.stdout), { created: 6 }, up.stdout);
        const outputs = await stack.outputs();
        assert.deepEqual(outputs.roleIds, { curator: "curator_v1" });
        const role = await ctx.permissions.getRole("curator_v1");
        assert.deepEqual((role.policies ?? []).map((p) => p.id).sort(), [...V1.policies].sort());
    });

    it("a second preview finds no changes and makes no API write (--expect-no-changes)", async () => {
        const { emulator, stack } = await fromApplied();
        await emulator.resetStats();
        await stack.preview(["--expect-no-changes"]);
        const stats = await emulator.stats();
        assert.equal(stats.writes, 0);
        assert.ok(stats.total <= 1, `a no-op preview made ${stats.total} requests: ${JSON.stringify(stats.byRoute)}`);
    });

    it("changing a role's policies updates it in place", async () => {
        const { emulator, ctx, stack, write } = await fromApplied();
        write(file({ ...V1, policies: [...V1.policies, "cld::policy::global::assets::moderate"] }));
        const preview = await stack.preview(["--diff"]);
        assert.deepEqual(summary(preview.stdout), { update: 1, unchanged: 5 }, preview.stdout);
        await emulator.resetStats();
        const up = await stack.up();
        assert.deepEqual(summary(up.stdout), { updated: 1, unchanged: 5 }, up.stdout);
        assert.equal((await emulator.stats()).writes, 1, "one write for one change");
        const role = await ctx.permissions.getRole("curator_v1");
        assert.ok((role.policies ?? []).some((p) => p.id === "cld::policy::global::assets::moderate"));
    });

    it("changing an immutable field replaces the role, and its assignment follows", async () => {
        const { ctx, stack, write } = await fromApplied();
        write(file({ roleId: "curator_v2", policies: V1.policies }));
        const up = await stack.up();
        assert.deepEqual(summary(up.stdout), { replaced: 2, unchanged: 4 }, up.stdout);
        await assert.rejects(ctx.permissions.getRole("curator_v1"), /404/);
        const holders = await ctx.permissions.listRolePrincipals("curator_v2");
        assert.deepEqual(holders.map((h) => h.type), ["group"]);
    });

    it("drift made outside Pulumi is shown by preview --refresh and repaired by up --refresh", async () => {
        const { ctx, stack } = await fromApplied();
        const outputs = await stack.outputs();
        const editors = (outputs.groupIds as Record<string, string>).editors;
        await ctx.provisioning.removeUserFromGroup(editors, ERIN);
        await ctx.permissions.updateRolePrincipals("cld::role::prodenv::reports", "remove", [{ principal_type: "user", principal_id: DAVE, scope_id: "all" }]);

        const drift = await stack.run(["preview", "--refresh", "--expect-no-changes", "--diff"]);
        assert.notEqual(drift.code, 0, "the drift check must fail");
        assert.match(drift.stdout, /editors/);
        assert.match(drift.stdout, /dave-reports/);
        assert.deepEqual(summary(drift.stdout), { create: 1, update: 1, unchanged: 4 }, drift.stdout);

        await stack.up(["--refresh"]);
        await stack.preview(["--refresh", "--expect-no-changes"]);
        const group = await ctx.provisioning.getUserGroup(editors);
        assert.deepEqual((group.users ?? []).map((u) => u.id).sort(), [BOB, ERIN].sort());
    });

    it("keeps no credential in plaintext in the stack state", async () => {
        const { emulator, stack } = await fromApplied();
        const state = JSON.stringify(await stack.exportState());
        const secrets = [emulator.credentials.accountApiSecret, ...emulator.credentials.productEnvironments.map((pe) => pe.apiSecret)];
        for (const secret of secrets) assert.ok(!state.includes(secret), `the state contains ${secret.slice(0, 6)}...`);
        assert.match(state, /"__provider"/);
        // The serialized provider is a small shim that loads the installed package, not a copy of the provider.
        const providers = [...state.matchAll(/"__provider":"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1]);
        assert.ok(providers.length > 0 && providers.every((p) => p.length < 4000 && p.includes("pulumi-cloudinary-permissions/runtime")));
    });

    it("destroy leaves the account as it was seeded", async () => {
        const { ctx, stack } = await fromApplied();
        const destroy = await stack.destroy();
        assert.deepEqual(summary(destroy.stdout), { deleted: 6 }, destroy.stdout);
        assert.equal(await accountSnapshot(ctx), seeded);
    });
});

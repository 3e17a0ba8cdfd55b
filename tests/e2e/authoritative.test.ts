// Authoritative grants with the real engine: a PrincipalRoles whose principal is granted Master Admin out of
// band (the drift a permissions tool exists to catch), an exclusive permissions.yaml that catches a grant made
// to anyone outside the file, and the conflicts refused at preview. (`--expect-no-changes` exits 7 when it
// finds changes; a program error exits 1.)
import * as assert from "node:assert/strict";
import { EmulatorHandle, startEmulator } from "../../emulator";
import { contextFor, testEmulatorOptions } from "../../harness/emulator";
import { gitopsStack, summary } from "../../harness/stack";
import { ProviderContext } from "../../provider/context";

const ALICE = "u0alice0000000000000000000001";
const BOB = "u0bob000000000000000000000002";
const MASTER_ADMIN = "cld::role::account::master_admin";

describe("end to end: authoritative grants and exclusive mode", function () {
    this.timeout(300_000);
    let emulator: EmulatorHandle;
    let ctx: ProviderContext;

    before(async () => {
        emulator = await startEmulator(testEmulatorOptions());
        ctx = contextFor(emulator);
    });
    afterEach(async () => emulator.reset());
    after(async () => emulator?.stop());

    it("PrincipalRoles: an out-of-band Master Admin grant shows in preview --refresh, naming the role; up --refresh revokes it", async () => {
        const { stack } = await gitopsStack(emulator, `
groups:
  designers: { name: Designers }
principalRoles:
  designers-roles:
    principalType: group
    principalId: designers
    roles:
      - { roleId: cld::role::prodenv::ml_user, scopeId: all }
`);
        await stack.up();
        const groupId = ((await stack.outputs()).groupIds as Record<string, string>).designers;
        await ctx.api.account.changeHolders(MASTER_ADMIN, "add", [{ principalType: "group", principalId: groupId }]);

        const drift = await stack.preview(["--refresh", "--expect-no-changes", "--diff"], 7);
        assert.match(drift.stdout, /cloudinary:PrincipalRoles: \(refresh\)[\s\S]*"cld::role::account::master_admin"[\s\S]*cloudinary:PrincipalRoles: \(update\)/, drift.stdout);

        await emulator.resetStats();
        const up = await stack.up(["--refresh"]);
        assert.deepEqual(summary(up.stdout), { updated: 1, unchanged: 2 }, up.stdout);
        assert.equal((await emulator.stats()).writes, 1, "one remove");
        const holders = await ctx.api.account.holders(MASTER_ADMIN);
        assert.ok(!holders.some((h) => h.principalId === groupId), "the group no longer holds Master Admin");
        await stack.preview(["--refresh", "--expect-no-changes"]);
    });

    it("exclusive: a grant to a principal outside the file is shown naming principal, role and scope, and revoked; exempt principals are left alone", async () => {
        const { stack } = await gitopsStack(emulator, `
exclusive:
  exempt: [{ principalType: user, principalId: ${ALICE} }]
principalRoles:
  bob:
    principalType: user
    principalId: ${BOB}
    roles: [{ roleId: cld::role::prodenv::reports, scopeId: all }]
    adopt: true
`);
        await stack.up();
        await stack.preview(["--refresh", "--expect-no-changes"]);
        await ctx.api.account.changeHolders("cld::role::account::reports", "add", [{ principalType: "user", principalId: "u0carol0000000000000000000003" }]);

        const drift = await stack.preview(["--refresh", "--expect-no-changes", "--diff"], 7);
        assert.match(drift.stdout, /cloudinary:AccountGrants[\s\S]*user carol@acme\.example \(u0carol0000000000000000000003\) holds cld::role::account::reports \(account\)/, drift.stdout);

        await stack.up(["--refresh"]);
        assert.deepEqual((await ctx.api.account.holders("cld::role::account::reports")).length, 0);
        assert.ok((await ctx.api.account.holders(MASTER_ADMIN)).some((h) => h.principalId === ALICE), "the exempt break-glass admin keeps Master Admin");
        await stack.preview(["--refresh", "--expect-no-changes"]);
    });

    it("refuses at preview a RoleAssignment of a principal a PrincipalRoles owns, naming both, and writes nothing", async () => {
        const { stack } = await gitopsStack(emulator, `
principalRoles:
  bob: { principalType: user, principalId: ${BOB}, roles: [] }
roleAssignments:
  bob-reports: { roleId: cld::role::account::reports, principalType: user, principalId: ${BOB} }
`);
        await emulator.resetStats();
        const preview = await stack.preview([], 1);
        assert.match(preview.stdout + preview.stderr, /PrincipalRoles 'bob' is authoritative for every grant of principal user u0bob\S+, and RoleAssignment 'bob-reports' also grants to it/);
        assert.equal((await emulator.stats()).writes, 0);
    });
});

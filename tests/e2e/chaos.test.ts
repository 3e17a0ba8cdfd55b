// Convergence under faults at a small size (the same scenarios as `npm run chaos`): up, update and destroy
// with 20% of requests failing and 5% of replies lost after commit; `pulumi up` killed with SIGKILL midway;
// and a create that fails for good after its first write.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { faultsScenario, killScenario } from "../../bench/chaos";
import { contextFor } from "../../harness/emulator";
import { useEmulator } from "../fixture";
import { gitopsStack, summary } from "../../harness/stack";

const BOB = "u0bob000000000000000000000002";
const ERIN = "u0erin00000000000000000000005";
const ADD_MEMBER = "POST /v1_1/provisioning/accounts/:account_id/user_groups/:group_id/users/:user_id";

describe("chaos: every run converges, whatever the network does", function () {
    this.timeout(300_000);
    const fx = useEmulator();

    it("up, a 10% update and destroy under 20% 429/500/503, latency and lost replies: no failed resource, empty previews, no duplicate or orphan", async () => {
        const report = await faultsScenario(fx.emulator, 40, 11);
        const byStep = (name: string) => report.filter((r) => r.step === name);
        assert.ok(byStep("up under faults")[0].injected > 0, "faults were injected");
        assert.match(byStep("up under faults")[0].outcome, /"created":41/);
        assert.match(byStep("destroy under faults")[0].outcome, /"deleted":41/);
        assert.equal(byStep("account as seeded")[0].outcome, "ok");
    });

    it("pulumi up killed with SIGKILL midway: after `pulumi cancel`, the next up converges without duplicates", async () => {
        const report = await killScenario(fx.emulator, 40, 12);
        assert.match(report[0].outcome, /killed after \d+ writes; none after/);
        assert.equal(report.find((r) => r.step === "no duplicate, no orphan")?.outcome, "ok");
        assert.equal(report.find((r) => r.step === "account as seeded")?.outcome, "ok");
    });

    it("a create that fails for good after its first write is kept in state, and the next up finishes it", async () => {
        const ctx = contextFor(fx.emulator);
        const yaml = `groups:\n  team:\n    name: Half made\n    memberIds: [${BOB}, ${ERIN}]\n`;
        const { stack } = await gitopsStack(fx.emulator, yaml, { "cloudinary:maxRetries": { value: "1" }, "cloudinary:retryBaseDelayMs": { value: "10" } });

        fx.emulator.setFaults({ rate: 1, statuses: [500], routes: [ADD_MEMBER] });
        const failed = await stack.run(["up", "--yes", "--skip-preview"]);
        fx.emulator.clearFaults();
        assert.notEqual(failed.code, 0);
        assert.match(failed.stdout, /the object was created as [0-9a-f]+; the next `pulumi up` finishes it/);
        const groups = await ctx.provisioning.listUserGroups();
        assert.deepEqual(groups.map((g) => g.name), ["Half made"]);
        const recorded = (await stack.exportState()).deployment.resources.find((r: { type: string }) => r.type.endsWith("cloudinary:Group"));
        assert.equal(recorded?.id, groups[0].id, "the half-made group is in the state under its id");

        const again = await stack.up();
        assert.deepEqual(summary(again.stdout), { updated: 1, unchanged: 1 });
        assert.deepEqual((await ctx.provisioning.getUserGroup(groups[0].id as string)).users?.map((u) => u.id).sort(), [BOB, ERIN].sort());
        assert.deepEqual((await ctx.provisioning.listUserGroups()).map((g) => g.id), [groups[0].id]);
        await stack.preview(["--refresh", "--expect-no-changes"]);
    });

    it("a checkpoint that does not parse (a disk or a hand broke it) is restored from the file backend's newest backup, and the next up converges", async () => {
        const yaml = `groups:\n  team:\n    name: Kept\n    memberIds: [${BOB}]\n  other:\n    name: Made later\n`;
        const { stack, write } = await gitopsStack(fx.emulator, yaml.split("  other:")[0]);
        await stack.up();
        write(yaml);
        await stack.up();
        const stacksDir = path.join(stack.options.backendDir, ".pulumi", "stacks");
        const checkpoint = fs.readdirSync(stacksDir).map((project) => path.join(stacksDir, project, "test.json")).find((f) => fs.existsSync(f)) as string;
        fs.writeFileSync(checkpoint, "{\"version\": 3, \"checkpoint\": {");
        const broken = await stack.run(["up", "--yes", "--skip-preview"]);
        assert.notEqual(broken.code, 0);
        assert.match(broken.stdout + broken.stderr, /failed to load checkpoint/);
        assert.match(stack.recoverUnreadableBackend(), /^restored backup test\.\d+\.json$/);
        const again = await stack.up();
        assert.equal(again.code, 0);
        await stack.preview(["--refresh", "--expect-no-changes"]);
        assert.deepEqual((await contextFor(fx.emulator).provisioning.listUserGroups()).map((g) => g.name).sort(), ["Kept", "Made later"]);
    });

    it("a kill that cuts the checkpoint's metadata sidecar, on the first checkpoint (no backup) with its lock left: the sidecar removed, nothing lost or made again", async () => {
        const { stack } = await gitopsStack(fx.emulator, `groups:\n  team:\n    name: First run\n    memberIds: [${BOB}, ${ERIN}]\n`);
        await stack.up();
        const pulumiDir = path.join(stack.options.backendDir, ".pulumi");
        const stacksDir = path.join(pulumiDir, "stacks");
        const project = fs.readdirSync(stacksDir).find((p) => fs.existsSync(path.join(stacksDir, p, "test.json"))) as string;
        const sidecar = path.join(stacksDir, project, "test.json.attrs");
        assert.ok(fs.existsSync(sidecar), "the backend keeps the checkpoint's metadata beside it");
        // As a kill between the sidecar's create and its write leaves it (gocloud fileblob's setAttrs), with the
        // killed CLI's lock (pkg/backend/diy/lock.go's file) and no backup yet.
        fs.writeFileSync(sidecar, "");
        fs.rmSync(path.join(pulumiDir, "backups"), { recursive: true, force: true });
        const lockDir = path.join(pulumiDir, "locks", "organization", project, "test");
        fs.mkdirSync(lockDir, { recursive: true });
        const lock = { pid: 999999, username: "ci", hostname: "killed-runner", timestamp: new Date().toISOString() };
        fs.writeFileSync(path.join(lockDir, "0b8a3f5e-6d1c-4a2b-9e7f-3c5d1a2b4e6f.json"), JSON.stringify(lock));
        const groupId = (await contextFor(fx.emulator).provisioning.listUserGroups())[0].id;

        const broken = await stack.run(["up", "--yes", "--skip-preview"]);
        assert.notEqual(broken.code, 0);
        assert.match(broken.stdout + broken.stderr, /failed to load checkpoint: EOF/);
        assert.match(stack.recoverUnreadableBackend(), /^removed the cut \.pulumi\/stacks\/.+\/test\.json\.attrs$/);
        const refused = await stack.run(["up", "--yes", "--skip-preview"]);
        assert.match(refused.stdout + refused.stderr, /the stack is currently locked/);
        await stack.expect(["cancel", "--yes"]);
        const again = await stack.up();
        assert.deepEqual(summary(again.stdout), { unchanged: 2 });
        await stack.preview(["--refresh", "--expect-no-changes"]);
        const groups = await contextFor(fx.emulator).provisioning.listUserGroups(true);
        assert.deepEqual(groups.map((g) => [g.id, g.name, g.users?.map((u) => u.id).sort()]), [[groupId, "First run", [BOB, ERIN].sort()]]);
    });
});


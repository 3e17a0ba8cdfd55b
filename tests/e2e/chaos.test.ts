// Convergence under faults at a small size (the same scenarios as `npm run chaos`): up, update and destroy
// with 20% of requests failing and 5% of replies lost after commit; and `pulumi up` killed with SIGKILL midway.
import * as assert from "node:assert/strict";
import { faultsScenario, killScenario } from "../../bench/chaos";
import { EmulatorHandle, startEmulator } from "../../emulator";

describe("chaos: every run converges, whatever the network does", function () {
    this.timeout(300_000);
    let emulator: EmulatorHandle;
    beforeEach(async () => {
        emulator = await startEmulator({ port: 0, quiet: true });
    });
    afterEach(async () => emulator?.stop());

    it("up, a 10% update and destroy under 20% 429/500/503, latency and lost replies: no failed resource, empty previews, no duplicate or orphan", async () => {
        const report = await faultsScenario(emulator, 40, 11);
        const byStep = (name: string) => report.filter((r) => r.step === name);
        assert.ok(byStep("up under faults")[0].injected > 0, "faults were injected");
        assert.match(byStep("up under faults")[0].outcome, /"created":41/);
        assert.match(byStep("destroy under faults")[0].outcome, /"deleted":41/);
        assert.equal(byStep("account as seeded")[0].outcome, "ok");
    });

    it("pulumi up killed with SIGKILL midway: after `pulumi cancel`, the next up converges without duplicates", async () => {
        const report = await killScenario(emulator, 40, 12);
        assert.match(report[0].outcome, /killed after \d+ writes; none after/);
        assert.equal(report.find((r) => r.step === "no duplicate, no orphan")?.outcome, "ok");
        assert.equal(report.find((r) => r.step === "account as seeded")?.outcome, "ok");
    });
});

// The provider's view of the engine's workers: what it counts, and when it says none is left to spare.
import * as assert from "node:assert/strict";
import { defaultParallelism, EngineWorkers } from "../../../provider/dynamic/workers";

describe("EngineWorkers", () => {
    it("takes the engine's parallelism from PULUMI_PARALLEL, else 4 per CPU as the CLI does", () => {
        assert.equal(defaultParallelism({ PULUMI_PARALLEL: "3" }), 3);
        assert.equal(defaultParallelism({}) % 4, 0);
        assert.equal(defaultParallelism({ PULUMI_PARALLEL: "zero" }), defaultParallelism({}));
    });

    it("is full when at most one worker is left, and learns a larger parallelism from what it sees", async () => {
        const workers = new EngineWorkers(4);
        const gates: (() => void)[] = [];
        const running = Array.from({ length: 3 }, () => workers.track(() => new Promise<void>((r) => gates.push(r))));
        assert.equal(workers.full(), true, "3 of 4 busy");
        gates.shift()!();
        await running[0];
        assert.equal(workers.full(), false, "2 of 4 busy");
        // --parallel 8: the engine runs more at once than the estimate; at the new peak nothing is spared.
        const more = Array.from({ length: 4 }, () => workers.track(() => new Promise<void>((r) => gates.push(r))));
        assert.equal(workers.full(), true, "6 busy, the most seen");
        gates.shift()!();
        gates.shift()!();
        await Promise.all([running[1], running[2]]);
        assert.equal(workers.full(), false, "4 busy: full for an engine of 4, not for one that ran 6 at once");
        gates.splice(0).forEach((open) => open());
        await Promise.all(more);
        assert.equal(workers.full(), false);
    });

    it("counts a failed operation as finished", async () => {
        const workers = new EngineWorkers(2);
        await assert.rejects(workers.track(() => Promise.reject(new Error("refused"))), /refused/);
        assert.equal(workers.full(), false);
    });
});

// How many of the engine's workers are busy with this provider. The engine runs at most `--parallel`
// operations at once (default: 4 per CPU, or PULUMI_PARALLEL), and stops handing out new work while every
// worker is busy; a write held back to be coalesced keeps its worker, so it must not take the last ones.
import * as os from "node:os";
import type { HoldPolicy } from "../api/coalesce";

/** The engine's default, as the Pulumi CLI computes it. */
export function defaultParallelism(env: NodeJS.ProcessEnv = process.env): number {
    const configured = Number(env.PULUMI_PARALLEL);
    return Number.isInteger(configured) && configured > 0 ? configured : 4 * os.availableParallelism();
}

export class EngineWorkers {
    private busy = 0;
    private peak = 0;

    /** `capacity`: the engine's parallelism, as far as the provider can tell (`--parallel` is not passed to it). */
    constructor(private readonly capacity = defaultParallelism()) {}

    /** Runs one engine operation, counted as busy while it runs. */
    async track<T>(operation: () => Promise<T>): Promise<T> {
        this.busy++;
        this.peak = Math.max(this.peak, this.busy);
        try {
            return await operation();
        } finally {
            this.busy--;
        }
    }

    /** At most one worker is left: a larger `--parallel` shows as more operations at once than the estimate. */
    full(): boolean {
        return this.busy >= Math.max(this.capacity, this.peak) - 1;
    }
}

/**
 * How long a coalesced grant write waits for the grants announced to its role (README, Performance: "Why grants
 * now coalesce at N = 1000"): at most 5 round trips of a write (what a coalesced grant saves), at least 150 ms (a
 * request saved counts against rate limits even on a fast network), never more than 1.5 s, and not when the
 * engine has at most one worker left: a held create keeps its worker, and the engine stops checking new
 * resources, whose creates are what the write waits for, when none is free.
 */
export const GRANT_HOLD = { roundTrips: 5, minMs: 150, maxMs: 1500 } as const;

export function engineHold(workers: EngineWorkers, bounds: Omit<HoldPolicy, "canHold"> = GRANT_HOLD): HoldPolicy {
    return { ...bounds, canHold: () => !workers.full() };
}

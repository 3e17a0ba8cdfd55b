// Request counters served by GET /_emulator/stats: what clients sent, what they got back, and which writes
// were committed.

export interface Stats {
    total: number;
    writes: number;
    committedWrites: number;
    byRoute: Record<string, number>;
    byStatus: Record<string, number>;
    /** Every API response is checked against the spec; failures are emulator bugs. */
    responseValidation: { checked: number; failed: number; failures: string[] };
}

/** Failure messages kept, so that a broken emulator does not grow its stats without bound. */
const MAX_FAILURES = 50;

function emptyStats(): Stats {
    return { total: 0, writes: 0, committedWrites: 0, byRoute: {}, byStatus: {}, responseValidation: { checked: 0, failed: 0, failures: [] } };
}

function bump(map: Record<string, number>, key: string): void {
    map[key] = (map[key] ?? 0) + 1;
}

export class StatsCounter {
    private stats = emptyStats();

    /** A deep copy: callers may keep it while requests go on. */
    snapshot(): Stats {
        return JSON.parse(JSON.stringify(this.stats)) as Stats;
    }

    reset(): void {
        this.stats = emptyStats();
    }

    /** `routeKey` is the method and route template (the keys of byRoute and of fault settings' routes). */
    request(routeKey: string, write: boolean): void {
        this.stats.total++;
        bump(this.stats.byRoute, routeKey);
        if (write) this.stats.writes++;
    }

    /** An HTTP status, or "dropped" for a reply lost on purpose. */
    reply(status: number | "dropped"): void {
        bump(this.stats.byStatus, String(status));
    }

    committed(): void {
        this.stats.committedWrites++;
    }

    responseChecked(failure?: string): void {
        const v = this.stats.responseValidation;
        v.checked++;
        if (failure === undefined) return;
        v.failed++;
        if (v.failures.length < MAX_FAILURES) v.failures.push(failure);
    }
}

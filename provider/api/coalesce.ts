// Coalesced writes: changes to one target (a role's principals) go out as one request when the engine asks for
// them within a few milliseconds of each other, while an earlier write to that target is in flight, or while
// more changes to it were announced and are on their way. The engine checks new resources one at a time and
// creates them on its workers, so grants of one role that become ready together reach the provider spread over
// a few hundred milliseconds; each check announces its grant (`expect`), and a batch waits for what was
// announced. A held change occupies one of the engine's workers, and the engine stops checking when none is
// free, so a batch waits at most a few round trips of a write (what coalescing saves; at least 150 ms, since a
// request saved also counts against rate limits), and not at all when the engine has no worker to spare or
// nothing arrives any more. A batch refused with a 4xx is retried item by item,
// so that only the faulty item fails, with its own error (Cloudinary applies such a request all or nothing).
// DataLoader does the collecting.
import DataLoader from "dataloader";
import { CloudinaryApiError } from "./errors";

export interface CoalescingTiming {
    /** The least a batch collects for. */
    windowMs: number;
    /** A batch keeps collecting while a change to its target was announced this recently... */
    quietMs: number;
    /** ...or while an announced change has not arrived, and other changes arrived within this many round trips (the engine is not stalled on held writes)... */
    stallRoundTrips: number;
    /** ...or this long, if longer. */
    minStallMs: number;
    /** A batch waits for announced changes at most this many round trips of a write (what a coalesced change saves)... */
    holdRoundTrips: number;
    /** ...but at least this long (a request saved is worth a short wait even on a fast network: rate limits)... */
    minHoldMs: number;
    /** ...and never longer than this. */
    maxHoldMs: number;
    /** An announcement whose change never came is forgotten after this. */
    forgetMs: number;
}

export const COALESCING: CoalescingTiming = { windowMs: 5, quietMs: 20, stallRoundTrips: 2, minStallMs: 100, holdRoundTrips: 5, minHoldMs: 150, maxHoldMs: 1500, forgetMs: 60_000 };

export interface CoalescerOptions<T> {
    /** Names an item, to match a change with its announcement. */
    itemKey: (item: T) => string;
    /** The most items one request may carry. */
    maxBatch?: number;
    timing?: CoalescingTiming;
    /** True when the engine has no worker to spare: holding a change would make it wait. */
    engineFull?: () => boolean;
}

/** Weight of the newest write in the round-trip estimate. */
const ROUND_TRIP_WEIGHT = 0.2;
const TICK_MS = 10;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class Coalescer<T> {
    private readonly loaders = new Map<string, DataLoader<T, void>>();
    private readonly inFlight = new Map<string, Promise<unknown>>();
    /** Announced changes not arrived yet, by target and operation: item key → when announced. */
    private readonly expected = new Map<string, Map<string, number>>();
    private readonly lastAnnounced = new Map<string, number>();
    private lastArrival = 0;
    /** How long a write takes (moving average); 0 until the first one. */
    private roundTripMs = 0;

    private readonly itemKey: (item: T) => string;
    private readonly maxBatch: number;
    private readonly timing: CoalescingTiming;
    private readonly engineFull: () => boolean;

    /** `write(target, operation, items)` sends one request. */
    constructor(
        private readonly write: (target: string, operation: string, items: T[]) => Promise<void>,
        options: CoalescerOptions<T>,
    ) {
        this.itemKey = options.itemKey;
        this.maxBatch = options.maxBatch ?? 100;
        this.timing = options.timing ?? COALESCING;
        this.engineFull = options.engineFull ?? (() => false);
    }

    /** A change that will be asked for in moments (a new resource the engine has checked). */
    expect(target: string, operation: string, item: T): void {
        const key = batchKey(target, operation);
        const now = Date.now();
        const announced = this.expected.get(key) ?? new Map<string, number>();
        announced.set(this.itemKey(item), now);
        this.expected.set(key, announced);
        this.lastAnnounced.set(key, now);
    }

    /** An announced change that will not be asked for after all (it was found in place, or its create failed). */
    withdraw(target: string, operation: string, item: T): void {
        this.expected.get(batchKey(target, operation))?.delete(this.itemKey(item));
    }

    /** Resolves when the write carrying this item succeeded. */
    change(target: string, operation: string, item: T): Promise<void> {
        const key = batchKey(target, operation);
        this.lastArrival = Date.now();
        this.expected.get(key)?.delete(this.itemKey(item));
        return this.loader(key, target, operation).load(item);
    }

    private loader(key: string, target: string, operation: string): DataLoader<T, void> {
        let loader = this.loaders.get(key);
        if (!loader) {
            loader = new DataLoader<T, void>((items) => this.send(target, operation, items), {
                cache: false,
                maxBatchSize: this.maxBatch,
                batchScheduleFn: (dispatch) => void this.ready(key, target).then(dispatch),
            });
            this.loaders.set(key, loader);
        }
        return loader;
    }

    /** When a batch goes: after an earlier write to the target settled, the window, and what was announced (bounded). */
    private async ready(key: string, target: string): Promise<void> {
        await this.settled(target);
        const { minHoldMs, holdRoundTrips, maxHoldMs } = this.timing;
        const deadline = Date.now() + Math.min(maxHoldMs, Math.max(minHoldMs, holdRoundTrips * this.roundTripMs));
        await sleep(this.timing.windowMs);
        while (Date.now() < deadline && this.awaited(key)) await sleep(Math.min(TICK_MS, deadline - Date.now()));
    }

    /** More changes to this batch are on their way, and waiting for them holds no one up. */
    private awaited(key: string): boolean {
        const now = Date.now();
        if (this.engineFull()) return false;
        if (now - (this.lastAnnounced.get(key) ?? 0) < this.timing.quietMs) return true;
        const announced = this.expected.get(key);
        if (!announced) return false;
        for (const [item, at] of announced) if (now - at > this.timing.forgetMs) announced.delete(item);
        return announced.size > 0 && now - this.lastArrival < Math.max(this.timing.minStallMs, this.timing.stallRoundTrips * this.roundTripMs);
    }

    private settled(target: string): Promise<void> {
        return (this.inFlight.get(target) ?? Promise.resolve()).then(
            () => undefined,
            () => undefined,
        );
    }

    private send(target: string, operation: string, items: readonly T[]): Promise<(void | Error)[]> {
        const sending = this.attempt(target, operation, items);
        this.inFlight.set(target, sending);
        void sending.finally(() => this.inFlight.get(target) === sending && this.inFlight.delete(target));
        return sending;
    }

    private async attempt(target: string, operation: string, items: readonly T[]): Promise<(void | Error)[]> {
        try {
            const started = Date.now();
            await this.write(target, operation, [...items]);
            this.observe(Date.now() - started);
            return items.map(() => undefined);
        } catch (e) {
            if (items.length > 1 && e instanceof CloudinaryApiError && e.status >= 400 && e.status < 500) return this.alone(target, operation, items);
            return items.map(() => asError(e));
        }
    }

    private observe(ms: number): void {
        this.roundTripMs = this.roundTripMs === 0 ? ms : this.roundTripMs + ROUND_TRIP_WEIGHT * (ms - this.roundTripMs);
    }

    /** Each item on its own: the faulty one gets its own answer, the others go through. */
    private alone(target: string, operation: string, items: readonly T[]): Promise<(void | Error)[]> {
        return Promise.all(items.map((item) => this.write(target, operation, [item]).then(() => undefined, asError)));
    }
}

function batchKey(target: string, operation: string): string {
    return JSON.stringify([target, operation]);
}

function asError(e: unknown): Error {
    return e instanceof Error ? e : new Error(String(e));
}

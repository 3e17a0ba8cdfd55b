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

/** The changes announced to one batch key: not arrived yet (item key → when announced), and the latest announcement. */
interface Announced {
    pending: Map<string, number>;
    lastAt: number;
}

/** Weight of the newest write in the round-trip estimate. */
const ROUND_TRIP_WEIGHT = 0.2;
const TICK_MS = 10;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class Coalescer<T> {
    private readonly loaders = new Map<string, DataLoader<T, void>>();
    private readonly inFlight = new Map<string, Promise<unknown>>();
    /** Announcements by target and operation. */
    private readonly announced = new Map<string, Announced>();
    private lastArrival = 0;
    /** How long a write takes (moving average); 0 until the first one. */
    private roundTripMs = 0;
    private readonly options: Required<CoalescerOptions<T>>;

    /** `write(target, operation, items)` sends one request. */
    constructor(
        private readonly write: (target: string, operation: string, items: T[]) => Promise<void>,
        options: CoalescerOptions<T>,
    ) {
        this.options = { maxBatch: 100, timing: COALESCING, engineFull: () => false, ...options };
    }

    /** A change that will be asked for in moments (a new resource the engine has checked). */
    expect(target: string, operation: string, item: T): void {
        const key = batchKey(target, operation);
        const now = Date.now();
        const announced = this.announced.get(key) ?? { pending: new Map<string, number>(), lastAt: now };
        announced.pending.set(this.options.itemKey(item), now);
        announced.lastAt = now;
        this.announced.set(key, announced);
    }

    /** An announced change that will not be asked for after all (it was found in place, or its create failed). */
    withdraw(target: string, operation: string, item: T): void {
        this.announced.get(batchKey(target, operation))?.pending.delete(this.options.itemKey(item));
    }

    /** Resolves when the write carrying this item succeeded. */
    change(target: string, operation: string, item: T): Promise<void> {
        const key = batchKey(target, operation);
        this.lastArrival = Date.now();
        this.announced.get(key)?.pending.delete(this.options.itemKey(item));
        return this.loader(key, target, operation).load(item);
    }

    private loader(key: string, target: string, operation: string): DataLoader<T, void> {
        let loader = this.loaders.get(key);
        if (!loader) {
            loader = new DataLoader<T, void>((items) => this.send(target, operation, items), {
                cache: false,
                maxBatchSize: this.options.maxBatch,
                batchScheduleFn: (dispatch) => void this.ready(key, target).then(dispatch),
            });
            this.loaders.set(key, loader);
        }
        return loader;
    }

    /** When a batch goes: after an earlier write to the target settled, the window, and what was announced (bounded). */
    private async ready(key: string, target: string): Promise<void> {
        await this.settled(target);
        const { minHoldMs, holdRoundTrips, maxHoldMs, windowMs } = this.options.timing;
        const deadline = Date.now() + Math.min(maxHoldMs, Math.max(minHoldMs, holdRoundTrips * this.roundTripMs));
        await sleep(windowMs);
        while (Date.now() < deadline && this.awaited(key)) await sleep(Math.min(TICK_MS, deadline - Date.now()));
    }

    /** More changes to this batch are on their way, and waiting for them holds no one up. */
    private awaited(key: string): boolean {
        const { quietMs, forgetMs, minStallMs, stallRoundTrips } = this.options.timing;
        const now = Date.now();
        const announced = this.announced.get(key);
        if (!announced || this.options.engineFull()) return false;
        if (now - announced.lastAt < quietMs) return true;
        for (const [item, at] of announced.pending) if (now - at > forgetMs) announced.pending.delete(item);
        return announced.pending.size > 0 && now - this.lastArrival < Math.max(minStallMs, stallRoundTrips * this.roundTripMs);
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

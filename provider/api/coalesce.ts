// Coalesced writes: changes to one target (a role's principals) go out as one request when the engine asks for
// them within a few milliseconds of each other, while an earlier write to that target is in flight, or while
// more changes to it were announced and are on their way. The engine checks new resources one at a time and
// creates them on its workers, so grants of one role that become ready together reach the provider spread over
// a few hundred milliseconds; each check announces its grant (`pending(...).announce(hold)`), and a batch waits
// for what was announced, as the announcement's hold policy allows. That policy is the dynamic layer's, which
// knows the engine (dynamic/workers.ts). A batch refused with a 4xx is retried item by item, so that only the
// faulty item fails, with its own error (Cloudinary applies such a request all or nothing). DataLoader does the
// collecting.
import DataLoader from "dataloader";
import { CloudinaryApiError } from "./errors";

/**
 * How long a batch may wait for the changes announced to it. A batch waits while one of them has not arrived,
 * `canHold()` says so, something arrived within `minMs` (otherwise the engine is stalled or done), and it has
 * waited less than `roundTrips` round trips of a write, clamped to [`minMs`, `maxMs`].
 */
export interface HoldPolicy {
    /** What a coalesced change saves: a batch waits at most this many round trips of a write... */
    roundTrips: number;
    /** ...but at least this long, and only while something arrived this recently... */
    minMs: number;
    /** ...and never longer than this. */
    maxMs: number;
    /** False when holding a write would keep the engine waiting. */
    canHold(): boolean;
}

/** A change announced ahead of time, as the coalescer tracks it. */
export interface PendingChange {
    /** It will be asked for in moments: a write to its target may wait for it, as `hold` allows. */
    announce(hold: HoldPolicy): void;
    /** It will not be asked for after all (it was found in place, or its create is over). */
    withdraw(): void;
}

export interface CoalescerOptions<T> {
    /** Names an item, to match a change with its announcement. */
    itemKey: (item: T) => string;
    /** The most items one request may carry. */
    maxBatch?: number;
}

/** The changes announced to one batch key and not arrived yet, and the hold policy they came with. */
interface Announced {
    pending: Set<string>;
    hold: HoldPolicy;
}

/** The least a batch collects for: changes the engine asks for at the same moment arrive a few ms apart. */
const WINDOW_MS = 5;
/** Weight of the newest write in the round-trip estimate. */
const ROUND_TRIP_WEIGHT = 0.2;
/** How often a waiting batch looks again at what arrived. */
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
        this.options = { maxBatch: 100, ...options };
    }

    /** A change that a new resource the engine has checked will ask for, to announce and later withdraw. */
    pending(target: string, operation: string, item: T): PendingChange {
        const key = batchKey(target, operation);
        const itemKey = this.options.itemKey(item);
        return {
            announce: (hold) => {
                const announced = this.announced.get(key) ?? { pending: new Set<string>(), hold };
                announced.pending.add(itemKey);
                announced.hold = hold;
                this.announced.set(key, announced);
            },
            withdraw: () => void this.announced.get(key)?.pending.delete(itemKey),
        };
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

    /** When a batch goes: after an earlier write to the target settled, the window, and what was announced (see HoldPolicy). */
    private async ready(key: string, target: string): Promise<void> {
        await this.settled(target);
        const started = Date.now();
        await sleep(WINDOW_MS);
        for (let left = this.holdLeft(key, started); left > 0; left = this.holdLeft(key, started)) await sleep(Math.min(TICK_MS, left));
    }

    /** How much longer the batch waits for the changes announced to it: 0 when it goes now. */
    private holdLeft(key: string, started: number): number {
        const announced = this.announced.get(key);
        if (!announced || announced.pending.size === 0) return 0;
        const { roundTrips, minMs, maxMs } = announced.hold;
        const now = Date.now();
        if (now - this.lastArrival >= minMs || !announced.hold.canHold()) return 0;
        return Math.max(0, started + Math.min(maxMs, Math.max(minMs, roundTrips * this.roundTripMs)) - now);
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

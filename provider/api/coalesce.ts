// Coalesced writes: changes to one target (a role's principals) that the engine asks for within a few
// milliseconds of each other, or while an earlier write to that target is in flight, go out as one request.
// A batch refused with a 4xx is retried item by item, so that only the faulty item fails, with its own error
// (Cloudinary applies such a request all or nothing). DataLoader does the collecting.
import DataLoader from "dataloader";
import { CloudinaryApiError } from "./errors";

/** The window in which concurrent changes to one target are collected. */
export const BATCH_WINDOW_MS = 5;

export class Coalescer<T> {
    private readonly loaders = new Map<string, DataLoader<T, void>>();
    private readonly inFlight = new Map<string, Promise<unknown>>();

    /** `write(target, operation, items)` sends one request; `maxBatch` is the most items one request may carry. */
    constructor(
        private readonly write: (target: string, operation: string, items: T[]) => Promise<void>,
        private readonly maxBatch = 100,
        private readonly windowMs = BATCH_WINDOW_MS,
    ) {}

    /** Resolves when the write carrying this item succeeded. */
    change(target: string, operation: string, item: T): Promise<void> {
        const key = JSON.stringify([target, operation]);
        let loader = this.loaders.get(key);
        if (!loader) {
            loader = new DataLoader<T, void>((items) => this.send(target, operation, items), {
                cache: false,
                maxBatchSize: this.maxBatch,
                // Collect for a few ms, and for as long as an earlier write to the target is in flight.
                batchScheduleFn: (dispatch) => void this.settled(target).then(() => setTimeout(dispatch, this.windowMs)),
            });
            this.loaders.set(key, loader);
        }
        return loader.load(item);
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
            await this.write(target, operation, [...items]);
            return items.map(() => undefined);
        } catch (e) {
            if (items.length > 1 && e instanceof CloudinaryApiError && e.status >= 400 && e.status < 500) return this.alone(target, operation, items);
            return items.map(() => asError(e));
        }
    }

    /** Each item on its own: the faulty one gets its own answer, the others go through. */
    private alone(target: string, operation: string, items: readonly T[]): Promise<(void | Error)[]> {
        return Promise.all(items.map((item) => this.write(target, operation, [item]).then(() => undefined, asError)));
    }
}

function asError(e: unknown): Error {
    return e instanceof Error ? e : new Error(String(e));
}

// Where the emulator reads time for the rate limit's window and waits the injected latency. Tests hand in a fake
// clock (@sinonjs/fake-timers) so that timing is checked by order, never by the wall clock.

export interface Clock {
    /** Milliseconds since the epoch. */
    now(): number;
    sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
    now: () => Date.now(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

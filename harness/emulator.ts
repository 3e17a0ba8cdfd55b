// The emulator as the tests, the benchmarks and the scripts use it: in-process on a free port, with provider
// settings and contexts on it. No test-framework globals here: tests/fixture.ts hooks the fixture into mocha.
import { EmulatorHandle, EmulatorOptions, parsePageSize, startEmulator } from "../emulator";
import { ProviderSettings, resolveSettings } from "../provider/api/settings";
import { ProviderContext } from "../provider/context";

export interface EmulatorFixture {
    emulator: EmulatorHandle;
    /** A fresh provider context (fresh caches) on the emulator. */
    context(overrides?: Partial<ProviderSettings>): ProviderContext;
    /** Writes counted by the emulator since the last reset. */
    writes(): Promise<number>;
    warnings: string[];
    /** Starts the emulator on a free port. */
    start(): Promise<void>;
    /** Back to the seeded account, with no warnings recorded. */
    reset(): Promise<void>;
    stop(): Promise<void>;
}

/**
 * The emulator's page size for a whole run: CLOUDINARY_EMULATOR_PAGE_SIZE (e.g. 2, to prove every page is read),
 * unset: every listing is one page.
 */
export function pageSizeFromEnv(env: NodeJS.ProcessEnv = process.env): number | undefined {
    if (!env.CLOUDINARY_EMULATOR_PAGE_SIZE) return undefined;
    const size = parsePageSize(env.CLOUDINARY_EMULATOR_PAGE_SIZE);
    if (typeof size === "string") throw new Error(`CLOUDINARY_EMULATOR_PAGE_SIZE: ${size}`);
    return size;
}

/** How tests start an in-process emulator: a free port, quiet, at the run's page size. */
export function testEmulatorOptions(overrides: EmulatorOptions = {}): EmulatorOptions {
    return { port: 0, quiet: true, pageSize: pageSizeFromEnv(), ...overrides };
}

/** An emulator to start, reset between uses and stop, with provider contexts whose warnings it records. */
export function emulatorFixture(): EmulatorFixture {
    const fixture: EmulatorFixture = {
        emulator: undefined as unknown as EmulatorHandle,
        warnings: [],
        async start() {
            fixture.emulator = await startEmulator(testEmulatorOptions());
        },
        async reset() {
            await fixture.emulator.reset();
            fixture.warnings.length = 0;
        },
        async stop() {
            await fixture.emulator?.stop();
        },
        context: (overrides = {}) => contextFor(fixture.emulator, { retryBaseDelayMs: 5, ...overrides }, (m) => fixture.warnings.push(m)),
        writes: async () => (await fixture.emulator.stats()).writes,
    };
    return fixture;
}

/** Provider settings that reach the emulator with its credentials, as the environment variables would give them. */
export function settingsFor(emulator: Pick<EmulatorHandle, "url" | "credentials">): ProviderSettings {
    const { accountUrl, productEnvironments } = emulator.credentials;
    return resolveSettings(undefined, {
        CLOUDINARY_API_BASE_URL: emulator.url,
        CLOUDINARY_ACCOUNT_URL: accountUrl,
        CLOUDINARY_PRODUCT_ENVIRONMENTS: productEnvironments.map((pe) => pe.cloudinaryUrl).join(","),
    });
}

/** API clients on the emulator (fresh caches), as a Console user, a script or the provider would reach it. */
export function contextFor(emulator: Pick<EmulatorHandle, "url" | "credentials">, overrides: Partial<ProviderSettings> = {}, warn?: (message: string) => void): ProviderContext {
    return new ProviderContext({ ...settingsFor(emulator), ...overrides }, warn);
}

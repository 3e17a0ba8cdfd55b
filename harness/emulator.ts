// Mocha helpers: an in-process emulator on a free port, reset before each test, and provider contexts on it.
import { EmulatorHandle, startEmulator } from "../emulator";
import { ProviderSettings, resolveSettings } from "../provider/config";
import { ProviderContext } from "../provider/context";

export interface EmulatorFixture {
    emulator: EmulatorHandle;
    /** A fresh provider context (fresh caches) on the emulator. */
    context(overrides?: Partial<ProviderSettings>): ProviderContext;
    /** Writes counted by the emulator since the last reset. */
    writes(): Promise<number>;
    warnings: string[];
}

export function useEmulator(): EmulatorFixture {
    const fixture = { warnings: [] as string[] } as EmulatorFixture;
    before(async () => {
        fixture.emulator = await startEmulator({ port: 0, quiet: true });
    });
    beforeEach(async () => {
        await fixture.emulator.reset();
        fixture.warnings.length = 0;
    });
    after(async () => fixture.emulator?.stop());
    fixture.context = (overrides = {}) => new ProviderContext({ ...settingsFor(fixture.emulator), retryBaseDelayMs: 5, ...overrides }, (m) => fixture.warnings.push(m));
    fixture.writes = async () => (await fixture.emulator.stats()).writes;
    return fixture;
}

export function settingsFor(emulator: EmulatorHandle): ProviderSettings {
    const { accountUrl, productEnvironments } = emulator.credentials;
    return resolveSettings(undefined, {
        CLOUDINARY_API_BASE_URL: emulator.url,
        CLOUDINARY_ACCOUNT_URL: accountUrl,
        CLOUDINARY_PRODUCT_ENVIRONMENTS: productEnvironments.map((pe) => pe.cloudinaryUrl).join(","),
    });
}

/** The engine passes inputs with the serialized provider; handlers must ignore it. */
export function withProvider<T extends object>(inputs: T): T & { __provider: string } {
    return { ...inputs, __provider: "serialized-provider-shim" };
}

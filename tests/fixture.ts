// Mocha hooks for the emulator fixture of harness/emulator.ts: started before the suite, reset to the seeded
// account before each test, stopped after the suite.
import { EmulatorFixture, emulatorFixture } from "../harness/emulator";

export function useEmulator(): EmulatorFixture {
    const fixture = emulatorFixture();
    before(() => fixture.start());
    beforeEach(() => fixture.reset());
    after(() => fixture.stop());
    return fixture;
}

/** The engine passes inputs with the serialized provider; handlers must ignore it. */
export function withProvider<T extends object>(inputs: T): T & { __provider: string } {
    return { ...inputs, __provider: "serialized-provider-shim" };
}

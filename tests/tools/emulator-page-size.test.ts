// CLOUDINARY_EMULATOR_PAGE_SIZE reaches the emulators the harness starts, in-process and in a process of their
// own, so that a whole run can go at page size 2.
import * as assert from "node:assert/strict";
import { emulatorFixture, pageSizeFromEnv } from "../../harness/emulator";
import { startEmulatorProcess } from "../../harness/emulatorProcess";

describe("harness: the emulator's page size from CLOUDINARY_EMULATOR_PAGE_SIZE", function () {
    this.timeout(30_000);
    const saved = process.env.CLOUDINARY_EMULATOR_PAGE_SIZE;
    afterEach(() => {
        if (saved === undefined) delete process.env.CLOUDINARY_EMULATOR_PAGE_SIZE;
        else process.env.CLOUDINARY_EMULATOR_PAGE_SIZE = saved;
    });
    const pageSizeOf = async (url: string) => ((await (await fetch(`${url}/_emulator/page-size`)).json()) as { pageSize: number | null }).pageSize;

    it("reads a whole number from 1; unset or empty is none; anything else is refused naming the variable", () => {
        assert.equal(pageSizeFromEnv({}), undefined);
        assert.equal(pageSizeFromEnv({ CLOUDINARY_EMULATOR_PAGE_SIZE: "" }), undefined);
        assert.equal(pageSizeFromEnv({ CLOUDINARY_EMULATOR_PAGE_SIZE: "2" }), 2);
        assert.throws(() => pageSizeFromEnv({ CLOUDINARY_EMULATOR_PAGE_SIZE: "0" }), /^Error: CLOUDINARY_EMULATOR_PAGE_SIZE: a page size is a whole number from 1; got "0"$/);
    });

    it("the in-process fixture and the separate process start at it", async () => {
        process.env.CLOUDINARY_EMULATOR_PAGE_SIZE = "2";
        const fixture = emulatorFixture();
        await fixture.start();
        const child = await startEmulatorProcess();
        try {
            assert.equal(await pageSizeOf(fixture.emulator.url), 2);
            assert.equal(await pageSizeOf(child.url), 2);
        } finally {
            await fixture.stop();
            await child.stop();
        }
    });
});

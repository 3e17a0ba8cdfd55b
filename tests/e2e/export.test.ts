// The export round trip with the real engine: a large account made through the APIs, exported by
// `cloudinary-permissions export`, then brought under the GitOps program: the first `pulumi up` makes no write,
// and `pulumi preview --refresh --expect-no-changes` passes.
import { testEmulatorOptions } from "../../harness/emulator";
import * as assert from "node:assert/strict";
import { EmulatorHandle, startEmulator } from "../../emulator";
import { seedLargeAccount } from "../../harness/seedAccount";
import { gitopsStack, summary } from "../../harness/stack";
import { runExport } from "../../cli/export";

describe("end to end: export an existing account, then manage it with no write", function () {
    this.timeout(600_000);
    let emulator: EmulatorHandle;
    before(async () => (emulator = await startEmulator(testEmulatorOptions())));
    after(async () => emulator?.stop());

    it("round trip: at least 200 grants exported, 0 writes on the first up, a clean drift preview", async () => {
        const grants = await seedLargeAccount(emulator);
        assert.ok(grants >= 200, `${grants} grants seeded`);
        const env = {
            CLOUDINARY_API_BASE_URL: emulator.url,
            CLOUDINARY_ACCOUNT_URL: emulator.credentials.accountUrl,
            CLOUDINARY_PRODUCT_ENVIRONMENTS: JSON.stringify(emulator.credentials.productEnvironments.map((pe) => pe.cloudinaryUrl)),
        };
        const progress: string[] = [];
        const text = await runExport({ format: "yaml", exclusive: true }, env, (m) => void progress.push(m));
        assert.match(text, new RegExp(`${grants} grants`));
        assert.match(text, /productEnvironmentAccess:\n {2}erin@acme\.example:\n {4}- acme-staging\n/, "the user kept to staging, by email and cloud name");
        assert.ok(progress.some((m) => /holders of \d+ of \d+ roles read/.test(m)), progress.join("\n"));

        const { stack } = await gitopsStack(emulator, text);
        await emulator.resetStats();
        const up = await stack.up();
        const stats = await emulator.stats();
        console.log(`      export round trip: ${grants} grants exported; first up: ${JSON.stringify(summary(up.stdout))}, ${stats.total} requests, ${stats.writes} writes`);
        assert.equal(stats.writes, 0, up.stdout);
        await stack.preview(["--refresh", "--expect-no-changes"]);
    });
});

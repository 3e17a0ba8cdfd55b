// ProductEnvironmentAccess with the real engine, from a permissions.yaml section keyed by email: create, drift found
// and repaired, update, destroy (every product environment back); bad inputs fail the preview with 0 writes.
// The ids are the seeded account's (emulator/README.md), written by hand.
import * as assert from "node:assert/strict";
import { EmulatorHandle, startEmulator } from "../../emulator";
import { contextFor, testEmulatorOptions } from "../../harness/emulator";
import { gitopsStack, summary } from "../../harness/stack";

const ERIN = "u0erin00000000000000000000005";
const PROD = "pe0prod000000000000000000000001";
const STAGING = "pe0stag000000000000000000000002";

const file = (access: string) => `
productEnvironmentAccess:
${access}
`;

describe("end to end: ProductEnvironmentAccess", function () {
    this.timeout(300_000);
    let emulator: EmulatorHandle;
    before(async () => (emulator = await startEmulator(testEmulatorOptions())));
    after(async () => emulator?.stop());
    const live = async (userId: string) => (await contextFor(emulator).provisioning.listUserProductEnvironments(userId)).map((pe) => pe.id).sort();

    it("creates, finds drift, repairs it, updates, and gives every product environment back on destroy", async () => {
        const { stack, write } = await gitopsStack(emulator, file("  erin@acme.example: [acme-staging]"));
        const up = await stack.up();
        assert.deepEqual(summary(up.stdout), { created: 2 }, up.stdout);
        assert.deepEqual(await live(ERIN), [STAGING]);
        await stack.preview(["--refresh", "--expect-no-changes"]);

        // Someone lets Erin into production in the Console.
        await contextFor(emulator).provisioning.updateUser(ERIN, { sub_account_ids: [STAGING, PROD] });
        const drift = await stack.preview(["--refresh", "--expect-no-changes", "--diff"], 7);
        assert.match(drift.stdout, /cloudinary:ProductEnvironmentAccess[\s\S]*productEnvironmentIds/, drift.stdout);
        await stack.up(["--refresh"]);
        assert.deepEqual(await live(ERIN), [STAGING]);

        write(file("  erin@acme.example: [acme-prod]"));
        await stack.up();
        assert.deepEqual(await live(ERIN), [PROD]);
        await stack.preview(["--refresh", "--expect-no-changes"]);

        await stack.destroy();
        assert.deepEqual(await live(ERIN), [PROD, STAGING].sort(), "every product environment, Cloudinary's default");
    });

    const bad: [string, string, RegExp][] = [
        ["a master admin", "  alice@acme.example: [acme-staging]", /alice@acme\.example is a master admin, who enters every product environment: Cloudinary ignores sub_account_ids for master admins/],
        ["a misspelt cloud name", "  erin@acme.example: [acme-stagign]", /productEnvironmentIds\[0\] 'acme-stagign' is not a product environment of this account, by id or by cloud name; did you mean 'acme-staging'\?/],
        ["'all' beside a product environment", "  erin@acme.example: [all, acme-prod]", /lists 'all' with other product environments/],
        ["a misspelt email", "  erin@acme.exmaple: [acme-prod]", /'erin@acme\.exmaple' is not a user of this account, by id or by email; did you mean 'erin@acme\.example'\?/],
    ];
    for (const [what, entry, reason] of bad) {
        it(`refuses ${what} at preview, writing nothing`, async () => {
            const { stack } = await gitopsStack(emulator, file(entry));
            await emulator.resetStats();
            const preview = await stack.preview([], 1);
            assert.match(preview.stdout + preview.stderr, reason);
            assert.equal((await emulator.stats()).writes, 0);
        });
    }
});

// Requests the quickstart stack's runs make through the real engine, by route: a preview of the new stack, the
// up, a preview with no change, and a refresh preview (emulator counters). `node bin/bench/previewRequests.js`.
import * as path from "node:path";
import { startEmulator } from "../emulator";
import { REPO_ROOT } from "../harness/pulumi";
import { buildOnce, newStack, tempProject } from "../harness/stack";

async function main(): Promise<void> {
    buildOnce();
    const emulator = await startEmulator({ port: 0, quiet: true });
    try {
        const stack = await newStack({ projectDir: tempProject({ compiled: path.join(REPO_ROOT, "bin", "examples", "quickstart", "index.js") }), api: emulator });
        const steps: [string, () => Promise<unknown>][] = [
            ["preview (new stack)", () => stack.preview()],
            ["up", () => stack.up()],
            ["preview (no change)", () => stack.preview(["--expect-no-changes"])],
            ["preview --refresh (no change)", () => stack.preview(["--refresh", "--expect-no-changes"])],
        ];
        for (const [name, run] of steps) {
            await emulator.resetStats();
            await run();
            const { total, writes, byRoute } = await emulator.stats();
            console.log(`${name}: ${total} requests (${writes} writes)`);
            for (const [route, n] of Object.entries(byRoute).sort()) console.log(`    ${n}  ${route}`);
        }
        await stack.destroy();
    } finally {
        await emulator.stop();
    }
}

main().catch((e) => {
    console.error(e);
    process.exit(1);
});

// `npm start`, the main job: deploy the quickstart stack to the local emulator with the real Pulumi engine,
// show its outputs and who holds which role where, then prove there is no drift.
import { accessTable, quickstartStack, startDemoEmulator } from "./demo";
import { contextFor } from "../harness/emulator";

async function main(): Promise<number> {
    const emulator = await startDemoEmulator();
    try {
        console.log(`Cloudinary emulator listening on ${emulator.url} (state in .pulumi-state/)`);
        const stack = await quickstartStack(emulator);

        console.log("\n== pulumi up --refresh ==");
        await stack.up(["--refresh"]);

        console.log("\n== Stack outputs ==");
        console.log(JSON.stringify(await stack.outputs(), null, 2));

        console.log("\n== Who holds which role where (read from the live APIs) ==");
        console.log(await accessTable(contextFor(emulator)));

        console.log("\n== Drift check: pulumi preview --refresh --expect-no-changes ==");
        const drift = await stack.run(["preview", "--refresh", "--expect-no-changes"]);
        if (drift.code !== 0) {
            console.error("Drift found right after the deployment: this is a bug.");
            return 1;
        }
        console.log("\nNo drift: the account matches the program. Try `npm run drift` to see drift caught.");
        return 0;
    } finally {
        await emulator.stop();
    }
}

main().then(
    (code) => process.exit(code),
    (e) => {
        console.error(e instanceof Error ? e.message : e);
        process.exit(1);
    },
);

// `npm run bench:refresh [-- --latency 0,80]`: the cost of a drift check (`pulumi preview --refresh`) of a stack
// that manages every grant of an account with 1000 grants (bench/access.ts's: 100 groups with members, 10 grants
// each), written by `cloudinary-permissions export --exclusive` (one PrincipalRoles per group) and taken over by a
// first `up`. The emulator runs in its own process with a fixed delay added to every request; requests are its
// counters, by kind. Median of 3 previews. Prints the figures and writes bench/results/refresh.json.
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import { contextFor } from "../harness/emulator";
import { EmulatorControl, startEmulatorProcess } from "../harness/emulatorProcess";
import { REPO_ROOT } from "../harness/pulumi";
import { buildOnce, gitopsStack, summary } from "../harness/stack";
import { thousandGrants } from "./access";

const run = promisify(execFile);
const RUNS = 3;

interface Figure {
    seconds: number;
    requests: number;
    byRoute: Record<string, number>;
}

async function measure(emulator: EmulatorControl, command: () => Promise<unknown>): Promise<Figure> {
    const runs: Figure[] = [];
    for (let i = 0; i < RUNS; i++) {
        await emulator.resetStats();
        const started = performance.now();
        await command();
        const stats = await emulator.stats();
        runs.push({ seconds: +((performance.now() - started) / 1000).toFixed(2), requests: stats.total, byRoute: stats.byRoute });
    }
    return runs.sort((a, b) => a.seconds - b.seconds)[Math.floor(RUNS / 2)];
}

async function main(): Promise<void> {
    const latencies = (process.argv.includes("--latency") ? process.argv[process.argv.indexOf("--latency") + 1] : "0,80").split(",").map(Number);
    buildOnce();
    const emulator = await startEmulatorProcess({ validateResponses: false });
    try {
        await thousandGrants(emulator);
        const { accountUrl, productEnvironments } = emulator.credentials;
        const env = { ...process.env, CLOUDINARY_API_BASE_URL: emulator.url, CLOUDINARY_ACCOUNT_URL: accountUrl, CLOUDINARY_PRODUCT_ENVIRONMENTS: productEnvironments.map((pe) => pe.cloudinaryUrl).join(",") };
        const { stdout: exported } = await run(process.execPath, [path.join(REPO_ROOT, "bin", "cli", "index.js"), "export", "--exclusive"], { env, maxBuffer: 64 * 1024 * 1024 });
        const { roles, grants } = await contextFor(emulator).directory.accountGrants("fresh");
        const { stack } = await gitopsStack(emulator, exported);
        await emulator.resetStats();
        const started = performance.now();
        const up = await stack.up();
        const first = { seconds: +((performance.now() - started) / 1000).toFixed(2), requests: (await emulator.stats()).total, writes: (await emulator.stats()).writes, resources: summary(up.stdout) };
        console.log(`account: ${grants.length} grants, ${roles.length} roles; the export's first up: ${JSON.stringify(first)}`);
        const results = [];
        for (const latencyMs of latencies) {
            if (latencyMs > 0) await emulator.setFaults({ rate: 0, statuses: [500], latencyMs: { min: latencyMs, max: latencyMs } });
            const refresh = await measure(emulator, () => stack.preview(["--refresh", "--expect-no-changes"]));
            await emulator.clearFaults();
            results.push({ latencyMs, refresh });
            console.log(`\n${latencyMs} ms per request: preview --refresh ${refresh.seconds.toFixed(2)} s, ${refresh.requests} requests`);
            console.log(`  by route: ${JSON.stringify(refresh.byRoute)}`);
        }
        const out = path.join(REPO_ROOT, "bench", "results", "refresh.json");
        fs.writeFileSync(out, JSON.stringify({ date: new Date().toISOString(), node: process.version, grants: grants.length, roles: roles.length, firstUp: first, results }, null, 2) + "\n");
        console.log(`\nwrote ${path.relative(REPO_ROOT, out)}`);
    } finally {
        await emulator.stop();
    }
}

main().catch((e) => {
    console.error(e);
    process.exit(1);
});

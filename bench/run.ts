// `npm run bench [-- --sizes 100,1000 | --calls-only]`: generated stacks of N resources run with the real Pulumi engine against
// the emulator, step by step (up from empty, no-op preview, preview --refresh, a 10% update, destroy), beside
// two baselines in the same run: the same shape made of do-nothing dynamic resources (the engine's floor) and a
// plain sequential script making the same writes. Prints a table and writes JSON under bench/results/.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { EmulatorHandle, startEmulator } from "../emulator";
import { parsePermissionsFile } from "../provider/gitops";
import { PulumiStack, REPO_ROOT } from "../harness/pulumi";
import { contextFor } from "../harness/emulator";
import { buildOnce, newStack, summary, tempProject } from "../harness/stack";
import { callsTable, measureCalls } from "./calls";
import { createDirect, teardownDirect } from "./direct";
import { generateStack, GeneratedStack } from "./generate";
import { watchPeakMemory } from "./memory";

interface StepResult {
    step: string;
    seconds: number;
    floorSeconds: number;
    /** (provider - floor) / floor */
    overhead: number;
    requests: number;
    reads: number;
    writes: number;
    /** The writes the step needs: one per object or membership created, changed or deleted. */
    expectedWrites: number;
    requestsPerResource: number;
    byRoute: Record<string, number>;
    engine: Record<string, number>;
    providerPeakMiB?: number;
    floorPeakMiB?: number;
}

interface SizeResult {
    size: number;
    counts: GeneratedStack["counts"];
    steps: StepResult[];
    direct: { createSeconds: number; requests: number; writes: number; teardownSeconds: number };
    targets: { name: string; met: boolean; detail: string }[];
}

const PROVIDER_MARKER = "dynamic-provider";

function parseSizes(argv: string[]): number[] {
    const i = argv.findIndex((a) => a === "--sizes" || a.startsWith("--sizes="));
    if (i < 0) return [100, 1000];
    const value = argv[i].includes("=") ? argv[i].split("=")[1] : argv[i + 1];
    const sizes = (value ?? "").split(",").map(Number);
    if (!sizes.length || sizes.some((n) => !Number.isInteger(n) || n < 10)) throw new Error(`--sizes takes a comma-separated list of integers >= 10, got '${value}'`);
    return sizes;
}

async function timed(stack: PulumiStack, args: string[]): Promise<{ seconds: number; stdout: string; peakMiB?: number }> {
    const memory = watchPeakMemory(PROVIDER_MARKER);
    const result = await stack.expect(args);
    return { seconds: result.ms / 1000, stdout: result.stdout, peakMiB: memory.stop() };
}

const STEPS: { step: string; args: string[]; file?: "touched" }[] = [
    { step: "up (from empty)", args: ["up", "--yes", "--skip-preview"] },
    { step: "preview (no changes)", args: ["preview", "--expect-no-changes"] },
    { step: "preview --refresh", args: ["preview", "--refresh", "--expect-no-changes"] },
    { step: "up (10% changed)", args: ["up", "--yes", "--skip-preview"], file: "touched" },
    { step: "destroy", args: ["destroy", "--yes", "--skip-preview"] },
];

async function benchSize(size: number, emulator: EmulatorHandle): Promise<SizeResult> {
    const generated = generateStack(size);
    const touched = generated.touched();
    const resources = generated.counts.resources;

    const providerProject = tempProject({ compiled: path.join(REPO_ROOT, "bin", "examples", "gitops", "index.js") });
    const floorProject = tempProject({ compiled: path.join(REPO_ROOT, "bin", "bench", "floor-program.js") });
    for (const dir of [providerProject, floorProject]) fs.writeFileSync(path.join(dir, "permissions.yaml"), generated.yaml);
    const provider = await newStack({ projectDir: providerProject, emulator });
    const floor = await newStack({ projectDir: floorProject, emulator });

    const expected: Record<string, number> = {
        "up (from empty)": generated.writesToCreate,
        "preview (no changes)": 0,
        "preview --refresh": 0,
        "up (10% changed)": touched.writes,
        // One delete per object; a group's members go with it.
        destroy: resources,
    };
    const steps: StepResult[] = [];
    for (const { step, args, file } of STEPS) {
        if (file === "touched") for (const dir of [providerProject, floorProject]) fs.writeFileSync(path.join(dir, "permissions.yaml"), touched.yaml);
        const floorRun = await timed(floor, args);
        emulator.resetStats();
        const run = await timed(provider, args);
        const stats = await emulator.stats();
        // Everything that is not a write reads (the Admin API's "get folder by id" is a PUT).
        const reads = stats.total - stats.writes;
        steps.push({
            step,
            seconds: run.seconds,
            floorSeconds: floorRun.seconds,
            overhead: (run.seconds - floorRun.seconds) / floorRun.seconds,
            requests: stats.total,
            reads,
            writes: stats.writes,
            expectedWrites: expected[step],
            requestsPerResource: stats.total / resources,
            byRoute: stats.byRoute,
            engine: summary(run.stdout),
            providerPeakMiB: run.peakMiB,
            floorPeakMiB: floorRun.peakMiB,
        });
        console.log(`  ${step}: ${run.seconds.toFixed(1)} s (floor ${floorRun.seconds.toFixed(1)} s), ${stats.total} requests, ${stats.writes} writes`);
    }

    // The sequential script, on the same (now empty again) account.
    const ctx = contextFor(emulator);
    const file = parsePermissionsFile(generated.yaml);
    emulator.resetStats();
    let started = Date.now();
    const made = await createDirect(file, ctx);
    const direct = { createSeconds: (Date.now() - started) / 1000, ...(await emulator.stats()) };
    started = Date.now();
    await teardownDirect(file, ctx, made);
    const teardownSeconds = (Date.now() - started) / 1000;
    console.log(`  sequential script: ${direct.createSeconds.toFixed(1)} s to create, ${direct.writes} writes`);

    const byStep = Object.fromEntries(steps.map((s) => [s.step, s]));
    const noop = byStep["preview (no changes)"];
    const refresh = byStep["preview --refresh"];
    const upSteps = [byStep["up (from empty)"], byStep["up (10% changed)"]];
    const targets = [
        { name: "no-op preview: no API call beyond one cached catalog read", met: noop.requests <= 1, detail: `${noop.requests} requests` },
        { name: "preview --refresh: at most one read per resource", met: refresh.reads <= resources && refresh.writes === 0, detail: `${refresh.reads} reads for ${resources} resources` },
        { name: "up: exactly one write per change", met: upSteps.every((s) => s.writes === s.expectedWrites), detail: upSteps.map((s) => `${s.writes}/${s.expectedWrites}`).join(", ") },
        {
            name: "provider time above the engine floor at most 20%, every step",
            met: steps.every((s) => s.overhead <= 0.2),
            detail: steps.map((s) => `${s.step} ${(s.overhead * 100).toFixed(0)}%`).join(", "),
        },
    ];
    return {
        size,
        counts: generated.counts,
        steps,
        direct: { createSeconds: direct.createSeconds, requests: direct.total, writes: direct.writes, teardownSeconds },
        targets,
    };
}

function table(result: SizeResult): string {
    const header = ["step", "wall s", "floor s", "above floor", "requests", "reads", "writes", "expected writes", "req/resource", "provider MiB", "floor MiB"];
    const rows = result.steps.map((s) => [
        s.step,
        s.seconds.toFixed(1),
        s.floorSeconds.toFixed(1),
        `${(s.overhead * 100).toFixed(0)}%`,
        String(s.requests),
        String(s.reads),
        String(s.writes),
        String(s.expectedWrites),
        s.requestsPerResource.toFixed(2),
        s.providerPeakMiB?.toFixed(0) ?? "?",
        s.floorPeakMiB?.toFixed(0) ?? "?",
    ]);
    rows.push(["sequential script (create)", result.direct.createSeconds.toFixed(1), "", "", String(result.direct.requests), "", String(result.direct.writes), "", "", "", ""]);
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const line = (cells: string[]) => "| " + cells.map((c, i) => c.padEnd(widths[i])).join(" | ") + " |";
    return [line(header), "|" + widths.map((w) => "-".repeat(w + 2)).join("|") + "|", ...rows.map(line)].join("\n");
}

async function main(): Promise<number> {
    const argv = process.argv.slice(2);
    const sizes = argv.includes("--calls-only") ? [] : parseSizes(argv);
    buildOnce();
    const outDir = path.join(REPO_ROOT, "bench", "results");
    fs.mkdirSync(outDir, { recursive: true });
    const machine = { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version };

    console.log("== API requests per operation and resource (handlers called directly, emulator counters) ==");
    const meter = await startEmulator({ port: 0, quiet: true });
    try {
        const calls = await measureCalls(meter);
        console.log(callsTable(calls));
        fs.writeFileSync(path.join(outDir, "calls.json"), JSON.stringify({ date: new Date().toISOString(), calls }, null, 2) + "\n");
    } finally {
        await meter.stop();
    }

    const results: SizeResult[] = [];
    for (const size of sizes) {
        console.log(`\n== ${size} resources ==`);
        // Response validation is the emulator's own test concern; off here so it does not weigh on the figures.
        const emulator = await startEmulator({ port: 0, quiet: true, validateResponses: false });
        try {
            results.push(await benchSize(size, emulator));
        } finally {
            await emulator.stop();
        }
    }
    for (const result of results) {
        const file = path.join(outDir, `bench-${result.size}.json`);
        fs.writeFileSync(file, JSON.stringify({ date: new Date().toISOString(), machine, ...result }, null, 2) + "\n");
        console.log(`\n${result.size} resources (${JSON.stringify(result.counts)}):\n${table(result)}`);
        for (const t of result.targets) {
            console.log(`  ${t.met ? "met    " : "MISSED "} ${t.name}: ${t.detail}`);
        }
        console.log(`  JSON: ${path.relative(REPO_ROOT, file)}`);
    }
    // A missed target is a finding, printed above; the benchmark itself succeeded.
    return 0;
}

main().then(
    (code) => process.exit(code),
    (e) => {
        console.error(e instanceof Error ? e.stack ?? e.message : e);
        process.exit(1);
    },
);

// `npm run bench [-- --sizes 300,1000 --latency 0,80 --parallel N --rate-limit LIMIT/SECONDS --cpu-prof DIR --tag T --steps up,refresh | --calls-only]`:
// generated stacks of N resources run with the real Pulumi engine against the emulator in its own process, with
// a fixed delay added to every request (the latency profile: 80 ms is a round trip to another continent), step by
// step (up from empty, no-op preview, preview --refresh, a 10% update, destroy), beside two baselines in the same
// run: the same shape made of do-nothing dynamic resources (the engine's floor) and a plain sequential script
// making the same writes. Prints tables (and requests by kind) and writes JSON under bench/results/.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { RateLimitSettings, startEmulator } from "../emulator";
import { parsePermissionsFile } from "../provider/gitops";
import { PulumiStack, REPO_ROOT } from "../harness/pulumi";
import { contextFor } from "../harness/emulator";
import { EmulatorControl, startEmulatorProcess } from "../harness/emulatorProcess";
import { buildOnce, newStack, summary, tempProject } from "../harness/stack";
import { callsTable, measureCalls } from "./calls";
import { createDirect, teardownDirect } from "./direct";
import { generateStack, GeneratedStack } from "./generate";
import { watchPeakMemory } from "./memory";
import { byKind, kindsTable, StepResult, table, Target, targetsOf } from "./report";

interface SizeResult {
    size: number;
    latencyMs: number;
    parallel?: number;
    rateLimit?: RateLimitSettings;
    counts: GeneratedStack["counts"];
    steps: StepResult[];
    /** The sequential script (not run when the steps leave the account full). */
    direct?: { createSeconds: number; requests: number; writes: number; teardownSeconds: number };
    /** CPU seconds the emulator process used over the provider's steps (it runs elsewhere against the real API). */
    emulatorCpuSeconds?: number;
    targets: Target[];
}

interface Options {
    sizes: number[];
    /** Fixed delay added to every request, per run: 0 is loopback, 80 a round trip to another continent. */
    latencies: number[];
    parallel?: number;
    rateLimit?: RateLimitSettings;
    /** Where the provider's CPU profiles go (node --cpu-prof), when asked for. */
    cpuProfileDir?: string;
    tag?: string;
    callsOnly: boolean;
    /** Run only these steps (by short name), in their order; an up from empty always comes first. */
    steps?: string[];
}

const PROVIDER_MARKER = "dynamic-provider";

function flag(argv: string[], name: string): string | undefined {
    const i = argv.findIndex((a) => a === name || a.startsWith(`${name}=`));
    if (i < 0) return undefined;
    return argv[i].includes("=") ? argv[i].split("=")[1] : argv[i + 1];
}

function numbers(value: string, name: string, min: number): number[] {
    const list = value.split(",").map(Number);
    if (!list.length || list.some((n) => !Number.isInteger(n) || n < min)) throw new Error(`${name} takes a comma-separated list of integers >= ${min}, got '${value}'`);
    return list;
}

function parseOptions(argv: string[]): Options {
    const rate = flag(argv, "--rate-limit");
    const [limit, windowSeconds] = (rate ?? "").split("/").map(Number);
    if (rate !== undefined && !(limit > 0 && windowSeconds > 0)) throw new Error(`--rate-limit takes LIMIT/WINDOW_SECONDS, got '${rate}'`);
    const parallel = flag(argv, "--parallel");
    const profile = flag(argv, "--cpu-prof");
    return {
        sizes: numbers(flag(argv, "--sizes") ?? "300,1000", "--sizes", 10),
        latencies: numbers(flag(argv, "--latency") ?? "0,80", "--latency", 0),
        parallel: parallel === undefined ? undefined : numbers(parallel, "--parallel", 1)[0],
        rateLimit: rate === undefined ? undefined : { limit, windowSeconds },
        cpuProfileDir: profile && path.resolve(profile),
        tag: flag(argv, "--tag"),
        callsOnly: argv.includes("--calls-only"),
        steps: stepNames(flag(argv, "--steps")),
    };
}

/** CPU seconds (user + system) a process has used so far, from /proc (Linux). */
function cpuSeconds(pid: number): number | undefined {
    try {
        const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
        const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        return (Number(fields[11]) + Number(fields[12])) / 100;
    } catch {
        return undefined;
    }
}

async function timed(stack: PulumiStack, args: string[], env: Record<string, string> = {}): Promise<{ seconds: number; stdout: string; peakMiB?: number }> {
    const memory = watchPeakMemory(PROVIDER_MARKER);
    const result = await stack.expect(args, 0, env);
    return { seconds: result.ms / 1000, stdout: result.stdout, peakMiB: memory.stop() };
}

const STEPS: { name: string; step: string; args: string[]; file?: "touched" }[] = [
    { name: "up", step: "up (from empty)", args: ["up", "--yes", "--skip-preview"] },
    { name: "preview", step: "preview (no changes)", args: ["preview", "--expect-no-changes"] },
    { name: "refresh", step: "preview --refresh", args: ["preview", "--refresh", "--expect-no-changes"] },
    { name: "update", step: "up (10% changed)", args: ["up", "--yes", "--skip-preview"], file: "touched" },
    { name: "destroy", step: "destroy", args: ["destroy", "--yes", "--skip-preview"] },
];

function stepNames(value: string | undefined): string[] | undefined {
    if (value === undefined) return undefined;
    const names = value.split(",");
    const unknown = names.filter((n) => !STEPS.some((s) => s.name === n));
    if (unknown.length) throw new Error(`--steps takes a comma-separated list of ${STEPS.map((s) => s.name).join(", ")}; got '${unknown.join(",")}'`);
    return ["up", ...names.filter((n) => n !== "up")];
}

async function benchSize(size: number, latencyMs: number, emulator: EmulatorControl & { pid: number }, options: Options): Promise<SizeResult> {
    const generated = generateStack(size);
    const touched = generated.touched();
    const resources = generated.counts.resources;

    const providerProject = tempProject({ compiled: path.join(REPO_ROOT, "bin", "examples", "gitops", "index.js") });
    const floorProject = tempProject({ compiled: path.join(REPO_ROOT, "bin", "bench", "floor-program.js") });
    for (const dir of [providerProject, floorProject]) fs.writeFileSync(path.join(dir, "permissions.yaml"), generated.yaml);
    const provider = await newStack({ projectDir: providerProject, api: emulator });
    const floor = await newStack({ projectDir: floorProject, api: emulator });

    const expected: Record<string, number> = {
        "up (from empty)": generated.writesToCreate,
        "preview (no changes)": 0,
        "preview --refresh": 0,
        "up (10% changed)": touched.writes,
        // One delete per object; a group's members go with it.
        destroy: resources,
    };
    const steps: StepResult[] = [];
    const parallel = options.parallel ? ["--parallel", String(options.parallel)] : [];
    const emulatorCpuBefore = cpuSeconds(emulator.pid);
    let emulatorCpu = 0;
    for (const { step, args, file } of STEPS.filter((s) => !options.steps || options.steps.includes(s.name))) {
        if (file === "touched") for (const dir of [providerProject, floorProject]) fs.writeFileSync(path.join(dir, "permissions.yaml"), touched.yaml);
        const floorRun = await timed(floor, [...args, ...parallel]);
        await emulator.resetStats();
        const cpuBefore = cpuSeconds(emulator.pid) ?? 0;
        const profile = options.cpuProfileDir
            ? { NODE_OPTIONS: `--require ${path.join(__dirname, "cpuProfile.js")}`, CLOUDINARY_BENCH_CPU_PROFILE_DIR: path.join(options.cpuProfileDir, `${size}-${latencyMs}ms`, step.replace(/\W+/g, "-")) }
            : undefined;
        const run = await timed(provider, [...args, ...parallel], profile);
        emulatorCpu += (cpuSeconds(emulator.pid) ?? 0) - cpuBefore;
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
            byKind: byKind(stats.byRoute),
            engine: summary(run.stdout),
            providerPeakMiB: run.peakMiB,
            floorPeakMiB: floorRun.peakMiB,
        });
        console.log(`  ${step}: ${run.seconds.toFixed(1)} s (floor ${floorRun.seconds.toFixed(1)} s), ${stats.total} requests, ${stats.writes} writes`);
    }

    // The sequential script, on the same account, empty again after the destroy.
    const direct = !options.steps || options.steps.includes("destroy") ? await sequentialScript(generated, emulator) : undefined;

    return {
        size,
        latencyMs,
        parallel: options.parallel,
        rateLimit: options.rateLimit,
        counts: generated.counts,
        steps,
        direct,
        emulatorCpuSeconds: emulatorCpuBefore === undefined ? undefined : emulatorCpu,
        targets: targetsOf(steps, resources, generated.counts.roleAssignments, latencyMs),
    };
}

async function sequentialScript(generated: GeneratedStack, emulator: EmulatorControl): Promise<SizeResult["direct"]> {
    const ctx = contextFor(emulator);
    const file = parsePermissionsFile(generated.yaml);
    await emulator.resetStats();
    let started = Date.now();
    const made = await createDirect(file, ctx);
    const stats = await emulator.stats();
    const createSeconds = (Date.now() - started) / 1000;
    started = Date.now();
    await teardownDirect(file, ctx, made);
    console.log(`  sequential script: ${createSeconds.toFixed(1)} s to create, ${stats.writes} writes`);
    return { createSeconds, requests: stats.total, writes: stats.writes, teardownSeconds: (Date.now() - started) / 1000 };
}

async function main(): Promise<number> {
    const options = parseOptions(process.argv.slice(2));
    buildOnce();
    const outDir = path.join(REPO_ROOT, "bench", "results");
    fs.mkdirSync(outDir, { recursive: true });
    const machine = { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, loadAverage: os.loadavg() };

    console.log("== API requests per operation and resource (handlers called directly, emulator counters) ==");
    const meter = await startEmulator({ port: 0, quiet: true });
    try {
        const calls = await measureCalls(meter);
        console.log(callsTable(calls));
        fs.writeFileSync(path.join(outDir, "calls.json"), JSON.stringify({ date: new Date().toISOString(), calls }, null, 2) + "\n");
    } finally {
        await meter.stop();
    }
    if (options.callsOnly) return 0;

    for (const size of options.sizes) {
        for (const latencyMs of options.latencies) {
            console.log(`\n== ${size} resources, ${latencyMs} ms latency per request${options.parallel ? `, --parallel ${options.parallel}` : ""} (load ${os.loadavg()[0].toFixed(2)}) ==`);
            // In its own process, as the real API is elsewhere; response validation is the emulator's own test concern.
            const emulator = await startEmulatorProcess({ validateResponses: false });
            let result: SizeResult;
            try {
                if (latencyMs > 0) await emulator.setFaults({ rate: 0, statuses: [500], latencyMs: { min: latencyMs, max: latencyMs } });
                if (options.rateLimit) await emulator.setRateLimit?.(options.rateLimit);
                result = await benchSize(size, latencyMs, emulator, options);
            } finally {
                await emulator.stop();
            }
            const name = [`bench-${size}`, latencyMs ? `latency${latencyMs}` : "", options.parallel ? `parallel${options.parallel}` : "", options.tag ?? ""].filter(Boolean).join("-");
            const file = path.join(outDir, `${name}.json`);
            fs.writeFileSync(file, JSON.stringify({ date: new Date().toISOString(), machine: { ...machine, loadAverageAfter: os.loadavg() }, ...result }, null, 2) + "\n");
            console.log(`\n${size} resources, ${latencyMs} ms (${JSON.stringify(result.counts)}), emulator CPU ${result.emulatorCpuSeconds?.toFixed(1) ?? "?"} s:\n${table(result.steps, result.direct)}`);
            console.log(`requests by kind:\n${kindsTable(result.steps)}`);
            for (const t of result.targets) console.log(`  ${t.met ? "met    " : "MISSED "} ${t.name}: ${t.detail}`);
            console.log(`  JSON: ${path.relative(REPO_ROOT, file)}`);
        }
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

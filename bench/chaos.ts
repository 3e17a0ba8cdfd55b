// `npm run chaos [-- --size N --seed S --latency-size N --latency-runs R --only faults|latency]`: convergence
// under faults, with the real engine against the emulator.
// 1. up, a 10% update and destroy while the emulator fails 20% of requests with 429/500/503, adds latency and
//    drops 5% of replies after committing the write: each run must succeed with no failed resource, the next
//    preview must be empty, and the account must hold no duplicate and no orphan.
// 2. `pulumi up` killed with SIGKILL midway (the CLI and its plugins, as a cancelled CI job), then run again:
//    it must converge to the same account, with nothing duplicated.
// 3. `pulumi up` of a stack whose every principal and role comes from the program, under 0-120 ms of random
//    latency with the emulator in its own process: every up succeeds and the next preview is empty.
// The scenarios are exported for the e2e tests, which run them at a small size.
import * as fs from "node:fs";
import * as path from "node:path";
import { EmulatorHandle, startEmulator } from "../emulator";
import { ProviderContext } from "../provider/context";
import { parsePermissionsFile } from "../provider/gitops";
import { REPO_ROOT } from "../harness/pulumi";
import { accountSnapshot, customRoles } from "../harness/account";
import { contextFor } from "../harness/emulator";
import { EmulatorControl, startEmulatorProcess } from "../harness/emulatorProcess";
import { buildOnce, gitopsStack, summary } from "../harness/stack";
import { generateStack } from "./generate";

export interface StepReport {
    step: string;
    seconds: number;
    requests: number;
    injected: number;
    writes: number;
    outcome: string;
}

/** Retries quickly so a run with 20% faults stays short; the defaults (200 ms, 6 retries) suit the real API. */
const FAST_RETRIES = { "cloudinary:retryBaseDelayMs": { value: "10" }, "cloudinary:maxRetries": { value: "10" } };

/** What must hold after a converged up: every declared role and group exists once, with the declared members. */
export async function checkNoDuplicatesOrOrphans(ctx: ProviderContext, yaml: string): Promise<void> {
    const file = parsePermissionsFile(yaml);
    const roles = await customRoles(ctx);
    const declaredRoles = Object.values(file.customRoles ?? {}).map((r) => r.name as string).sort();
    const liveRoles = roles.map((r) => r.name).sort();
    if (JSON.stringify(liveRoles) !== JSON.stringify(declaredRoles)) throw new Error(`custom roles differ from the declaration: live ${liveRoles.length}, declared ${declaredRoles.length}`);
    const groups = await ctx.provisioning.listUserGroups();
    const declaredGroups = Object.values(file.groups ?? {});
    const liveNames = groups.map((g) => g.name).sort();
    const declaredNames = declaredGroups.map((g) => g.name).sort();
    if (JSON.stringify(liveNames) !== JSON.stringify(declaredNames)) throw new Error(`groups differ from the declaration: live ${liveNames.length}, declared ${declaredNames.length}`);
    for (const group of groups) {
        const declared = declaredGroups.find((g) => g.name === group.name);
        const members = (await ctx.provisioning.getUserGroup(group.id as string)).users?.map((u) => u.id).sort() ?? [];
        if (JSON.stringify(members) !== JSON.stringify([...(declared?.memberIds ?? [])].sort())) throw new Error(`group '${group.name}' has members ${members.join(", ")}`);
    }
}

/** Random latency on every request, as from a distant API; no faults. */
export const LATENCY = { rate: 0, statuses: [500], latencyMs: { min: 0, max: 120 } };

/**
 * `pulumi up` (with its preview) from empty under random latency, on a stack whose every principal and role comes
 * from the program: each grant and share is checked again once its group's and role's ids resolve, in an order the
 * latency shuffles, which a lookup cache that trusts its misses gets wrong. Then a refresh preview must be empty.
 */
export async function latencyScenario(emulator: EmulatorControl, size: number, seed: number): Promise<StepReport[]> {
    const generated = generateStack(size, seed, { ownPrincipals: true });
    const { stack } = await gitopsStack(emulator, generated.yaml);
    const report: StepReport[] = [];
    await step(report, emulator, "up under 0-120 ms latency", async () => {
        await emulator.setFaults({ ...LATENCY, seed });
        try {
            return JSON.stringify(summary((await stack.expect(["up", "--yes"])).stdout));
        } finally {
            await emulator.clearFaults();
        }
    });
    await step(report, emulator, "preview --refresh", async () => {
        await stack.preview(["--refresh", "--expect-no-changes"]);
        return "no changes";
    });
    return report;
}

async function step(report: StepReport[], emulator: EmulatorControl, name: string, run: () => Promise<string>): Promise<void> {
    await emulator.resetStats();
    const started = Date.now();
    const outcome = await run();
    const stats = await emulator.stats();
    const injected = Object.entries(stats.byStatus)
        .filter(([status]) => ["429", "500", "503"].includes(status))
        .reduce((n, [, c]) => n + c, 0);
    report.push({ step: name, seconds: (Date.now() - started) / 1000, requests: stats.total, injected, writes: stats.writes, outcome });
}

/** Scenario 1: up, update and destroy under faults; throws on any failure. */
export async function faultsScenario(emulator: EmulatorHandle, size: number, seed: number): Promise<StepReport[]> {
    const ctx = contextFor(emulator);
    const seeded = await accountSnapshot(ctx);
    const generated = generateStack(size, seed);
    const touched = generated.touched();
    const { stack, write } = await gitopsStack(emulator, generated.yaml, FAST_RETRIES);
    const faults = { rate: 0.2, statuses: [429, 500, 503], retryAfterSeconds: 0, latencyMs: { min: 0, max: 15 }, dropAfterCommitRate: 0.05, seed };
    const report: StepReport[] = [];
    const underFaults = async (args: string[]) => {
        emulator.setFaults(faults);
        try {
            const result = await stack.expect(args);
            return JSON.stringify(summary(result.stdout));
        } finally {
            emulator.clearFaults();
        }
    };
    const clean = async () => {
        await stack.preview(["--refresh", "--expect-no-changes"]);
        return "no changes";
    };

    await step(report, emulator, "up under faults", () => underFaults(["up", "--yes", "--skip-preview"]));
    await step(report, emulator, "preview --refresh (faults off)", clean);
    await step(report, emulator, "no duplicate, no orphan", async () => {
        await checkNoDuplicatesOrOrphans(ctx, generated.yaml);
        return "ok";
    });
    write(touched.yaml);
    await step(report, emulator, "up (10% changed) under faults", () => underFaults(["up", "--yes", "--skip-preview"]));
    await step(report, emulator, "preview --refresh (faults off)", clean);
    await step(report, emulator, "no duplicate, no orphan", async () => {
        await checkNoDuplicatesOrOrphans(ctx, touched.yaml);
        return "ok";
    });
    await step(report, emulator, "destroy under faults", () => underFaults(["destroy", "--yes", "--skip-preview"]));
    await step(report, emulator, "account as seeded", async () => {
        if ((await accountSnapshot(ctx)) !== seeded) throw new Error("the account differs from the seed after destroy");
        return "ok";
    });
    return report;
}

/** Scenario 2: SIGKILL the CLI (and its plugins) once `killAfterWrites` writes are done, then run `up` again. */
export async function killScenario(emulator: EmulatorHandle, size: number, seed: number): Promise<StepReport[]> {
    const ctx = contextFor(emulator);
    const seeded = await accountSnapshot(ctx);
    const generated = generateStack(size, seed);
    const { stack } = await gitopsStack(emulator, generated.yaml, FAST_RETRIES);
    const report: StepReport[] = [];
    const killAfterWrites = Math.max(3, Math.floor(generated.writesToCreate / 3));

    await step(report, emulator, `up, killed with SIGKILL after ${killAfterWrites} writes`, async () => {
        // Latency keeps the run going long enough to be killed midway.
        emulator.setFaults({ rate: 0, statuses: [500], latencyMs: { min: 20, max: 40 } });
        const child = stack.start(["up", "--yes", "--skip-preview"], {}, true);
        child.stdout.resume();
        child.stderr.resume();
        const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
        let done = false;
        void exited.then(() => (done = true));
        while (!done && (await emulator.stats()).writes < killAfterWrites) await new Promise((r) => setTimeout(r, 20));
        if (done) throw new Error("pulumi up finished before it could be killed; use a larger size");
        process.kill(-(child.pid as number), "SIGKILL");
        await exited;
        // A request in flight at the kill may still land (a lost reply); after that, nothing may write: no
        // plugin of the killed CLI survives it.
        const settle = () => new Promise((r) => setTimeout(r, 500));
        await settle();
        const writes = (await emulator.stats()).writes;
        await settle();
        const later = (await emulator.stats()).writes;
        if (later !== writes) throw new Error(`writes went on after the kill (${writes}, then ${later}): a process of the killed run survived`);
        emulator.clearFaults();
        return `killed after ${writes} writes; none after`;
    });
    // The killed CLI leaves its lock on the file backend; the CLI says to remove it with `pulumi cancel`. A kill
    // that lands while the backend writes a file's metadata sidecar leaves the backend unreadable (`failed to load
    // checkpoint: EOF`, which the CLI may report before or after the lock): the files are checked and recovered
    // first, as the README says to.
    await step(report, emulator, "up again: refused, the stack is locked", async () => {
        const recovery = stack.recoverUnreadableBackend();
        const recovered = recovery ? `the kill left the backend unreadable; ${recovery}, then ` : "";
        const refused = await stack.run(["up", "--yes", "--skip-preview"]);
        if (refused.code === 0 || !/the stack is currently locked/.test(refused.stderr + refused.stdout)) throw new Error(`expected a stale lock:\n${refused.stdout}\n${refused.stderr}`);
        return `${recovered}locked`;
    });
    await step(report, emulator, "pulumi cancel", async () => {
        await stack.expect(["cancel", "--yes"]);
        return "lock removed";
    });
    await step(report, emulator, "up again", async () => {
        const result = await stack.up();
        // The engine warns "... with N pending operations from previous deployment" and drops them; the creates
        // that were in flight run again and take over what the killed run had already made.
        const pending = /with (\d+) pending operations? from previous deployment/.exec(result.stdout + result.stderr);
        return JSON.stringify(summary(result.stdout)) + (pending ? `, after ${pending[1]} pending operations` : "");
    });
    await step(report, emulator, "preview --refresh", async () => {
        await stack.preview(["--refresh", "--expect-no-changes"]);
        return "no changes";
    });
    await step(report, emulator, "no duplicate, no orphan", async () => {
        await checkNoDuplicatesOrOrphans(ctx, generated.yaml);
        return "ok";
    });
    await step(report, emulator, "destroy", async () => JSON.stringify(summary((await stack.destroy()).stdout)));
    await step(report, emulator, "account as seeded", async () => {
        if ((await accountSnapshot(ctx)) !== seeded) throw new Error("the account differs from the seed after destroy");
        return "ok";
    });
    return report;
}

export function reportTable(report: StepReport[]): string {
    const header = ["step", "s", "requests", "injected 429/500/503", "writes", "outcome"];
    const rows = report.map((r) => [r.step, r.seconds.toFixed(1), String(r.requests), String(r.injected), String(r.writes), r.outcome]);
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const line = (c: string[]) => "| " + c.map((v, i) => v.padEnd(widths[i])).join(" | ") + " |";
    return [line(header), "|" + widths.map((w) => "-".repeat(w + 2)).join("|") + "|", ...rows.map(line)].join("\n");
}

function option(argv: string[], name: string, fallback: number): number {
    const i = argv.indexOf(name);
    const value = i < 0 ? fallback : Number(argv[i + 1]);
    if (!Number.isInteger(value) || value < 1) throw new Error(`${name} takes a positive integer`);
    return value;
}

/**
 * The latency scenario `runs` times on fresh accounts, with the emulator in its own process (as the API is
 * elsewhere for users): every up must succeed and every following preview be empty.
 */
async function latencyRuns(size: number, seed: number, runs: number): Promise<StepReport[][]> {
    const emulator = await startEmulatorProcess();
    const results: StepReport[][] = [];
    try {
        for (let run = 0; run < runs; run++) {
            await emulator.reset();
            const report = await latencyScenario(emulator, size, seed + run);
            console.log(`run ${run + 1}/${runs}: ${report.map((r) => `${r.step}: ${r.outcome} (${r.seconds.toFixed(1)} s, ${r.requests} requests)`).join("; ")}`);
            results.push(report);
        }
        return results;
    } finally {
        await emulator.stop();
    }
}

function writeResult(name: string, value: object): string {
    const file = path.join(REPO_ROOT, "bench", "results", name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify({ date: new Date().toISOString(), ...value }, null, 2) + "\n");
    return path.relative(REPO_ROOT, file);
}

async function faultRuns(size: number, seed: number): Promise<string> {
    const emulator = await startEmulator({ port: 0, quiet: true });
    try {
        console.log(`== ${size} resources, up/update/destroy with 20% of requests failing (429/500/503), latency, 5% of replies lost after commit ==`);
        const faults = await faultsScenario(emulator, size, seed);
        console.log(reportTable(faults));
        await emulator.reset();
        console.log(`\n== ${size} resources, pulumi up killed with SIGKILL midway, then run again ==`);
        const kill = await killScenario(emulator, size, seed);
        console.log(reportTable(kill));
        return writeResult(`chaos-${size}.json`, { size, seed, faults, kill });
    } finally {
        await emulator.stop();
    }
}

async function main(): Promise<number> {
    const argv = process.argv.slice(2);
    const size = option(argv, "--size", 200);
    const seed = option(argv, "--seed", 7);
    const latencySize = option(argv, "--latency-size", 300);
    const latencyRunCount = option(argv, "--latency-runs", 1);
    const only = argv.includes("--only") ? argv[argv.indexOf("--only") + 1] : undefined;
    buildOnce();
    if (only !== "latency") console.log(`\nEvery run converged. JSON: ${await faultRuns(size, seed)}`);
    if (only !== "faults") {
        console.log(`\n== ${latencySize} resources, every principal and role from the program, up under 0-120 ms of random latency, emulator in its own process, ${latencyRunCount} run(s) ==`);
        const runs = await latencyRuns(latencySize, seed, latencyRunCount);
        console.log(`\nEvery up succeeded and every preview was empty. JSON: ${writeResult(`latency-${latencySize}.json`, { size: latencySize, seed, runs })}`);
    }
    return 0;
}

if (require.main === module) {
    main().then(
        (code) => process.exit(code),
        (e) => {
            console.error(e instanceof Error ? e.stack ?? e.message : e);
            process.exit(1);
        },
    );
}

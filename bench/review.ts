// `npm run bench:review [-- --latency 0,80]`: the cost of `cloudinary-permissions review` on an account with 1000
// grants (bench/access.ts's: 100 groups with members, 10 grants each), with the emulator in its own process and a
// fixed delay added to every request. A GitOps stack manages one of the groups, a user's folder grant and an API
// key's folder share; the change under review adds a member to that group (which holds 10 roles, 4 on folders),
// removes the folder grant and the share, and grants a new custom role to a new group in all product
// environments. (The account is dense: the new member and the user already hold those roles through other
// groups, so they gain and lose nothing; the reads do not depend on that.) Measured, median of 3 runs each, as the
// CLI runs them (their own processes): `pulumi preview --json` alone (the engine's part), `review --plan` on its
// saved output (the review's own reads), and `review --stack` (both). Requests are the emulator's counters.
// Prints the figures and writes bench/results/review.json.
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import { stringify } from "yaml";
import { FOLDERS, PROD, USERS } from "../emulator/seed";
import { contextFor } from "../harness/emulator";
import { EmulatorControl, startEmulatorProcess } from "../harness/emulatorProcess";
import { REPO_ROOT } from "../harness/pulumi";
import { buildOnce, gitopsStack } from "../harness/stack";
import { thousandGrants } from "./access";

const run = promisify(execFile);
const RUNS = 3;

interface Figure {
    seconds: number;
    requests: number;
    byRoute?: Record<string, number>;
}

function files(teamMembers: string[]): { before: string; after: string } {
    const base = {
        groups: { "team-0": { name: "Team 0", memberIds: teamMembers, adopt: true } },
        roleAssignments: { "erin-marketing": { roleId: "cld::role::folder::viewer", principalType: "user", principalId: USERS.erin.id, scopeId: PROD.id, policyParameters: { folderId: FOLDERS.marketing.id } } },
        folderShares: { "key-marketing": { cloudName: PROD.cloudName, folderId: FOLDERS.marketing.id, principalType: "apiKey", principalId: PROD.integrationKey, roles: ["cld::role::folder::contributor"] } },
    };
    const after = {
        groups: { ...base.groups, "team-0": { ...base.groups["team-0"], memberIds: [...teamMembers, USERS.carol.id] }, ops: { name: "Ops", memberIds: [USERS.dave.id] } },
        customRoles: { "preset-manager": { name: "Preset manager", permissionType: "global", scopeType: "prodenv", systemPolicyIds: ["cld::policy::global::upload_presets::manage"] } },
        roleAssignments: { "ops-presets": { roleId: "preset-manager", principalType: "group", principalId: "ops", scopeId: "all" } },
    };
    return { before: stringify(base), after: stringify(after) };
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

async function benchLatency(emulator: EmulatorControl, latencyMs: number, stack: Awaited<ReturnType<typeof gitopsStack>>["stack"], planFile: string) {
    if (latencyMs > 0) await emulator.setFaults({ rate: 0, statuses: [500], latencyMs: { min: latencyMs, max: latencyMs } });
    const { accountUrl, productEnvironments } = emulator.credentials;
    const env = { ...stack.env(), CLOUDINARY_API_BASE_URL: emulator.url, CLOUDINARY_ACCOUNT_URL: accountUrl, CLOUDINARY_PRODUCT_ENVIRONMENTS: productEnvironments.map((pe) => pe.cloudinaryUrl).join(",") };
    const cli = [path.join(REPO_ROOT, "bin", "cli", "index.js"), "review", "--format", "json"];
    let changes = 0;
    const preview = await measure(emulator, () => stack.expect(["preview", "--json"]));
    const reviewPlan = await measure(emulator, async () => {
        const { stdout } = await run(process.execPath, [...cli, "--plan", planFile], { env, maxBuffer: 64 * 1024 * 1024 });
        changes = JSON.parse(stdout).changes.length;
    });
    const reviewStack = await measure(emulator, () => run(process.execPath, [...cli, "--cwd", stack.options.projectDir, "--stack", stack.options.stack], { env, maxBuffer: 64 * 1024 * 1024 }));
    await emulator.clearFaults();
    return { latencyMs, changes, preview: { seconds: preview.seconds, requests: preview.requests }, reviewPlan, reviewStack: { seconds: reviewStack.seconds, requests: reviewStack.requests } };
}

async function main(): Promise<void> {
    const latencies = (process.argv.includes("--latency") ? process.argv[process.argv.indexOf("--latency") + 1] : "0,80").split(",").map(Number);
    buildOnce();
    const emulator = await startEmulatorProcess({ validateResponses: false });
    try {
        const grants = await thousandGrants(emulator);
        const ctx = contextFor(emulator);
        const team0 = (await ctx.api.account.listGroups()).find((g) => g.name === "Team 0")!;
        const members = (await ctx.api.account.getGroup(team0.id))!.memberIds!;
        await ctx.api.account.changeHolders("cld::role::folder::viewer", "add", [{ principalType: "user", principalId: USERS.erin.id, scopeId: PROD.id, policyParameters: { folderId: FOLDERS.marketing.id } }]);
        const { before, after } = files(members);
        const { stack, write } = await gitopsStack(emulator, before);
        await stack.up();
        write(after);
        const planFile = path.join(stack.options.projectDir, "plan.json");
        fs.writeFileSync(planFile, (await stack.expect(["preview", "--json"])).stdout);
        const { roles, grants: all } = await ctx.directory.accountGrants("fresh");
        console.log(`account: ${all.length} grants (${grants} after seeding), ${roles.length} roles, ${(await ctx.api.account.listGroups()).length} groups`);
        const { stdout: shown } = await run(process.execPath, [path.join(REPO_ROOT, "bin", "cli", "index.js"), "review", "--plan", planFile], { env: { ...process.env, CLOUDINARY_API_BASE_URL: emulator.url, CLOUDINARY_ACCOUNT_URL: emulator.credentials.accountUrl, CLOUDINARY_PRODUCT_ENVIRONMENTS: emulator.credentials.productEnvironments.map((pe) => pe.cloudinaryUrl).join(",") } });
        console.log(`the change reviewed:\n${shown}`);
        const results = [];
        for (const latencyMs of latencies) {
            const r = await benchLatency(emulator, latencyMs, stack, planFile);
            results.push(r);
            console.log(`\n${latencyMs} ms per request: ${r.changes} changes reviewed`);
            console.log(`  pulumi preview --json     ${r.preview.seconds.toFixed(2)} s  ${r.preview.requests} requests`);
            console.log(`  review --plan (its reads) ${r.reviewPlan.seconds.toFixed(2)} s  ${r.reviewPlan.requests} requests`);
            console.log(`  review --stack (both)     ${r.reviewStack.seconds.toFixed(2)} s  ${r.reviewStack.requests} requests`);
            console.log(`  review --plan requests by route: ${JSON.stringify(r.reviewPlan.byRoute)}`);
        }
        const out = path.join(REPO_ROOT, "bench", "results", "review.json");
        fs.writeFileSync(out, JSON.stringify({ date: new Date().toISOString(), node: process.version, grants: all.length, roles: roles.length, results }, null, 2) + "\n");
        console.log(`\nwrote ${path.relative(REPO_ROOT, out)}`);
    } finally {
        await emulator.stop();
    }
}

main().catch((e) => {
    console.error(e);
    process.exit(1);
});

#!/usr/bin/env node
// The one entry point behind the npm scripts: on a fresh machine it installs what the task needs (npm packages,
// the compiled TypeScript, the Pulumi CLI), then runs the task. Plain Node.js, as it runs before `npm ci`.
//
//   node scripts/bootstrap.js <start|drift|test|test-live|emulator|bench|bench-access|bench-review|bench-refresh|chaos|build> [args...]
"use strict";
const { spawn, spawnSync } = require("node:child_process");
const crypto = require("node:crypto");
const fs = require("node:fs");
const path = require("node:path");
const { ensureChromium } = require("../harness/chromium");
const { ensurePulumi, cacheRoot, ROOT } = require("../harness/pulumi-cli");
const live = require("../harness/live");

const MOCHA = "node_modules/mocha/bin/mocha.js";

const TASKS = {
    build: { pulumi: false },
    emulator: { pulumi: false, run: ["bin/emulator/cli.js"] },
    start: { pulumi: true, run: ["bin/scripts/start.js"] },
    drift: { pulumi: true, run: ["bin/scripts/drift.js"] },
    // Never the real account: the @live tests run against an emulator of their own here. The emulators serve two
    // items a page (unless CLOUDINARY_EMULATOR_PAGE_SIZE says otherwise; empty: one page), so that every listing
    // the specs page is read over several pages.
    test: {
        pulumi: true,
        browser: true,
        run: [MOCHA],
        defaultArgs: ["tests/**/*.test.ts"],
        env: { [live.TARGET_VARIABLE]: undefined, CLOUDINARY_EMULATOR_PAGE_SIZE: process.env.CLOUDINARY_EMULATOR_PAGE_SIZE ?? "2" },
    },
    // The @live subset against the account of the environment (README: "Live mode"); refused without its settings.
    "test-live": {
        pulumi: true,
        run: [MOCHA, "--require", "ts-node/register/transpile-only", "--require", "tests/e2e/live/hooks.ts", "--grep", "@live"],
        defaultArgs: ["tests/e2e/**/*.test.ts"],
        env: { [live.TARGET_VARIABLE]: live.LIVE },
        refuse: () => {
            if (process.env[live.TARGET_VARIABLE] === live.LIVE) return `a live run does not start another (${live.TARGET_VARIABLE}=${live.LIVE} is set)`;
            const settings = live.liveSettings(process.env);
            return settings instanceof Error ? settings.message : undefined;
        },
    },
    bench: { pulumi: true, run: ["bin/bench/run.js"] },
    chaos: { pulumi: true, run: ["bin/bench/chaos.js"] },
    "bench-access": { pulumi: true, run: ["bin/bench/access.js"] },
    "bench-review": { pulumi: true, run: ["bin/bench/review.js"] },
    "bench-refresh": { pulumi: true, run: ["bin/bench/refresh.js"] },
};

function log(message) {
    process.stderr.write(`${message}\n`);
}

function fail(message) {
    log(`error: ${message}`);
    process.exit(1);
}

function runOrFail(command, args, what) {
    const result = spawnSync(command, args, { cwd: ROOT, stdio: "inherit", env: process.env });
    if (result.status !== 0) fail(`${what} failed (exit code ${result.status ?? result.signal})`);
}

/** `npm ci` when node_modules is missing or older than package-lock.json. */
function ensureDependencies() {
    const lock = path.join(ROOT, "package-lock.json");
    const stamp = path.join(ROOT, "node_modules", ".cloudinary-permissions-lock-hash");
    const hash = crypto.createHash("sha256").update(fs.readFileSync(lock)).digest("hex");
    if (fs.existsSync(stamp) && fs.readFileSync(stamp, "utf8") === hash) return;
    log("Installing npm dependencies (npm ci)...");
    runOrFail(process.platform === "win32" ? "npm.cmd" : "npm", ["ci", "--no-audit", "--no-fund"], "npm ci");
    fs.writeFileSync(stamp, hash);
}

function compile() {
    runOrFail(process.execPath, [path.join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.json"], "TypeScript build");
}

function main() {
    const [task, ...args] = process.argv.slice(2);
    const spec = TASKS[task];
    if (!spec) fail(`unknown task '${task}'; one of ${Object.keys(TASKS).join(", ")}`);
    const refusal = spec.refuse?.();
    if (refusal) fail(refusal);
    ensureDependencies();
    compile();
    const env = { ...process.env };
    if (spec.pulumi) {
        try {
            const pulumi = ensurePulumi(log);
            env.CLOUDINARY_PERMISSIONS_PULUMI_BIN = pulumi.binDir;
        } catch (e) {
            fail(e.message);
        }
    }
    if (spec.browser) {
        try {
            env.CLOUDINARY_PERMISSIONS_CHROMIUM = ensureChromium(log);
        } catch (e) {
            fail(e.message);
        }
    }
    env.CLOUDINARY_PERMISSIONS_CACHE = cacheRoot();
    for (const [name, value] of Object.entries(spec.env ?? {})) {
        if (value === undefined) delete env[name];
        else env[name] = value;
    }
    if (!spec.run) return;
    const taskArgs = args.length === 0 && spec.defaultArgs ? spec.defaultArgs : args;
    const child = spawn(process.execPath, [...spec.run, ...taskArgs], { cwd: ROOT, stdio: "inherit", env });
    for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
    child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

main();

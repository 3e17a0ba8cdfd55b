// The mechanism of `npm run test:live`, proven against an emulator given as the "real" API (the real service is
// out of reach here): it refuses to start without a safe prefix, its root hooks delete every object carrying the
// prefix before and after the run (also after a failing test) and nothing else, and the @live subset, run in
// live mode, leaves the account as it found it. No title here may carry the tag: a live run would run it again.
import * as assert from "node:assert/strict";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { EmulatorHandle, seed, startEmulator } from "../../emulator";
import { accountSnapshot } from "../../harness/account";
import { contextFor } from "../../harness/emulator";
import { REPO_ROOT } from "../../harness/pulumi";
import { tempDir } from "../../harness/stack";

const BOOTSTRAP = path.join(REPO_ROOT, "scripts", "bootstrap.js");
const MOCHA = path.join(REPO_ROOT, "node_modules", "mocha", "bin", "mocha.js");

/** Runs a Node.js script to its end, without blocking this process (the emulator answering it runs here). */
function node(args: string[], env: NodeJS.ProcessEnv): Promise<{ status: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, args, { cwd: REPO_ROOT, env });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (d) => (stdout += d));
        child.stderr.on("data", (d) => (stderr += d));
        child.on("error", reject);
        child.on("close", (status) => resolve({ status, stdout, stderr }));
    });
}

/**
 * The environment of a live run whose "real" account is the emulator, with `prefix` if any. `npm run test:live`
 * sets the target itself (and refuses to start inside a live run); mocha run directly needs it.
 */
function liveEnv(emulator: EmulatorHandle, prefix: string | undefined, how: "npm" | "mocha"): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {
        ...process.env,
        CLOUDINARY_API_BASE_URL: emulator.url,
        CLOUDINARY_ACCOUNT_URL: emulator.credentials.accountUrl,
        CLOUDINARY_PRODUCT_ENVIRONMENTS: emulator.credentials.productEnvironments.map((pe) => pe.cloudinaryUrl).join(" "),
        CLOUDINARY_LIVE_FOLDER: `${seed.PROD.cloudName}/${seed.FOLDERS.products.id}`,
    };
    delete env.CLOUDINARY_LIVE_PREFIX;
    delete env.CLOUDINARY_PERMISSIONS_TEST_TARGET;
    if (how === "mocha") env.CLOUDINARY_PERMISSIONS_TEST_TARGET = "live";
    return prefix === undefined ? env : { ...env, CLOUDINARY_LIVE_PREFIX: prefix };
}

describe("live mode (test:live), against an emulator standing in for the real API", function () {
    this.timeout(900_000);
    let emulator: EmulatorHandle;
    before(async () => (emulator = await startEmulator({ port: 0, quiet: true })));
    beforeEach(() => emulator.reset());
    after(async () => emulator?.stop());

    /** Names of the custom roles, groups and custom policies of the account. */
    async function names(): Promise<string[]> {
        const { account, policies } = contextFor(emulator).api;
        const roles = [...(await account.listRoles("global", "custom")), ...(await account.listRoles("content", "custom"))];
        const custom = [...(await policies.list("account")), ...(await policies.list("prodenv", seed.PROD.id))];
        return [...roles, ...(await account.listGroups()), ...custom].map((o) => o.name).sort();
    }

    for (const [what, prefix, expected] of [
        ["without CLOUDINARY_LIVE_PREFIX", undefined, /CLOUDINARY_LIVE_PREFIX is not set\. Every object the live tests create is named with it/],
        ["with a prefix too short to be specific", "x-", /CLOUDINARY_LIVE_PREFIX 'x-' is not a safe prefix/],
    ] as const) {
        it(`refuses to run ${what}, saying what to set, before any request`, async () => {
            const run = await node([BOOTSTRAP, "test-live"], liveEnv(emulator, prefix, "npm"));
            assert.equal(run.status, 1, run.stdout + run.stderr);
            assert.match(run.stderr, /The live tests refuse to run/);
            assert.match(run.stderr, expected);
            assert.equal((await emulator.stats()).total, 0, "no request reached the account");
        });
    }

    it("refuses, with its root hooks alone, outside test:live's target", async () => {
        const env = liveEnv(emulator, "e2e-hooks-", "npm");
        const run = await node([MOCHA, "--require", "ts-node/register/transpile-only", "--require", "tests/e2e/live/hooks.ts", "--grep", "@live", "tests/e2e/live.test.ts"], env);
        assert.notEqual(run.status, 0, run.stdout + run.stderr);
        assert.match(run.stdout + run.stderr, /is for `npm run test:live` only/);
    });

    it("deletes what carries the prefix before the run (left by a killed run) and after it, also after a failing test, and nothing else", async () => {
        const prefix = "e2e-sweep-";
        const ctx = contextFor(emulator);
        // What an earlier run left, and what is not the tests' to delete.
        await ctx.api.account.createRole({ name: `${prefix}left-role`, permissionType: "global", scopeType: "prodenv", systemPolicyIds: ["cld::policy::global::ml::access"] });
        const leftGroup = await ctx.api.account.createGroup(`${prefix}left-group`);
        await ctx.api.policies.create({
            name: `${prefix}left-policy`,
            scopeType: "prodenv",
            scopeId: seed.PROD.id,
            policyStatement: `permit(principal in Cloudinary::Group::"${leftGroup.id}", action == Cloudinary::Action::"read", resource is Cloudinary::Folder);`,
        });
        await ctx.api.account.createGroup("Keep me");
        await ctx.api.account.createRole({ name: "e2e-sweeping role", permissionType: "global", scopeType: "prodenv", systemPolicyIds: ["cld::policy::global::ml::access"] });

        // A run whose one test creates a group with the prefix, then fails.
        const spec = path.join(tempDir("live-spec"), "fails.test.js");
        fs.writeFileSync(
            spec,
            `const { liveContext } = require(${JSON.stringify(path.join(REPO_ROOT, "tests", "e2e", "live", "target.ts"))});\n` +
                `it("@live creates a group, then fails", async () => {\n` +
                `    await liveContext().api.account.createGroup(process.env.CLOUDINARY_LIVE_PREFIX + "during");\n` +
                `    throw new Error("failing on purpose");\n` +
                `});\n`,
        );
        const run = await node([MOCHA, "--require", "ts-node/register/transpile-only", "--require", "tests/e2e/live/hooks.ts", "--grep", "@live", spec], liveEnv(emulator, prefix, "mocha"));
        assert.equal(run.status, 1, "one test failed");
        assert.match(run.stdout, /failing on purpose/);
        assert.match(run.stdout, /live tests, before: deleted custom policy 'e2e-sweep-left-policy'.*custom role 'e2e-sweep-left-role'.*group 'e2e-sweep-left-group'/);
        assert.match(run.stdout, /live tests, after: deleted group 'e2e-sweep-during'/);
        assert.deepEqual(await names(), ["Keep me", "e2e-sweeping role"]);
    });

    it("runs the tagged subset in live mode and leaves the account as it found it", async () => {
        const before = await accountSnapshot(contextFor(emulator));
        emulator.resetStats();
        const run = await node([BOOTSTRAP, "test-live"], liveEnv(emulator, "e2e-live-mode-", "npm"));
        assert.equal(run.status, 0, run.stdout + run.stderr);
        assert.match(run.stdout, /3 passing/);
        assert.ok((await emulator.stats()).writes > 0, "the run wrote to the emulator given as the real API");
        assert.equal(await accountSnapshot(contextFor(emulator)), before);
        assert.deepEqual(await names(), []);
    });
});

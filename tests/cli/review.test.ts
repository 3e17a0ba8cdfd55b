// `cloudinary-permissions review --plan` as a command, on a real preview (tests/cli/fixtures) and the account it
// was previewed against: the changes it lists, the plan from a file or stdin, --deny's exit codes, and plain
// errors for a bad plan and refused credentials.
import * as assert from "node:assert/strict";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { ReviewReport } from "../../cli/review/review";
import { PROD, STAGING, USERS } from "../../emulator/seed";
import { useEmulator } from "../fixture";
import { gitopsReviewAccount } from "./reviewSetup";

const ROOT = path.resolve(__dirname, "..", "..");
const CLI = ["-r", "ts-node/register/transpile-only", path.join(ROOT, "cli", "index.ts"), "review"];
const MASTER = "cld::role::account::master_admin";
const URN = "urn:pulumi:test::e2e::pulumi-nodejs:dynamic/cloudinary:";

describe("cloudinary-permissions review --plan", function () {
    this.timeout(60_000);
    const fx = useEmulator();
    const env = (overrides: Record<string, string> = {}) => ({
        ...process.env,
        CLOUDINARY_API_BASE_URL: fx.emulator.url,
        CLOUDINARY_ACCOUNT_URL: fx.emulator.credentials.accountUrl,
        CLOUDINARY_URL: "",
        CLOUDINARY_PRODUCT_ENVIRONMENTS: JSON.stringify(fx.emulator.credentials.productEnvironments.map((pe) => pe.cloudinaryUrl)),
        ...overrides,
    });
    // The in-process emulator serves while the child runs: spawn without blocking the event loop.
    const run = (args: string[], options: { stdin?: string; env?: Record<string, string> } = {}) =>
        new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
            const child = spawn(process.execPath, [...CLI, ...args], { cwd: ROOT, env: env(options.env) });
            let stdout = "";
            let stderr = "";
            child.stdout.on("data", (c) => (stdout += c));
            child.stderr.on("data", (c) => (stderr += c));
            child.on("close", (status) => resolve({ status, stdout, stderr }));
            child.stdin.end(options.stdin ?? "");
        });
    const planFile = (text: string) => {
        const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "cldperm-review-")), "plan.json");
        fs.writeFileSync(file, text);
        return file;
    };

    it("lists every gain and loss of the plan, by name, with its path and declaration (json)", async () => {
        const { plan, platformId } = await gitopsReviewAccount(fx.context());
        const { status, stdout, stderr } = await run(["--plan", planFile(plan), "--format", "json"]);
        assert.equal(status, 0, stderr);
        const report = JSON.parse(stdout) as ReviewReport;
        const rows = report.changes.map((c) => [c.change, c.principal.name, c.role.name, c.place.type === "folder" ? `${c.place.productEnvironment!.name}:${c.place.name}` : c.place.name, c.via?.group?.name ?? c.via?.folder?.path ?? "direct"]);
        assert.deepEqual(rows, [
            ["gain", USERS.bob.email, "Master Admin", "account", "Platform"],
            ["gain", USERS.carol.email, "Preset manager", "acme-prod", "Ops"],
            ["gain", USERS.carol.email, "Preset manager", "acme-staging", "Ops"],
            ["gain", "Ops", "Preset manager", "acme-prod", "direct"],
            ["gain", "Ops", "Preset manager", "acme-staging", "direct"],
            ["loss", STAGING.integrationKey, "Contributor", "acme-staging:sandbox", "direct"],
            ["loss", STAGING.integrationKey, "Contributor", "acme-staging:sandbox/tests", "sandbox"],
        ]);
        const bob = report.changes[0];
        assert.deepEqual(bob.principal, { type: "user", id: USERS.bob.id, name: USERS.bob.email });
        assert.deepEqual(bob.via, { group: { id: platformId, name: "Platform" } });
        assert.deepEqual(bob.place, { type: "account", id: "emulatoracct0001", name: "account" });
        assert.deepEqual(bob.declarations, [`${URN}Group::platform`]);
        const ops = report.changes[3];
        assert.deepEqual(ops.principal, { type: "group", id: null, name: "Ops", new: true });
        assert.deepEqual(ops.role, { id: null, name: "Preset manager", custom: true, new: true, systemPolicyIds: ["cld::policy::global::upload_presets::manage"] });
        assert.equal(ops.roleId, null);
        assert.deepEqual(ops.place, { type: "productEnvironment", id: PROD.id, name: "acme-prod" });
        assert.deepEqual(report.summary, { gains: 5, losses: 2, principals: 4, denied: 0 });
        assert.deepEqual([report.unresolved, report.warnings, report.stack], [[], [], "test"]);
    });

    it("reads the plan from stdin; --deny exits 3 on a denied gain naming its declaration, 0 when the role is only lost", async () => {
        const { plan } = await gitopsReviewAccount(fx.context());
        const denied = await run(["--plan", "-", "--deny", MASTER, "--deny", "cld::role::prodenv::admin"], { stdin: plan });
        assert.equal(denied.status, 3, denied.stderr);
        assert.match(denied.stdout, /^bob@acme\.example\n {2}! DENIED gain: Master Admin \(cld::role::account::master_admin\) on the account, through group Platform {2}\[Group 'platform'\]$/m);
        assert.match(denied.stderr, new RegExp(`^denied: user bob@acme\\.example gains Master Admin \\(${MASTER}\\) on the account through group Platform, declared by Group 'platform' \\(${URN}Group::platform\\)$`, "m"));
        const onlyLost = await run(["--plan", "-", "--deny", "cld::role::folder::contributor"], { stdin: plan });
        assert.equal(onlyLost.status, 0, onlyLost.stderr);
        assert.match(onlyLost.stdout, /- Contributor \(cld::role::folder::contributor\) on acme-staging:sandbox {2}\[FolderShare 'staging-key-sandbox'\]/);
    });

    it("exits 2 with one plain line on a plan that is not a preview and on refused credentials", async () => {
        const notJson = await run(["--plan", planFile("Previewing update (dev):\n")]);
        assert.equal(notJson.status, 2);
        assert.match(notJson.stderr, /^error: .*plan\.json is not JSON .*expected the output of `pulumi preview --json`$/m);
        const missing = await run(["--plan", "/nonexistent/plan.json"]);
        assert.equal(missing.status, 2);
        assert.match(missing.stderr, /^error: cannot read the plan \/nonexistent\/plan\.json/m);
        const { plan } = await gitopsReviewAccount(fx.context());
        const refused = await run(["--plan", "-"], { stdin: plan, env: { CLOUDINARY_ACCOUNT_URL: fx.emulator.credentials.accountUrl.replace(/:[^:@]+@/, ":wrong@") } });
        assert.equal(refused.status, 2);
        assert.match(refused.stderr, /^error: .*(refused|rejected|401|credentials)/im);
        assert.doesNotMatch(refused.stderr, /wrong|\n\s+at /, "no secret, no stack trace");
    });
});

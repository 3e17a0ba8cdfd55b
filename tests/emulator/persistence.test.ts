// State files: two in-process instances on one file, and two CLI processes one after the other.
import * as assert from "node:assert/strict";
import { ChildProcess, spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { startEmulator } from "../../emulator";
import { FOLDERS, PROD, STAGING, USERS } from "../../emulator/seed";
import { Client, PERMISSIONS, PROD_ADMIN, PROVISIONING, assertServerValidatedEverything } from "./helpers";

const ROOT = path.resolve(__dirname, "..", "..");

function tempStateFile(): string {
    return path.join(fs.mkdtempSync(path.join(os.tmpdir(), "cld-emu-")), "state.json");
}

describe("emulator: persistence", () => {
    it("a second instance on the same state file sees the first one's writes", async () => {
        const file = tempStateFile();
        const first = await startEmulator({ port: 0, stateFile: file, quiet: true });
        assert.ok(fs.existsSync(file), "the seed is written at start");
        const api1 = new Client(first.url);
        const group = (await api1.post(`${PROVISIONING}/user_groups`, { name: "Persisted" })).body.id;
        await api1.post(`${PROVISIONING}/user_groups/${group}/users/${USERS.bob.id}`);
        await api1.post(`${PROD_ADMIN}/folders/archive/2025`);
        await api1.post(`${PROD_ADMIN}/folder_operations/invite/${FOLDERS.products.id}`, { principal: { type: "group", id: group }, operation: "add", roles: ["cld::role::folder::viewer"] });
        await api1.post(`${PERMISSIONS}/roles`, { id: "kept", name: "Kept", permission_type: "global", scope_type: "prodenv", system_policy_ids: ["cld::policy::global::ml::access"] });
        // The file is written after each committed write, before the reply: no stop needed to see it.
        const onDisk = JSON.parse(fs.readFileSync(file, "utf8"));
        assert.equal(onDisk.customRoles[0].id, "kept");
        await assertServerValidatedEverything(first);
        await first.stop();

        const second = await startEmulator({ port: 0, stateFile: file, quiet: true });
        try {
            const api2 = new Client(second.url);
            assert.equal((await api2.get(`${PERMISSIONS}/roles/kept`)).status, 200);
            assert.deepEqual((await api2.get(`${PROVISIONING}/user_groups/${group}/users`)).body.users.map((u: { id: string }) => u.id), [USERS.bob.id]);
            assert.equal((await api2.get(`${PROD_ADMIN}/folders/archive`)).body.folders[0].path, "archive/2025");
            const shared = (await api2.get(`${PROD_ADMIN}/folder_operations/invite/${FOLDERS.products.id}`)).body.shared_with;
            assert.deepEqual(shared.map((s: { id: string }) => s.id), [group]);
            // the indexes are rebuilt: name uniqueness and membership rules still hold
            assert.equal((await api2.post(`${PROVISIONING}/user_groups`, { name: "persisted" })).status, 409);
            assert.equal((await api2.post(`${PROVISIONING}/user_groups/${group}/users/${USERS.bob.id}`)).status, 409);
            // reset writes the seed back to the file
            await second.reset();
            assert.equal(JSON.parse(fs.readFileSync(file, "utf8")).groups.length, 0);
            await assertServerValidatedEverything(second);
        } finally {
            await second.stop();
        }
    });

    it("writes atomically: no temporary files are left behind", async () => {
        const file = tempStateFile();
        const emulator = await startEmulator({ port: 0, stateFile: file, quiet: true });
        const api = new Client(emulator.url);
        await Promise.all(Array.from({ length: 20 }, (_, i) => api.post(`${PROVISIONING}/user_groups`, { name: `g${i}` })));
        await emulator.stop();
        assert.deepEqual(fs.readdirSync(path.dirname(file)), ["state.json"]);
        assert.equal(JSON.parse(fs.readFileSync(file, "utf8")).groups.length, 20);
    });

    describe("CLI", function () {
        this.timeout(30_000);
        const children: ChildProcess[] = [];
        after(() => {
            for (const c of children) if (c.exitCode === null) c.kill("SIGKILL");
        });

        /** Starts `emulator/cli.ts` (through ts-node, as bin/ may not be built) and waits for its banner. */
        function startCli(args: string[], env: Record<string, string> = {}): Promise<{ child: ChildProcess; lines: string[]; url: string }> {
            const child = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", path.join(ROOT, "emulator", "cli.ts"), ...args], {
                cwd: ROOT,
                env: { ...process.env, TS_NODE_PROJECT: path.join(ROOT, "tsconfig.json"), ...env },
                stdio: ["ignore", "pipe", "pipe"],
            });
            children.push(child);
            return new Promise((resolve, reject) => {
                let out = "";
                let err = "";
                child.stdout!.on("data", (d) => {
                    out += String(d);
                    const lines = out.split("\n").filter(Boolean);
                    const last = lines[lines.length - 1] ?? "";
                    if (last.startsWith("listening on ")) resolve({ child, lines, url: last.slice("listening on ".length) });
                });
                child.stderr!.on("data", (d) => (err += String(d)));
                child.on("exit", (code) => reject(new Error(`cli exited with ${code}: ${err}`)));
            });
        }

        function stopCli(child: ChildProcess): Promise<number | null> {
            return new Promise((resolve) => {
                child.on("exit", (code) => resolve(code));
                child.kill("SIGTERM");
            });
        }

        it("prints the credentials and the URL, persists across processes, exits 0 on SIGTERM", async () => {
            const file = tempStateFile();
            const first = await startCli(["--port", "0", "--state", file]);
            const port = new URL(first.url).port;
            assert.deepEqual(first.lines, [
                "CLOUDINARY_ACCOUNT_URL=account://810000000000001:emu-account-secret-0001@emulatoracct0001",
                `CLOUDINARY_URL=cloudinary://${PROD.adminKey}:${PROD.adminSecret}@acme-prod`,
                `CLOUDINARY_PRODUCT_ENVIRONMENTS=cloudinary://${PROD.adminKey}:${PROD.adminSecret}@acme-prod cloudinary://${STAGING.adminKey}:${STAGING.adminSecret}@acme-staging`,
                `CLOUDINARY_API_BASE_URL=http://127.0.0.1:${port}`,
                `listening on http://127.0.0.1:${port}`,
            ]);
            const api1 = new Client(first.url);
            assert.equal((await api1.post(`${PROVISIONING}/user_groups`, { name: "From process one" })).status, 200);
            assert.equal(await stopCli(first.child), 0);

            const second = await startCli([`--state=${file}`, "--port=0"]);
            const api2 = new Client(second.url);
            const groups = (await api2.get(`${PROVISIONING}/user_groups`)).body.user_groups.map((g: { name: string }) => g.name);
            assert.deepEqual(groups, ["From process one"]);
            assert.equal(await stopCli(second.child), 0);
        });

        it("takes the port from CLOUDINARY_EMULATOR_PORT and rejects unknown arguments", async () => {
            const port = await new Promise<number>((resolve) => {
                const probe = net.createServer().listen(0, "127.0.0.1", () => {
                    const p = (probe.address() as net.AddressInfo).port;
                    probe.close(() => resolve(p));
                });
            });
            const started = await startCli([], { CLOUDINARY_EMULATOR_PORT: String(port) });
            assert.equal(started.url, `http://127.0.0.1:${port}`);
            assert.equal(await stopCli(started.child), 0);
            const bad = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", path.join(ROOT, "emulator", "cli.ts"), "--bogus"], { cwd: ROOT, stdio: "ignore" });
            const code = await new Promise<number | null>((resolve) => bad.on("exit", resolve));
            assert.equal(code, 2);
        });

        it("takes the page size from --page-size, else CLOUDINARY_EMULATOR_PAGE_SIZE; refuses a bad one naming where it came from", async () => {
            const users = async (url: string) => (await new Client(url).get(`${PROVISIONING}/users`)).body.users.length;
            const flag = await startCli(["--port", "0", "--page-size", "2"], { CLOUDINARY_EMULATOR_PAGE_SIZE: "3" });
            assert.equal(await users(flag.url), 2);
            assert.equal(await stopCli(flag.child), 0);
            const env = await startCli(["--port", "0"], { CLOUDINARY_EMULATOR_PAGE_SIZE: "3" });
            assert.equal(await users(env.url), 3);
            assert.equal(await stopCli(env.child), 0);
            const cli = (args: string[], extra: Record<string, string> = {}) =>
                spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", path.join(ROOT, "emulator", "cli.ts"), ...args], { cwd: ROOT, encoding: "utf8", env: { ...process.env, ...extra }, timeout: 30_000 });
            const badFlag = cli(["--page-size", "0"]);
            assert.equal(badFlag.status, 2);
            assert.match(badFlag.stderr, /^error: --page-size: a page size is a whole number from 1; got "0"/);
            const badEnv = cli([], { CLOUDINARY_EMULATOR_PAGE_SIZE: "two" });
            assert.equal(badEnv.status, 2);
            assert.match(badEnv.stderr, /^error: CLOUDINARY_EMULATOR_PAGE_SIZE: a page size is a whole number from 1; got "two"/);
        });
    });
});

// The package's CLI: `cloudinary-permissions emulator` serves the emulator from the installed package, prints
// the credentials to use, answers with them, and stops cleanly on SIGTERM; bad arguments fail with usage.
import * as assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "..", "..");
const CLI = ["-r", "ts-node/register/transpile-only", path.join(ROOT, "cli", "index.ts")];

describe("cloudinary-permissions emulator", function () {
    this.timeout(60_000);

    it("serves the APIs with the printed credentials and exits 0 on SIGTERM", async () => {
        const child = spawn(process.execPath, [...CLI, "emulator", "--port", "0", "--quiet"], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
        let out = "";
        const url = await new Promise<string>((resolve, reject) => {
            child.stdout.on("data", (chunk) => {
                out += String(chunk);
                const match = /listening on (\S+)/.exec(out);
                if (match) resolve(match[1]);
            });
            child.once("exit", (code) => reject(new Error(`exited ${code}: ${out}`)));
        });
        const account = /CLOUDINARY_ACCOUNT_URL=account:\/\/([^:]+):([^@]+)@(\S+)/.exec(out);
        assert.ok(account, out);
        const [, key, secret, accountId] = account;
        const auth = `Basic ${Buffer.from(`${key}:${secret}`).toString("base64")}`;
        const groups = await fetch(`${url}/v1_1/provisioning/accounts/${accountId}/user_groups`, { headers: { Authorization: auth } });
        assert.equal(groups.status, 200);
        const refused = await fetch(`${url}/v1_1/provisioning/accounts/${accountId}/user_groups`, { headers: { Authorization: `Basic ${Buffer.from(`${key}:wrong`).toString("base64")}` } });
        assert.equal(refused.status, 401);
        const exit = new Promise<number | null>((resolve) => child.once("exit", resolve));
        child.kill("SIGTERM");
        assert.equal(await exit, 0);
    });

    it("pages the listings at --page-size, and refuses a bad page size naming the option or the variable", async () => {
        const child = spawn(process.execPath, [...CLI, "emulator", "--port", "0", "--quiet", "--page-size", "2"], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
        let out = "";
        const url = await new Promise<string>((resolve, reject) => {
            child.stdout.on("data", (chunk) => {
                out += String(chunk);
                const match = /listening on (\S+)/.exec(out);
                if (match) resolve(match[1]);
            });
            child.once("exit", (code) => reject(new Error(`exited ${code}: ${out}`)));
        });
        const [, key, secret, accountId] = /CLOUDINARY_ACCOUNT_URL=account:\/\/([^:]+):([^@]+)@(\S+)/.exec(out)!;
        const users = await fetch(`${url}/v1_1/provisioning/accounts/${accountId}/users`, { headers: { Authorization: `Basic ${Buffer.from(`${key}:${secret}`).toString("base64")}` } });
        assert.equal(((await users.json()) as { users: unknown[] }).users.length, 2);
        const exit = new Promise<number | null>((resolve) => child.once("exit", resolve));
        child.kill("SIGTERM");
        assert.equal(await exit, 0);
        const badFlag = spawnSync(process.execPath, [...CLI, "emulator", "--page-size", "0"], { cwd: ROOT, encoding: "utf8", timeout: 30_000 });
        assert.equal(badFlag.status, 1, badFlag.stderr);
        assert.match(badFlag.stderr, /option '--page-size <n>' argument '0' is invalid\. a page size is a whole number from 1/);
        const badEnv = spawnSync(process.execPath, [...CLI, "emulator"], { cwd: ROOT, encoding: "utf8", timeout: 30_000, env: { ...process.env, CLOUDINARY_EMULATOR_PAGE_SIZE: "-1" } });
        assert.equal(badEnv.status, 1, badEnv.stderr);
        assert.match(badEnv.stderr, /CLOUDINARY_EMULATOR_PAGE_SIZE: a page size is a whole number from 1; got "-1"/);
    });

    it("rejects a bad port, naming the option, with exit code 1 and no server", () => {
        const result = spawnSync(process.execPath, [...CLI, "emulator", "--port", "70000"], { cwd: ROOT, encoding: "utf8", timeout: 30_000 });
        assert.equal(result.status, 1, result.stderr);
        assert.match(result.stderr, /option '--port <port>' argument '70000' is invalid\. a port is an integer from 0 to 65535/);
    });
});

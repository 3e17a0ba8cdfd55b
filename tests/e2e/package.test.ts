// The published package as a user gets it: `npm pack`, `npm install <tarball>` in a fresh folder outside the
// repository, then a program that requires the package by its name, deployed and destroyed by the real CLI against
// the emulator. It proves that the `files` of package.json hold what runs, and that the "./runtime" export, which
// the serialized provider loads from the project's folder, resolves in an installed package.
import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { contextFor } from "../../harness/emulator";
import { REPO_ROOT } from "../../harness/pulumi";
import { buildOnce, newStack, summary, tempDir } from "../../harness/stack";
import { useEmulator } from "../fixture";

const PROD = "pe0prod000000000000000000000001";
const BOB = "u0bob000000000000000000000002";
const REPORTS = "cld::role::prodenv::reports";

const PROGRAM = `
const { Group, RoleAssignment } = require("pulumi-cloudinary-permissions");
const team = new Group("team", { name: "Packed team", memberIds: ["${BOB}"] });
new RoleAssignment("team-reports", { roleId: "${REPORTS}", principalType: "group", principalId: team.groupId, scopeId: "${PROD}" });
exports.groupId = team.groupId;
`;

function npm(args: string[], cwd: string): string {
    try {
        return execFileSync(process.platform === "win32" ? "npm.cmd" : "npm", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    } catch (e) {
        const { stdout, stderr } = e as { stdout?: string; stderr?: string };
        throw new Error(`npm ${args.join(" ")} failed in ${cwd}\n${stdout ?? ""}\n${stderr ?? ""}`);
    }
}

describe("end to end: the package installed from its tarball", function () {
    this.timeout(300_000);
    const fx = useEmulator();
    // The install holds @pulumi/pulumi and its dependencies (over 100 MB): not left behind.
    const made: string[] = [];
    after(() => made.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

    it("deploys a Group and a RoleAssignment with the real CLI, then destroys them", async () => {
        buildOnce();
        const packDir = tempDir("pack");
        made.push(packDir);
        const [packed] = JSON.parse(npm(["pack", "--json", "--pack-destination", packDir], REPO_ROOT)) as { filename: string }[];
        const tarball = path.join(packDir, packed.filename);

        const projectDir = tempDir("installed");
        made.push(projectDir);
        fs.writeFileSync(path.join(projectDir, "package.json"), JSON.stringify({ name: "packed-e2e", private: true }, null, 2));
        fs.writeFileSync(path.join(projectDir, "Pulumi.yaml"), "name: packed-e2e\nruntime:\n  name: nodejs\n  options:\n    typescript: false\n");
        fs.writeFileSync(path.join(projectDir, "index.js"), PROGRAM);
        npm(["install", "--no-audit", "--no-fund", "--prefer-offline", tarball], projectDir);
        const installed = fs.realpathSync(path.join(projectDir, "node_modules", "pulumi-cloudinary-permissions"));
        assert.ok(!installed.startsWith(REPO_ROOT), `installed from the tarball, not linked to the repository: ${installed}`);

        const stack = await newStack({ projectDir, api: fx.emulator });
        const up = await stack.up();
        assert.equal(summary(up.stdout).created, 3, up.stdout);
        const groupId = (await stack.outputs()).groupId as string;
        const ctx = contextFor(fx.emulator);
        const group = (await ctx.provisioning.listUserGroups()).find((g) => g.id === groupId);
        assert.equal(group?.name, "Packed team");
        const holders = await ctx.permissions.listRolePrincipals(REPORTS);
        assert.ok(holders.some((h) => h.type === "group" && h.id === groupId), JSON.stringify(holders));

        await stack.destroy();
        assert.deepEqual((await ctx.provisioning.listUserGroups()).filter((g) => g.name === "Packed team"), []);
        assert.ok(!(await ctx.permissions.listRolePrincipals(REPORTS)).some((h) => h.id === groupId));
    });
});

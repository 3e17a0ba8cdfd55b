// Upgrading the package between two `pulumi up`s: later refreshes and deletes run the new code, because the
// state only holds a shim that loads the installed package (not a serialized copy of the provider).
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { contextFor } from "../../harness/emulator";
import { useEmulator } from "../fixture";
import { buildOnce, newStack, tempDir, tempProject } from "../../harness/stack";

describe("end to end: upgrading the provider package", function () {
    this.timeout(180_000);
    const fx = useEmulator();

    it("takes effect on refresh and delete of resources created by the old version", async () => {
        buildOnce();
        const source = `
const { Group } = require("pulumi-cloudinary-permissions");
const team = new Group("team", { name: "Upgrade team", memberIds: ["u0bob000000000000000000000002"] });
exports.groupId = team.groupId;
`;
        const projectDir = tempProject({ source }, { packageCopy: true });
        const marker = path.join(tempDir("marker"), "calls.log");
        fs.writeFileSync(marker, "");
        const stack = await newStack({ projectDir, api: fx.emulator, env: { UPGRADE_MARKER: marker } });
        await stack.up();
        await stack.refresh();
        assert.equal(fs.readFileSync(marker, "utf8"), "", "version 1 does not log");

        // "Upgrade" the installed package: version 2 logs every read and delete it runs.
        const installed = path.join(projectDir, "node_modules", "pulumi-cloudinary-permissions");
        const runtime = path.join(installed, "bin", "provider", "runtime.js");
        fs.appendFileSync(runtime, `
const __v1handler = exports.handler;
exports.handler = (kind) => {
    const h = __v1handler(kind);
    const log = (op) => require("fs").appendFileSync(process.env.UPGRADE_MARKER, "v2 " + kind + " " + op + "\\n");
    return { ...h, read: (...a) => { log("read"); return h.read(...a); }, delete: (...a) => { log("delete"); return h.delete(...a); } };
};
`);
        const pkg = JSON.parse(fs.readFileSync(path.join(installed, "package.json"), "utf8"));
        fs.writeFileSync(path.join(installed, "package.json"), JSON.stringify({ ...pkg, version: "99.0.0" }));

        await stack.refresh();
        assert.equal(fs.readFileSync(marker, "utf8"), "v2 Group read\n");
        await stack.destroy();
        assert.equal(fs.readFileSync(marker, "utf8"), "v2 Group read\nv2 Group delete\n");
        const ctx = contextFor(fx.emulator);
        assert.deepEqual((await ctx.provisioning.listUserGroups()).filter((g) => g.name === "Upgrade team"), []);
    });
});

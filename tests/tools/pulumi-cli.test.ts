// The Pulumi CLI the tests run is the one built from the pinned Go modules (or an equivalent on PATH).
import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { pulumiBinDir, REPO_ROOT } from "../../harness/pulumi";

// eslint-disable-next-line @typescript-eslint/no-var-requires
const cli = require(path.join(REPO_ROOT, "harness", "pulumi-cli.js"));

describe("the Pulumi CLI toolchain", () => {
    it("pins the CLI's Go module to the exact @pulumi/pulumi version of package.json", () => {
        const { cli: cliVersion } = cli.versions();
        assert.equal(cliVersion, cli.sdkVersion());
        const installed = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "node_modules", "@pulumi", "pulumi", "package.json"), "utf8")).version;
        assert.equal(installed, cliVersion, "node_modules holds the pinned SDK");
    });

    it("runs a pulumi of that version, with the Node.js language host and dynamic-provider launcher beside it", () => {
        const dir = pulumiBinDir();
        const version = execFileSync(path.join(dir, "pulumi"), ["version"], { encoding: "utf8", env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: "true" } }).trim();
        assert.equal(version.replace(/^v/, "").split(".").slice(0, 2).join("."), cli.sdkVersion().split(".").slice(0, 2).join("."));
        for (const plugin of ["pulumi-language-nodejs", "pulumi-resource-pulumi-nodejs"]) {
            const found = [dir, ...(process.env.PATH ?? "").split(path.delimiter)].some((d) => fs.existsSync(path.join(d, plugin)));
            assert.ok(found, `${plugin} is missing`);
        }
    });
});

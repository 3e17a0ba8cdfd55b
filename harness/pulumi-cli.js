// Finds or builds the Pulumi CLI this project runs: `pulumi` and the Node.js language host at the version of
// @pulumi/pulumi pinned in package.json. Plain Node.js with no dependencies, as it runs before `npm ci`.
//
// Order: a `pulumi` on PATH with the same major.minor (and its Node.js plugins beside it); else a cached build
// under .cache/pulumi/; else a build from Pulumi's own Go modules pinned in tools/ (go.mod + go.sum).
"use strict";
const { execFileSync, spawnSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

const ROOT = path.resolve(__dirname, "..");
const CLI_MODULE = "github.com/pulumi/pulumi/pkg/v3";
const SDK_MODULE = "github.com/pulumi/pulumi/sdk/v3";
const BINARIES = ["pulumi", "pulumi-language-nodejs", "pulumi-resource-pulumi-nodejs"];

function cacheRoot() {
    return process.env.CLOUDINARY_PERMISSIONS_CACHE || path.join(ROOT, ".cache");
}

/** The exact @pulumi/pulumi version from package.json; the CLI is built to match it. */
function sdkVersion() {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
    const version = pkg.dependencies["@pulumi/pulumi"];
    if (!/^\d+\.\d+\.\d+$/.test(version)) {
        throw new Error(`package.json must pin @pulumi/pulumi to an exact version (got '${version}') so the CLI can be built to match`);
    }
    return version;
}

/** The version a tools/ module requires of a Go module. */
function pinnedVersion(toolDir, modulePath) {
    const goMod = fs.readFileSync(path.join(ROOT, "tools", toolDir, "go.mod"), "utf8");
    const match = new RegExp(`^\\s*${modulePath.replace(/[.]/g, "\\.")}\\s+v(\\S+)`, "m").exec(goMod);
    if (!match) throw new Error(`tools/${toolDir}/go.mod does not require ${modulePath}`);
    return match[1];
}

function versions() {
    const sdk = sdkVersion();
    const cli = pinnedVersion("pulumi", CLI_MODULE);
    if (cli !== sdk) {
        throw new Error(`tools/pulumi/go.mod pins ${CLI_MODULE} v${cli} but package.json pins @pulumi/pulumi ${sdk}; they must match (see tools/README.md)`);
    }
    return { cli, languageHost: pinnedVersion("pulumi-language-nodejs", SDK_MODULE) };
}

function onPath(name) {
    for (const dir of (process.env.PATH || "").split(path.delimiter)) {
        const file = path.join(dir, name);
        try {
            fs.accessSync(file, fs.constants.X_OK);
            return file;
        } catch {
            // not here
        }
    }
    return undefined;
}

function majorMinor(version) {
    return version.split(".").slice(0, 2).join(".");
}

/** A `pulumi` already installed, if it is of the right major.minor and has the Node.js plugins beside it. */
function fromPath(wanted) {
    const pulumi = onPath("pulumi");
    if (!pulumi) return undefined;
    const run = spawnSync(pulumi, ["version"], { encoding: "utf8", env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: "true" } });
    const found = (run.stdout || "").trim().replace(/^v/, "");
    if (run.status !== 0 || majorMinor(found) !== majorMinor(wanted)) return undefined;
    const dir = path.dirname(fs.realpathSync(pulumi));
    const plugins = BINARIES.slice(1).every((b) => fs.existsSync(path.join(dir, b)) || onPath(b));
    return plugins ? { binDir: dir, version: found, source: "PATH" } : undefined;
}

function go(args, cwd, env = {}) {
    execFileSync("go", args, { cwd, stdio: ["ignore", "inherit", "inherit"], env: { ...process.env, GOFLAGS: "-mod=readonly", ...env } });
}

function goOutput(args, cwd) {
    return execFileSync("go", args, { cwd, encoding: "utf8", env: { ...process.env, GOFLAGS: "-mod=readonly" } });
}

function haveGo() {
    return spawnSync("go", ["version"], { encoding: "utf8" }).status === 0;
}

/** Builds the binaries into a temporary folder, then renames it into place, so an interrupted build leaves no half cache. */
function build(dir, { cli, languageHost }, log) {
    if (!haveGo()) {
        throw new Error(
            `The Pulumi CLI v${cli} is needed. Neither a pulumi ${majorMinor(cli)}.x on PATH nor Go was found: ` +
                `install Go 1.25 or newer (https://go.dev/dl/) so it can be built from tools/, or put pulumi v${cli} ` +
                `and its pulumi-language-nodejs plugin on PATH.`,
        );
    }
    const started = Date.now();
    log(`Building the Pulumi CLI v${cli} from Pulumi's Go modules (first run only; this takes a few minutes)...`);
    const tmp = `${dir}.tmp-${process.pid}`;
    fs.rmSync(tmp, { recursive: true, force: true });
    fs.mkdirSync(tmp, { recursive: true });
    const versionFlag = (v) => `-X ${SDK_MODULE}/go/common/version.Version=v${v}`;
    go(["build", "-trimpath", "-ldflags", versionFlag(cli), "-o", path.join(tmp, "pulumi"), `${CLI_MODULE}/cmd/pulumi`], path.join(ROOT, "tools", "pulumi"));
    go(
        ["build", "-trimpath", "-ldflags", versionFlag(languageHost), "-o", path.join(tmp, "pulumi-language-nodejs"), `${SDK_MODULE}/nodejs/cmd/pulumi-language-nodejs`],
        path.join(ROOT, "tools", "pulumi-language-nodejs"),
    );
    // The dynamic-provider launcher is a script shipped in Pulumi's SDK module; take it from the module cache.
    const sdkDir = JSON.parse(goOutput(["list", "-m", "-json", SDK_MODULE], path.join(ROOT, "tools", "pulumi"))).Dir;
    const launcher = path.join(tmp, "pulumi-resource-pulumi-nodejs");
    fs.copyFileSync(path.join(sdkDir, "nodejs", "dist", "pulumi-resource-pulumi-nodejs"), launcher);
    fs.chmodSync(launcher, 0o755);
    fs.writeFileSync(path.join(tmp, "build.json"), JSON.stringify({ cli, languageHost, builtAt: new Date().toISOString(), seconds: (Date.now() - started) / 1000 }, null, 2));
    fs.rmSync(dir, { recursive: true, force: true });
    fs.renameSync(tmp, dir);
    log(`Built the Pulumi CLI in ${((Date.now() - started) / 1000).toFixed(0)} s, cached in ${path.relative(ROOT, dir) || dir}`);
}

/**
 * Returns { binDir, version, source } for a usable Pulumi CLI, building it when needed.
 * source: "PATH", "cache" or "built".
 */
function ensurePulumi(log = (m) => process.stderr.write(`${m}\n`)) {
    const wanted = versions();
    if (process.env.CLOUDINARY_PERMISSIONS_IGNORE_PATH_PULUMI !== "1") {
        const installed = fromPath(wanted.cli);
        if (installed) return installed;
    }
    const dir = path.join(cacheRoot(), "pulumi", `v${wanted.cli}-nodejs-v${wanted.languageHost}`);
    if (BINARIES.every((b) => fs.existsSync(path.join(dir, b))) && fs.existsSync(path.join(dir, "build.json"))) {
        return { binDir: dir, version: wanted.cli, source: "cache" };
    }
    build(dir, wanted, log);
    return { binDir: dir, version: wanted.cli, source: "built" };
}

module.exports = { ensurePulumi, sdkVersion, versions, cacheRoot, ROOT };

if (require.main === module) {
    try {
        const found = ensurePulumi();
        process.stdout.write(`${JSON.stringify(found)}\n`);
    } catch (e) {
        process.stderr.write(`error: ${e.message}\n`);
        process.exit(1);
    }
}

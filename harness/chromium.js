// Finds the headless browser the access report's HTML test runs in: Debian's Chromium (the system package, not a
// browser downloaded by an npm package). When it is missing and this process runs as root on a system with
// apt-get (a fresh CI machine), it is installed; otherwise the error says how to install it. Plain Node.js, as
// it runs from scripts/bootstrap.js before the tests.
"use strict";
const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

const NAMES = ["chromium", "chromium-browser", "google-chrome"];

function onPath(name) {
    for (const dir of (process.env.PATH || "").split(path.delimiter)) {
        const file = path.join(dir, name);
        if (dir && fs.existsSync(file)) return file;
    }
    return undefined;
}

/** The browser's executable: CLOUDINARY_PERMISSIONS_CHROMIUM when set, else the first of NAMES on PATH. */
function findChromium() {
    const configured = process.env.CLOUDINARY_PERMISSIONS_CHROMIUM;
    if (configured && fs.existsSync(configured)) return configured;
    for (const name of NAMES) {
        const found = onPath(name);
        if (found) return found;
    }
    return undefined;
}

function ensureChromium(log) {
    const found = findChromium();
    if (found) return found;
    const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
    if (!isRoot || !onPath("apt-get")) {
        throw new Error(
            "Chromium is needed by the access report's browser test and was not found on PATH. Install it with " +
                "`sudo apt-get install -y chromium` (Debian/Ubuntu), or set CLOUDINARY_PERMISSIONS_CHROMIUM to a Chromium or Chrome executable.",
        );
    }
    log("Installing Chromium (apt-get install chromium) for the browser test...");
    const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
    for (const args of [["update"], ["install", "-y", "--no-install-recommends", "chromium"]]) {
        const result = spawnSync("apt-get", args, { stdio: "inherit", env });
        if (result.status !== 0) throw new Error(`apt-get ${args.join(" ")} failed (exit code ${result.status ?? result.signal}); install Chromium by hand`);
    }
    const installed = findChromium();
    if (!installed) throw new Error("apt-get installed chromium, but no chromium executable is on PATH");
    return installed;
}

module.exports = { ensureChromium, findChromium };

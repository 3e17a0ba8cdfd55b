// End-to-end helpers: Pulumi stacks run by the real CLI against an in-process emulator, in temporary folders.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { EmulatorHandle } from "../emulator";

/** Where an emulator answers and with which credentials: all a stack needs of it. */
export type EmulatorAddress = Pick<EmulatorHandle, "url" | "credentials">;
import { PulumiStack, REPO_ROOT } from "./pulumi";

let built = false;
/** The Pulumi programs run from bin/: compile once per test run (incremental, quick when nothing changed). */
export function buildOnce(): void {
    if (built) return;
    execFileSync(process.execPath, [path.join(REPO_ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", path.join(REPO_ROOT, "tsconfig.json")], { stdio: "inherit" });
    built = true;
}

export function tempDir(prefix: string): string {
    return fs.mkdtempSync(path.join(os.tmpdir(), `cldperm-${prefix}-`));
}

/**
 * A Pulumi project in a temporary folder, as a user's project would be: Pulumi.yaml, the program in index.js
 * (its source text, or a `require` of a compiled program of this repository), and node_modules with
 * @pulumi/pulumi and this package (linked to the repository, or a copy of it). The program runs with the
 * project folder as its working directory, so relative paths in it resolve there.
 */
export function tempProject(program: { source: string } | { compiled: string }, options: { packageCopy?: boolean } = {}): string {
    const dir = tempDir("project");
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: e2e\nruntime:\n  name: nodejs\n  options:\n    typescript: false\n");
    const source = "source" in program ? program.source : `module.exports = require(${JSON.stringify(program.compiled)});\n`;
    fs.writeFileSync(path.join(dir, "index.js"), source);
    const modules = path.join(dir, "node_modules");
    fs.mkdirSync(modules);
    fs.symlinkSync(path.join(REPO_ROOT, "node_modules", "@pulumi"), path.join(modules, "@pulumi"));
    const pkg = path.join(modules, "pulumi-cloudinary-permissions");
    if (options.packageCopy) copyPackage(pkg);
    else fs.symlinkSync(REPO_ROOT, pkg);
    return dir;
}

/** A copy of the built package, as npm would install it (its own dependencies linked). */
export function copyPackage(into: string): void {
    fs.mkdirSync(into, { recursive: true });
    for (const file of ["package.json", "schema.json"]) fs.copyFileSync(path.join(REPO_ROOT, file), path.join(into, file));
    fs.cpSync(path.join(REPO_ROOT, "bin", "provider"), path.join(into, "bin", "provider"), { recursive: true });
    fs.symlinkSync(path.join(REPO_ROOT, "node_modules"), path.join(into, "node_modules"));
}

export interface StackSetup {
    projectDir: string;
    emulator: EmulatorAddress;
    /** Extra stack config. */
    config?: Record<string, { value: string; secret?: boolean }>;
    env?: Record<string, string>;
    passphrase?: string;
}

/** A fresh stack on its own file backend, configured with the emulator's address and credentials (as secrets). */
export async function newStack(setup: StackSetup): Promise<PulumiStack> {
    const stack = new PulumiStack({
        projectDir: setup.projectDir,
        stack: "test",
        backendDir: tempDir("backend"),
        passphrase: setup.passphrase ?? "e2e-passphrase",
        env: setup.env,
        echo: process.env.E2E_ECHO === "1",
    });
    await stack.init({ "cloudinary:apiBaseUrl": { value: setup.emulator.url }, ...credentialsConfig(setup.emulator), ...setup.config });
    return stack;
}

/** The emulator's credentials as stack config, in secrets. */
export function credentialsConfig(emulator: EmulatorAddress): Record<string, { value: string; secret: true }> {
    const { accountUrl, productEnvironments } = emulator.credentials;
    return {
        "cloudinary:accountUrl": { value: accountUrl, secret: true },
        "cloudinary:productEnvironments": { value: JSON.stringify(productEnvironments.map((pe) => pe.cloudinaryUrl)), secret: true },
    };
}

/** A stack of the GitOps example whose permissions.yaml can be rewritten between runs. */
export async function gitopsStack(
    emulator: EmulatorAddress,
    yamlText: string,
    config: StackSetup["config"] = {},
): Promise<{ stack: PulumiStack; write(text: string): void }> {
    buildOnce();
    const projectDir = tempProject({ compiled: path.join(REPO_ROOT, "bin", "examples", "gitops", "index.js") });
    const file = path.join(projectDir, "permissions.yaml");
    fs.writeFileSync(file, yamlText);
    const stack = await newStack({ projectDir, emulator, config });
    return { stack, write: (text: string) => fs.writeFileSync(file, text) };
}

/** Counts of "+ create", "~ update", "+- replace", "- delete" steps in a preview or update summary. */
export function summary(output: string): Record<string, number> {
    const counts: Record<string, number> = {};
    const block = output.slice(output.lastIndexOf("Resources:"));
    for (const match of block.matchAll(/(?:^\s+(?:[+~\-]{1,2}\s*)?|changes\. )(\d+) (to create|to update|to replace|to delete|created|updated|replaced|deleted|unchanged)/gm)) {
        counts[match[2].replace(/^to /, "")] = Number(match[1]);
    }
    return counts;
}

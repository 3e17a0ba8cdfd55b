// End-to-end helpers: Pulumi stacks run by the real CLI, in temporary folders, against an emulator (in-process or
// in its own process) or the real API; and copies of a stack, each a stack of its own from the same known start.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { EmulatorHandle, EmulatorState, startEmulator } from "../emulator";
import { PulumiStack, REPO_ROOT } from "./pulumi";

/**
 * Where a stack's provider goes and with which credentials: an emulator (its handle is one), or the real API
 * (no `url`: Cloudinary's own, unless CLOUDINARY_API_BASE_URL says otherwise; no `credentials`: the provider
 * reads them from the environment, CLOUDINARY_ACCOUNT_URL and the others).
 */
export interface ApiTarget {
    url?: string;
    credentials?: Credentials;
}

interface Credentials {
    accountUrl: string;
    productEnvironments: { cloudinaryUrl: string }[];
}

/** The provider reads the base URL from the environment, so a copy of a stack can be pointed at another emulator. */
function targetEnv(api: ApiTarget): Record<string, string> {
    return api.url === undefined ? {} : { CLOUDINARY_API_BASE_URL: api.url };
}

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
    api: ApiTarget;
    /** Extra stack config. */
    config?: Record<string, { value: string; secret?: boolean }>;
    env?: Record<string, string>;
    passphrase?: string;
}

/** A fresh stack on its own file backend, with the target's credentials in its config (as secrets) and its address in the environment. */
export async function newStack(setup: StackSetup): Promise<PulumiStack> {
    const stack = new PulumiStack({
        projectDir: setup.projectDir,
        stack: "test",
        backendDir: tempDir("backend"),
        passphrase: setup.passphrase ?? "e2e-passphrase",
        env: { ...targetEnv(setup.api), ...setup.env },
        echo: process.env.E2E_ECHO === "1",
    });
    await stack.init({ ...(setup.api.credentials ? credentialsConfig({ credentials: setup.api.credentials }) : {}), ...setup.config });
    return stack;
}

/** The target's credentials as stack config, in secrets. */
export function credentialsConfig(api: { credentials: Credentials }): Record<string, { value: string; secret: true }> {
    const { accountUrl, productEnvironments } = api.credentials;
    return {
        "cloudinary:accountUrl": { value: accountUrl, secret: true },
        "cloudinary:productEnvironments": { value: JSON.stringify(productEnvironments.map((pe) => pe.cloudinaryUrl)), secret: true },
    };
}

/** A stack of the GitOps example whose permissions.yaml can be rewritten between runs. */
export interface GitopsStack {
    stack: PulumiStack;
    write(text: string): void;
}

/** A stack of the GitOps example whose permissions.yaml can be rewritten between runs. */
export async function gitopsStack(api: ApiTarget, yamlText: string, config: StackSetup["config"] = {}): Promise<GitopsStack> {
    buildOnce();
    const projectDir = tempProject({ compiled: path.join(REPO_ROOT, "bin", "examples", "gitops", "index.js") });
    fs.writeFileSync(path.join(projectDir, "permissions.yaml"), yamlText);
    return gitops(await newStack({ projectDir, api, config }));
}

function gitops(stack: PulumiStack): GitopsStack {
    const file = path.join(stack.options.projectDir, "permissions.yaml");
    return { stack, write: (text: string) => fs.writeFileSync(file, text) };
}

const copyDir = (from: string, to: string) => fs.cpSync(from, to, { recursive: true, verbatimSymlinks: true });

/**
 * A stack as it is now (its file backend and its project folder, config included), to start stacks from: each
 * copy is a stack of its own in the same state, made without running the CLI, so that one test's failure leaves
 * the next test's start as it was.
 */
export class StackSnapshot {
    private constructor(
        private readonly options: PulumiStack["options"],
        private readonly backendDir: string,
        private readonly projectDir: string,
    ) {}

    /** No command may be running on the stack. */
    static of(stack: PulumiStack): StackSnapshot {
        const backendDir = tempDir("snapshot-backend");
        const projectDir = tempDir("snapshot-project");
        copyDir(stack.options.backendDir, backendDir);
        copyDir(stack.options.projectDir, projectDir);
        return new StackSnapshot(stack.options, backendDir, projectDir);
    }

    /** A stack of its own in the snapshot's state; with `api`, its provider goes there instead. */
    copy(api?: ApiTarget): PulumiStack {
        const backendDir = tempDir("backend");
        const projectDir = tempDir("project");
        copyDir(this.backendDir, backendDir);
        copyDir(this.projectDir, projectDir);
        return new PulumiStack({ ...this.options, backendDir, projectDir, env: { ...this.options.env, ...(api ? targetEnv(api) : {}) } });
    }

    /** The same, as a stack of the GitOps example. */
    gitops(api?: ApiTarget): GitopsStack {
        return gitops(this.copy(api));
    }
}

/**
 * A known start of an end-to-end test: a stack and the emulated account as they are now. Each `start()` is an
 * emulator of its own holding that account and a copy of the stack pointed at it; `stop()` stops those emulators.
 */
export class KnownStart {
    private readonly started: EmulatorHandle[] = [];
    private constructor(private readonly stack: StackSnapshot, private readonly account: EmulatorState) {}

    static of(stack: PulumiStack, emulator: EmulatorHandle): KnownStart {
        return new KnownStart(StackSnapshot.of(stack), emulator.state());
    }

    async start(): Promise<{ emulator: EmulatorHandle; gitops: GitopsStack }> {
        const stateFile = path.join(tempDir("account"), "state.json");
        fs.writeFileSync(stateFile, JSON.stringify(this.account));
        const emulator = await startEmulator({ port: 0, quiet: true, stateFile });
        this.started.push(emulator);
        return { emulator, gitops: this.stack.gitops(emulator) };
    }

    async stop(): Promise<void> {
        await Promise.all(this.started.splice(0).map((e) => e.stop()));
    }
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

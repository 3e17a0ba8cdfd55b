// Runs the real Pulumi CLI (found or built by harness/pulumi-cli.js) on a local file backend with a passphrase
// secrets provider, so nothing leaves the machine. Used by the demo, the end-to-end tests and the benchmarks.
import { ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

// eslint-disable-next-line @typescript-eslint/no-var-requires
const cli: { ensurePulumi(log?: (m: string) => void): { binDir: string }; cacheRoot(): string; ROOT: string } = require(path.join(findRoot(), "harness", "pulumi-cli.js"));

export const REPO_ROOT = cli.ROOT;

function findRoot(): string {
    for (let dir = __dirname; ; dir = path.dirname(dir)) {
        if (fs.existsSync(path.join(dir, "harness", "pulumi-cli.js"))) return dir;
        if (path.dirname(dir) === dir) throw new Error("harness/pulumi-cli.js not found");
    }
}

/** The folder holding pulumi and its Node.js plugins; set by scripts/bootstrap.js, else found or built now. */
export function pulumiBinDir(): string {
    const fromBootstrap = process.env.CLOUDINARY_PERMISSIONS_PULUMI_BIN;
    if (fromBootstrap) return fromBootstrap;
    const dir = cli.ensurePulumi().binDir;
    process.env.CLOUDINARY_PERMISSIONS_PULUMI_BIN = dir;
    return dir;
}

export interface PulumiResult {
    code: number;
    stdout: string;
    stderr: string;
    ms: number;
}

export interface StackOptions {
    /** The Pulumi project folder (holds Pulumi.yaml). */
    projectDir: string;
    stack: string;
    /** Folder of the local file backend. */
    backendDir: string;
    /** Passphrase of the stack's secrets provider. */
    passphrase: string;
    /** Extra environment for the CLI, the program and the provider (e.g. CLOUDINARY_API_BASE_URL). */
    env?: Record<string, string>;
    /** Echo the CLI's output while it runs. */
    echo?: boolean;
}

export class PulumiStack {
    constructor(readonly options: StackOptions) {
        fs.mkdirSync(options.backendDir, { recursive: true });
    }

    /**
     * The file backend (gocloud's fileblob) renames each file whole into place, but writes the file's metadata
     * sidecar, `<file>.attrs`, in place (os.Create, then encode). A kill between the two leaves the sidecar empty or
     * cut, and the CLI then fails with `failed to load checkpoint: EOF` although the checkpoint itself is whole.
     * Lists such sidecars anywhere in the backend (stacks, backups, history, locks).
     */
    cutSidecars(): string[] {
        return findFiles(path.join(this.options.backendDir, ".pulumi"), (name) => name.endsWith(".attrs")).filter((f) => !parses(f));
    }

    /** Whether the stack's checkpoint file exists but does not parse (not a kill's doing: see cutSidecars). */
    checkpointDoesNotParse(): boolean {
        const checkpoint = this.checkpointFile();
        return checkpoint !== undefined && !parses(checkpoint);
    }

    private checkpointFile(): string | undefined {
        return findFile(path.join(this.options.backendDir, ".pulumi", "stacks"), `${this.options.stack}.json`);
    }

    /**
     * The recovery for a backend a kill left unreadable: cut sidecars are removed (fileblob reads a missing sidecar
     * as default metadata; nothing of the stack is in it), and a checkpoint that does not parse is replaced by the
     * newest backup that does. The killed run's lock stays, for `pulumi cancel`. Says what it did; "" when the
     * backend was readable.
     */
    recoverUnreadableBackend(): string {
        const done: string[] = [];
        for (const sidecar of this.cutSidecars()) {
            fs.rmSync(sidecar);
            done.push(`removed the cut ${path.relative(this.options.backendDir, sidecar)}`);
        }
        if (this.checkpointDoesNotParse()) done.push(`restored backup ${this.restoreNewestBackup()}`);
        return done.join("; ");
    }

    restoreNewestBackup(): string {
        const pulumiDir = path.join(this.options.backendDir, ".pulumi");
        const checkpoint = this.checkpointFile();
        const backups = findFiles(path.join(pulumiDir, "backups"), (name) => name.startsWith(`${this.options.stack}.`) && name.endsWith(".json"));
        const newest = backups.sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs).find(parses);
        if (!checkpoint || !newest) throw new Error(`no checkpoint or no valid backup under ${pulumiDir}`);
        fs.copyFileSync(newest, checkpoint);
        return path.basename(newest);
    }

    env(): NodeJS.ProcessEnv {
        const binDir = pulumiBinDir();
        return {
            ...process.env,
            PATH: `${binDir}${path.delimiter}${process.env.PATH ?? ""}`,
            PULUMI_HOME: path.join(cli.cacheRoot(), "pulumi-home"),
            PULUMI_BACKEND_URL: `file://${this.options.backendDir}`,
            PULUMI_CONFIG_PASSPHRASE: this.options.passphrase,
            PULUMI_SKIP_UPDATE_CHECK: "true",
            PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
            PULUMI_SKIP_CONFIRMATIONS: "true",
            ...this.options.env,
        };
    }

    /**
     * Starts `pulumi <args>` for this stack. With `ownProcessGroup`, `process.kill(-child.pid)` stops the CLI with
     * its language host and plugins, as a cancelled CI job would (and Ctrl-C in a terminal no longer reaches it).
     */
    start(args: string[], extraEnv: Record<string, string> = {}, ownProcessGroup = false): ChildProcessWithoutNullStreams {
        const flags = ["--non-interactive", "--color", "never"];
        // `stack init/select/rm/ls` take the stack name as an argument; every other command gets --stack.
        const positional = args[0] === "stack" && ["init", "select", "rm", "ls"].includes(args[1]);
        if (!positional) flags.push("--stack", this.options.stack);
        // Flags must come before a `--`, after which everything is a positional value.
        const dashes = args.indexOf("--");
        const fullArgs = dashes < 0 ? [...args, ...flags] : [...args.slice(0, dashes), ...flags, ...args.slice(dashes)];
        return spawn("pulumi", fullArgs, { cwd: this.options.projectDir, env: { ...this.env(), ...extraEnv }, detached: ownProcessGroup });
    }

    /** Runs `pulumi <args>` for this stack; never throws on a non-zero exit (the caller decides). */
    run(args: string[], extraEnv: Record<string, string> = {}): Promise<PulumiResult> {
        const started = Date.now();
        // Not echoed: JSON read by the caller (stack output, export), and the `stack select` probe, whose failure is
        // expected on a first run.
        const echo = this.options.echo && !args.includes("--json") && !(args[0] === "stack" && ["export", "select"].includes(args[1]));
        return new Promise((resolve, reject) => {
            const child = this.start(args, extraEnv);
            let stdout = "";
            let stderr = "";
            child.stdout.on("data", (d) => {
                stdout += d;
                if (echo) process.stdout.write(d);
            });
            child.stderr.on("data", (d) => {
                stderr += d;
                if (echo) process.stderr.write(d);
            });
            child.on("error", reject);
            child.on("close", (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr, ms: Date.now() - started }));
        });
    }

    /** Like run, but throws with the CLI's output when the exit code is not the expected one. */
    async expect(args: string[], expectedCode = 0, extraEnv: Record<string, string> = {}): Promise<PulumiResult> {
        const result = await this.run(args, extraEnv);
        if (result.code !== expectedCode) {
            throw new Error(`pulumi ${args.join(" ")} exited ${result.code} (expected ${expectedCode})\n${result.stdout}\n${result.stderr}`);
        }
        return result;
    }

    async init(config: Record<string, { value: string; secret?: boolean }> = {}): Promise<void> {
        const exists = await this.run(["stack", "select", this.options.stack]);
        if (exists.code !== 0) await this.expect(["stack", "init", this.options.stack]);
        await this.setConfig(config);
    }

    async setConfig(config: Record<string, { value: string; secret?: boolean }>): Promise<void> {
        for (const [key, { value, secret }] of Object.entries(config)) {
            await this.expect(["config", "set", key, ...(secret ? ["--secret"] : ["--plaintext"]), "--", value]);
        }
    }

    async outputs(): Promise<Record<string, unknown>> {
        const result = await this.expect(["stack", "output", "--json", "--show-secrets"]);
        return JSON.parse(result.stdout || "{}");
    }

    async exportState(): Promise<any> {
        const result = await this.expect(["stack", "export"]);
        return JSON.parse(result.stdout);
    }

    up(args: string[] = []): Promise<PulumiResult> {
        return this.expect(["up", "--yes", "--skip-preview", ...args]);
    }
    preview(args: string[] = [], expectedCode = 0): Promise<PulumiResult> {
        return this.expect(["preview", ...args], expectedCode);
    }
    refresh(args: string[] = []): Promise<PulumiResult> {
        return this.expect(["refresh", "--yes", "--skip-preview", ...args]);
    }
    destroy(args: string[] = []): Promise<PulumiResult> {
        return this.expect(["destroy", "--yes", "--skip-preview", ...args]);
    }
}

function findFiles(dir: string, match: (name: string) => boolean): string[] {
    if (!fs.existsSync(dir)) return [];
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? findFiles(path.join(dir, e.name), match) : match(e.name) ? [path.join(dir, e.name)] : []));
}

function findFile(dir: string, name: string): string | undefined {
    return findFiles(dir, (n) => n === name)[0];
}

function parses(file: string): boolean {
    try {
        JSON.parse(fs.readFileSync(file, "utf8"));
        return true;
    } catch {
        return false;
    }
}

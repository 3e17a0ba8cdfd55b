// `cloudinary-permissions review [--cwd DIR] [--stack NAME] [--plan FILE|-] [--refresh] [--format text|md|json]
// [--deny ROLE_ID]...`: who gains and who loses which role where if the stack's pending change is applied.
// Exit codes: 0 reviewed (and no denied gain), 3 a denied gain, 2 bad input, a failed preview or refused
// credentials, 1 anything unexpected.
import { Command, Option } from "commander";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { isExpected } from "../../provider/api/errors";
import { CliError, contextFromEnvironment } from "../settings";
import { Format, FORMATS, render } from "./formats";
import { parsePlan, Plan, PlanError } from "./plan";
import { describeDenied, review, ReviewReport } from "./review";

export const DENIED_EXIT_CODE = 3;

export interface ReviewCommandOptions {
    cwd?: string;
    stack?: string;
    plan?: string;
    refresh?: boolean;
    format: Format;
    deny: string[];
}

/** `pulumi preview --json` of the stack, run by the `pulumi` on PATH in `cwd`. */
export function previewJson(options: Pick<ReviewCommandOptions, "cwd" | "stack" | "refresh">, env: NodeJS.ProcessEnv = process.env): Promise<string> {
    const args = ["preview", "--json", "--non-interactive", ...(options.stack ? ["--stack", options.stack] : []), ...(options.refresh ? ["--refresh"] : [])];
    const cwd = path.resolve(options.cwd ?? ".");
    return new Promise((resolve, reject) => {
        const child = spawn("pulumi", args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (d) => (stdout += d));
        child.stderr.on("data", (d) => (stderr += d));
        child.on("error", (e) => reject(new CliError(`could not run \`pulumi ${args.join(" ")}\` in ${cwd}: ${e.message}${(e as NodeJS.ErrnoException).code === "ENOENT" ? " (is the Pulumi CLI on PATH?)" : ""}`)));
        child.on("close", (code) => {
            if (code === 0) return resolve(stdout);
            reject(new CliError(`\`pulumi ${args.join(" ")}\` failed in ${cwd} (exit code ${code}):\n${previewErrors(stdout) || stderr.trim() || stdout.trim()}`));
        });
    });
}

/** The error diagnostics of a failed `pulumi preview --json`, as the engine reported them. */
function previewErrors(stdout: string): string {
    try {
        const diagnostics = (JSON.parse(stdout) as { diagnostics?: { severity?: string; message?: string; urn?: string }[] }).diagnostics ?? [];
        return diagnostics
            .filter((d) => d.severity === "error")
            .map((d) => `${d.urn ? `${d.urn}: ` : ""}${(d.message ?? "").trim()}`)
            .join("\n");
    } catch {
        return "";
    }
}

function readPlanText(file: string): string {
    try {
        return fs.readFileSync(file === "-" ? 0 : file, "utf8");
    } catch (e) {
        throw new CliError(`cannot read the plan ${file === "-" ? "from stdin" : file}: ${(e as Error).message}`);
    }
}

/** The stack a plan is of, from its URNs (urn:pulumi:STACK::PROJECT::...). */
function stackOf(plan: string): string | undefined {
    return /"urn:pulumi:([^:"]+)::/.exec(plan)?.[1];
}

export async function runReview(options: ReviewCommandOptions, env: NodeJS.ProcessEnv = process.env): Promise<{ report: ReviewReport; output: string }> {
    const text = options.plan ? readPlanText(options.plan) : await previewJson(options, env);
    let plan: Plan;
    try {
        plan = parsePlan(text, options.plan && options.plan !== "-" ? options.plan : "the plan");
    } catch (e) {
        if (e instanceof PlanError) throw new CliError(e.message);
        throw e;
    }
    const ctx = await contextFromEnvironment(env);
    try {
        const report = await review(ctx, plan, { stack: options.stack ?? stackOf(text), deny: options.deny });
        return { report, output: render(report, options.format) };
    } catch (e) {
        if (isExpected(e)) throw new CliError(e.message);
        throw e;
    }
}

/** The exit code for a report: denied gains, or inputs the review cannot see while gains are denied. */
export function denyOutcome(report: ReviewReport, deny: string[]): { exitCode: number; messages: string[] } {
    if (deny.length === 0) return { exitCode: 0, messages: [] };
    const denied = report.changes.filter((c) => c.denied);
    if (denied.length) return { exitCode: DENIED_EXIT_CODE, messages: [...denied.map((c) => `denied: ${describeDenied(c)}`), `review: ${denied.length} denied gain${denied.length === 1 ? "" : "s"} of ${deny.join(", ")}`] };
    if (report.unresolved.length) {
        // Exit 0 promises that no denied role is gained; an input the plan leaves unknown could be one.
        return { exitCode: 2, messages: [`review: cannot tell whether this change gives ${deny.join(", ")}: ${report.unresolved.length} input(s) unknown at preview (listed in the review)`] };
    }
    return { exitCode: 0, messages: [] };
}

const collect = (value: string, previous: string[]) => [...previous, value];

export function reviewCommand(): Command {
    return new Command("review")
        .description("who gains and who loses which role where if the stack's pending change is applied: the live account against `pulumi preview --json`")
        .option("--cwd <dir>", "the Pulumi project's folder (where `pulumi preview` runs)")
        .option("--stack <name>", "the stack to preview (default: the selected stack)")
        .option("--plan <file>", "a saved `pulumi preview --json` output instead of running it ('-' for stdin)")
        .option("--refresh", "preview with --refresh, as `pulumi up --refresh` would apply it", false)
        .addOption(new Option("--format <format>", "output format").choices([...FORMATS]).default("text"))
        .option("--deny <roleId>", `exit with ${DENIED_EXIT_CODE} when the change gives any principal this role where it did not hold it (repeatable)`, collect, [])
        .action(async (options: ReviewCommandOptions) => {
            const { report, output } = await runReview(options);
            process.stdout.write(output);
            const { exitCode, messages } = denyOutcome(report, options.deny);
            for (const m of messages) process.stderr.write(`${m}\n`);
            process.exitCode = exitCode;
        });
}

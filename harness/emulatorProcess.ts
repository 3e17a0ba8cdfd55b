// The emulator in a process of its own, as users have the API elsewhere: started from the compiled CLI and
// driven through its /_emulator controls, so the provider and the engine do not share its event loop.
import { ChildProcess, spawn } from "node:child_process";
import * as path from "node:path";
import { credentials, EmulatorCredentials, FaultSettings, RateLimitSettings, Stats } from "../emulator";
import { pageSizeFromEnv } from "./emulator";
import { REPO_ROOT } from "./pulumi";

/** What the benchmarks and chaos runs need of an emulator, in-process (EmulatorHandle) or in its own process. */
export interface EmulatorControl {
    url: string;
    credentials: EmulatorCredentials;
    stats(): Promise<Stats>;
    resetStats(): void | Promise<void>;
    /** State back to the seed, stats cleared, faults off, the page size as at start. */
    reset(): Promise<void>;
    setFaults(faults: FaultSettings): void | Promise<void>;
    clearFaults(): void | Promise<void>;
    setRateLimit?(limit: RateLimitSettings): void | Promise<void>;
    stop(): Promise<void>;
}

export async function startEmulatorProcess(options: { validateResponses?: boolean } = {}): Promise<EmulatorControl & { pid: number }> {
    const pageSize = pageSizeFromEnv();
    const args = [
        path.join(REPO_ROOT, "bin", "emulator", "cli.js"),
        ...["--port", "0", "--quiet"],
        ...(pageSize === undefined ? [] : ["--page-size", String(pageSize)]),
        ...(options.validateResponses === false ? ["--no-validate-responses"] : []),
    ];
    const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "inherit"] });
    const url = await listeningUrl(child);
    const control = async <T>(method: string, route: string, body?: unknown): Promise<T> => {
        const response = await fetch(`${url}${route}`, { method, headers: { "Content-Type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
        if (!response.ok) throw new Error(`emulator control ${method} ${route}: ${response.status} ${await response.text()}`);
        return (await response.json()) as T;
    };
    return {
        pid: child.pid as number,
        url,
        credentials,
        stats: () => control<Stats>("GET", "/_emulator/stats"),
        resetStats: () => control("POST", "/_emulator/reset?only=stats"),
        reset: async () => {
            await control("POST", "/_emulator/reset");
            await control("DELETE", "/_emulator/faults");
            await control("DELETE", "/_emulator/page-size");
        },
        setFaults: (faults) => control("PUT", "/_emulator/faults", faults),
        clearFaults: () => control("DELETE", "/_emulator/faults"),
        setRateLimit: (limit) => control("PUT", "/_emulator/rate-limit", limit),
        stop: () =>
            new Promise<void>((resolve) => {
                if (child.exitCode !== null) return resolve();
                child.once("exit", () => resolve());
                child.kill("SIGTERM");
            }),
    };
}

/** The address the CLI prints once it listens. */
function listeningUrl(child: ChildProcess): Promise<string> {
    return new Promise((resolve, reject) => {
        let output = "";
        child.stdout?.on("data", (chunk) => {
            output += String(chunk);
            const match = /listening on (\S+)/.exec(output);
            if (match) resolve(match[1]);
        });
        child.once("exit", (code) => reject(new Error(`the emulator exited (${code}) before listening: ${output}`)));
    });
}

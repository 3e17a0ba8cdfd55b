#!/usr/bin/env node
// Command line: `node bin/emulator/cli.js [--port N] [--state FILE]` (or `npm run emulator -- ...`).
// Prints the credentials to use, then `listening on ...` once ready; exits 0 on SIGTERM/SIGINT.
import { DEFAULT_PORT } from "./seed";
import { serveEmulator } from "./serve";

function usage(message?: string): never {
    if (message) process.stderr.write(`error: ${message}\n`);
    process.stderr.write("usage: cli [--port N] [--state FILE] [--quiet] [--no-validate-responses]\n  env CLOUDINARY_EMULATOR_PORT sets the default port (4100)\n");
    process.exit(message ? 2 : 0);
}

function parseArgs(argv: string[]): { port: number; stateFile?: string; quiet: boolean; validateResponses: boolean } {
    let port = process.env.CLOUDINARY_EMULATOR_PORT ? Number(process.env.CLOUDINARY_EMULATOR_PORT) : DEFAULT_PORT;
    let stateFile: string | undefined;
    let quiet = false;
    let validateResponses = true;
    for (let i = 0; i < argv.length; i++) {
        const [flag, inline] = argv[i].split(/=(.*)/s, 2);
        const value = () => inline ?? argv[++i] ?? usage(`${flag} needs a value`);
        if (flag === "--port") port = Number(value());
        else if (flag === "--state") stateFile = value();
        else if (flag === "--quiet") quiet = true;
        // Benchmarks: response validation is the emulator's own test concern and costs CPU on a shared machine.
        else if (flag === "--no-validate-responses") validateResponses = false;
        else if (flag === "--help" || flag === "-h") usage();
        else usage(`unknown argument ${argv[i]}`);
    }
    if (!Number.isInteger(port) || port < 0 || port > 65535) usage(`invalid port ${port}`);
    return { port, stateFile, quiet, validateResponses };
}

async function main(): Promise<void> {
    await serveEmulator(parseArgs(process.argv.slice(2)));
}

main().catch((e) => {
    process.stderr.write(`error: ${(e as Error).message}\n`);
    process.exit(1);
});

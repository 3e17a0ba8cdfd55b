#!/usr/bin/env node
// Command line: `node bin/emulator/cli.js [--port N] [--state FILE] [--page-size N]` (or `npm run emulator -- ...`).
// Prints the credentials to use, then `listening on ...` once ready; exits 0 on SIGTERM/SIGINT.
import { parsePageSize } from "./paging";
import { DEFAULT_PORT } from "./seed";
import { ServeOptions, serveEmulator } from "./serve";

const USAGE = [
    "usage: cli [--port N] [--state FILE] [--page-size N] [--quiet] [--no-validate-responses]",
    "  env CLOUDINARY_EMULATOR_PORT sets the default port (4100)",
    "  env CLOUDINARY_EMULATOR_PAGE_SIZE sets the default page size (none: a listing is one page)",
].join("\n");

function usage(message?: string): never {
    if (message) process.stderr.write(`error: ${message}\n`);
    process.stderr.write(`${USAGE}\n`);
    process.exit(message ? 2 : 0);
}

function pageSize(text: string, from: string): number {
    const size = parsePageSize(text);
    return typeof size === "string" ? usage(`${from}: ${size}`) : size;
}

function parseArgs(argv: string[]): ServeOptions {
    const env = process.env;
    const options: ServeOptions = { port: env.CLOUDINARY_EMULATOR_PORT ? Number(env.CLOUDINARY_EMULATOR_PORT) : DEFAULT_PORT, quiet: false, validateResponses: true };
    if (env.CLOUDINARY_EMULATOR_PAGE_SIZE) options.pageSize = pageSize(env.CLOUDINARY_EMULATOR_PAGE_SIZE, "CLOUDINARY_EMULATOR_PAGE_SIZE");
    for (let i = 0; i < argv.length; i++) {
        const [flag, inline] = argv[i].split(/=(.*)/s, 2);
        const value = () => inline ?? argv[++i] ?? usage(`${flag} needs a value`);
        if (flag === "--port") options.port = Number(value());
        else if (flag === "--state") options.stateFile = value();
        else if (flag === "--page-size") options.pageSize = pageSize(value(), "--page-size");
        else if (flag === "--quiet") options.quiet = true;
        // Benchmarks: response validation is the emulator's own test concern and costs CPU on a shared machine.
        else if (flag === "--no-validate-responses") options.validateResponses = false;
        else if (flag === "--help" || flag === "-h") usage();
        else usage(`unknown argument ${argv[i]}`);
    }
    if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65535) usage(`invalid port ${options.port}`);
    return options;
}

serveEmulator(parseArgs(process.argv.slice(2))).catch((e) => {
    process.stderr.write(`error: ${(e as Error).message}\n`);
    process.exit(1);
});

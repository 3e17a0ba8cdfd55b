#!/usr/bin/env node
// Command line: `node bin/emulator/cli.js [--port N] [--state FILE]` (or `npm run emulator -- ...`).
// Prints the credentials to use, then `listening on ...` once ready; exits 0 on SIGTERM/SIGINT.
import { credentials, startEmulator } from "./index";
import { DEFAULT_PORT } from "./seed";

function usage(message?: string): never {
    if (message) process.stderr.write(`error: ${message}\n`);
    process.stderr.write("usage: cli [--port N] [--state FILE] [--quiet]\n  env CLOUDINARY_EMULATOR_PORT sets the default port (4100)\n");
    process.exit(message ? 2 : 0);
}

function parseArgs(argv: string[]): { port: number; stateFile?: string; quiet: boolean } {
    let port = process.env.CLOUDINARY_EMULATOR_PORT ? Number(process.env.CLOUDINARY_EMULATOR_PORT) : DEFAULT_PORT;
    let stateFile: string | undefined;
    let quiet = false;
    for (let i = 0; i < argv.length; i++) {
        const [flag, inline] = argv[i].split(/=(.*)/s, 2);
        const value = () => inline ?? argv[++i] ?? usage(`${flag} needs a value`);
        if (flag === "--port") port = Number(value());
        else if (flag === "--state") stateFile = value();
        else if (flag === "--quiet") quiet = true;
        else if (flag === "--help" || flag === "-h") usage();
        else usage(`unknown argument ${argv[i]}`);
    }
    if (!Number.isInteger(port) || port < 0 || port > 65535) usage(`invalid port ${port}`);
    return { port, stateFile, quiet };
}

async function main(): Promise<void> {
    const args = parseArgs(process.argv.slice(2));
    const emulator = await startEmulator({ port: args.port, stateFile: args.stateFile, quiet: args.quiet, validateResponses: true });
    // Handlers before the banner: a supervisor may send SIGTERM as soon as it reads `listening on`.
    let stopping = false;
    const stop = () => {
        if (stopping) return;
        stopping = true;
        // The state file is already written after each committed write; stop() writes it once more.
        emulator.stop().then(
            () => process.exit(0),
            (e) => {
                process.stderr.write(`error while stopping: ${String(e)}\n`);
                process.exit(1);
            },
        );
    };
    process.on("SIGTERM", stop);
    process.on("SIGINT", stop);
    const prod = credentials.productEnvironments[0];
    process.stdout.write(
        `CLOUDINARY_ACCOUNT_URL=${credentials.accountUrl}\n` +
            `CLOUDINARY_URL=${prod.cloudinaryUrl}\n` +
            // Every product environment's Admin API credentials, in the provider's space-separated form.
            `CLOUDINARY_PRODUCT_ENVIRONMENTS=${credentials.productEnvironments.map((pe) => pe.cloudinaryUrl).join(" ")}\n` +
            `CLOUDINARY_API_BASE_URL=${emulator.url}\n` +
            `listening on ${emulator.url}\n`,
    );
}

main().catch((e) => {
    process.stderr.write(`error: ${(e as Error).message}\n`);
    process.exit(1);
});

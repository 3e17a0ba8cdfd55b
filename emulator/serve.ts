// The emulator as a long-running server process (its own CLI, and the package's `cloudinary-permissions
// emulator`): prints the credentials to use, then `listening on ...` once ready; exits 0 on SIGTERM/SIGINT.
import { credentials, startEmulator } from "./index";

export interface ServeOptions {
    port: number;
    stateFile?: string;
    quiet: boolean;
    validateResponses?: boolean;
    pageSize?: number;
}

export async function serveEmulator(options: ServeOptions): Promise<void> {
    const emulator = await startEmulator({ ...options, validateResponses: options.validateResponses ?? true });
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

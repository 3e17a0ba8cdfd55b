// `cloudinary-permissions emulator [--port N] [--state FILE] [--page-size N]`: the local emulator of the Cloudinary
// APIs, from the installed package.
import { Command, InvalidArgumentError } from "commander";
import { parsePageSize } from "../emulator";
import { DEFAULT_PORT } from "../emulator/seed";
import { serveEmulator } from "../emulator/serve";

function port(value: string): number {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError("a port is an integer from 0 to 65535 (0: any free port)");
    return n;
}

function pageSize(value: string): number {
    const size = parsePageSize(value);
    if (typeof size === "string") throw new InvalidArgumentError(size);
    return size;
}

export function emulatorCommand(): Command {
    const env = process.env;
    return new Command("emulator")
        .description("run the local emulator of Cloudinary's Permissions, Provisioning and Admin folder APIs")
        .option("--port <port>", "port to listen on (0: any free port)", port, Number(env.CLOUDINARY_EMULATOR_PORT ?? DEFAULT_PORT))
        .option("--state <file>", "keep the emulator's state in this JSON file across restarts")
        .option("--page-size <n>", "entries per page of the listings the APIs page (default: CLOUDINARY_EMULATOR_PAGE_SIZE, else one page)", pageSize)
        .option("--quiet", "no request log on stderr", false)
        .action(function (this: Command, options: { port: number; state?: string; pageSize?: number; quiet: boolean }) {
            const fromEnv = env.CLOUDINARY_EMULATOR_PAGE_SIZE ? parsePageSize(env.CLOUDINARY_EMULATOR_PAGE_SIZE) : undefined;
            if (options.pageSize === undefined && typeof fromEnv === "string") this.error(`error: CLOUDINARY_EMULATOR_PAGE_SIZE: ${fromEnv}`);
            return serveEmulator({ port: options.port, stateFile: options.state, pageSize: options.pageSize ?? (fromEnv as number | undefined), quiet: options.quiet });
        });
}

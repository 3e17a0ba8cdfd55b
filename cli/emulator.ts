// `cloudinary-permissions emulator [--port N] [--state FILE]`: the local emulator of the Cloudinary APIs, from
// the installed package.
import { Command, InvalidArgumentError } from "commander";
import { DEFAULT_PORT } from "../emulator/seed";
import { serveEmulator } from "../emulator/serve";

function port(value: string): number {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError("a port is an integer from 0 to 65535 (0: any free port)");
    return n;
}

export function emulatorCommand(): Command {
    return new Command("emulator")
        .description("run the local emulator of Cloudinary's Permissions, Provisioning and Admin folder APIs")
        .option("--port <port>", "port to listen on (0: any free port)", port, Number(process.env.CLOUDINARY_EMULATOR_PORT ?? DEFAULT_PORT))
        .option("--state <file>", "keep the emulator's state in this JSON file across restarts")
        .option("--quiet", "no request log on stderr", false)
        .action((options: { port: number; state?: string; quiet: boolean }) => serveEmulator({ port: options.port, stateFile: options.state, quiet: options.quiet }));
}

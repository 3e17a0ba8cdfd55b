#!/usr/bin/env node
// cloudinary-permissions: the package's command line. Each command lives in a file of its own in cli/ and is
// registered here; commands that reach Cloudinary read credentials exactly as the provider does (settings.ts).
import { Command } from "commander";
import { PACKAGE } from "../provider/api/package-info";
import { accessCommand } from "./access";
import { emulatorCommand } from "./emulator";
import { exportCommand } from "./export";
import { reviewCommand } from "./review/command";
import { CliError } from "./settings";

export function cli(): Command {
    const program = new Command("cloudinary-permissions")
        .description("Cloudinary roles and permissions as code: tools beside the Pulumi provider")
        .version(PACKAGE.version)
        .showHelpAfterError();
    program.addCommand(emulatorCommand());
    program.addCommand(exportCommand());
    program.addCommand(accessCommand());
    program.addCommand(reviewCommand());
    return program;
}

if (require.main === module) {
    cli()
        .parseAsync(process.argv)
        .catch((e) => {
            process.stderr.write(`error: ${e instanceof CliError ? e.message : e instanceof Error ? e.message : String(e)}\n`);
            process.exit(e instanceof CliError ? e.exitCode : 1);
        });
}

// `cloudinary-permissions access [--principal TYPE:ID] [--cloud NAME] [--format table|md|csv|html] [--output FILE]`:
// who can do what, where. Credentials are read as the provider reads them (settings.ts).
import { Command, InvalidArgumentError, Option } from "commander";
import * as fs from "node:fs";
import type { Principal, PrincipalType } from "../provider/api/domain";
import type { ProviderContext } from "../provider/context";
import { accessMatrix, MatrixOptions } from "./accessMatrix";
import { Format, FORMATS, render } from "./accessFormats";
import { contextFromEnvironment } from "./settings";

const PRINCIPAL_TYPES: PrincipalType[] = ["user", "group", "apiKey", "provisioningKey"];

function principal(value: string): Principal {
    const [type, id] = value.split(/:(.*)/s);
    if (!PRINCIPAL_TYPES.includes(type as PrincipalType) || !id) throw new InvalidArgumentError(`TYPE:ID with TYPE one of ${PRINCIPAL_TYPES.join(", ")}, e.g. user:u0bob000000000000000000000002`);
    return { principalType: type as PrincipalType, principalId: id };
}

/** The report as text, from a context on the account. */
export async function accessReport(ctx: ProviderContext, options: MatrixOptions & { format: Format }): Promise<string> {
    const matrix = await accessMatrix(ctx, options);
    const who = options.principal ? ` of ${options.principal.principalType} ${options.principal.principalId}` : "";
    const account = ctx.settings.account?.accountId ?? "";
    return render(matrix, options.format, `Access${who} in Cloudinary account ${account}`);
}

export function accessCommand(): Command {
    return new Command("access")
        .description("who can do what, where: principals × (account, product environments, folders), with roles held directly, through groups and inherited from parent folders, and custom policies")
        .option("--principal <TYPE:ID>", "only this principal (user, group, apiKey or provisioningKey)", principal)
        .option("--cloud <name>", "only this product environment (cloud name)")
        .addOption(new Option("--format <format>", "output format").choices([...FORMATS]).default("table"))
        .option("--output <file>", "write the report to this file instead of stdout")
        .action(async (options: MatrixOptions & { format: Format; output?: string }) => {
            const text = await accessReport(await contextFromEnvironment(), options);
            if (options.output) fs.writeFileSync(options.output, text);
            else process.stdout.write(text);
        });
}

// What `npm start` and `npm run drift` share: the emulator with the demo's state file, the quickstart stack
// configured against it, and a table of who holds which role where, read from the live APIs.
import * as path from "node:path";
import { EmulatorHandle, startEmulator } from "../emulator";
import { ProviderContext } from "../provider/context";
import { PulumiStack, REPO_ROOT } from "../harness/pulumi";
import { credentialsConfig } from "../harness/stack";

export const DEMO_DIR = path.join(REPO_ROOT, ".pulumi-state");

export async function startDemoEmulator(): Promise<EmulatorHandle> {
    return startEmulator({ port: 0, stateFile: path.join(DEMO_DIR, "emulator-state.json"), quiet: true });
}

/**
 * The quickstart stack, with the emulator's credentials as secrets in its config. The emulator's address changes
 * from run to run, so it goes in the environment (CLOUDINARY_API_BASE_URL), not in stack config: a refresh runs
 * the provider with the config recorded at the last update, which would still name the previous port.
 */
export async function quickstartStack(emulator: EmulatorHandle, echo = true): Promise<PulumiStack> {
    const stack = new PulumiStack({
        projectDir: REPO_ROOT,
        stack: "dev",
        backendDir: path.join(DEMO_DIR, "backend"),
        passphrase: process.env.PULUMI_CONFIG_PASSPHRASE ?? "quickstart-demo-passphrase",
        env: { CLOUDINARY_API_BASE_URL: emulator.url },
        echo,
    });
    await stack.init(credentialsConfig(emulator));
    // Stacks made by earlier versions of the demo kept the address in config.
    await stack.run(["config", "rm", "cloudinary:apiBaseUrl"]);
    return stack;
}

/** Who holds which role where: every principal with roles in the account and in each product environment. */
export async function accessTable(ctx: ProviderContext): Promise<string> {
    const [groups, users, environments] = await Promise.all([
        ctx.provisioning.listUserGroups(),
        ctx.provisioning.listUsers(),
        ctx.provisioning.listProductEnvironments(),
    ]);
    const names = new Map<string, string>();
    for (const g of groups) names.set(`group:${g.id}`, `group ${g.name}`);
    for (const u of users) names.set(`user:${u.id}`, `user ${u.name ?? u.email}`);
    const scopes: { type: "account" | "prodenv"; id?: string; label: string }[] = [{ type: "account", label: "account" }];
    for (const pe of environments) scopes.push({ type: "prodenv", id: pe.id, label: pe.cloud_name ?? pe.id ?? "?" });

    const rows: string[][] = [];
    const seen = new Set<string>();
    for (const scope of scopes) {
        for (const principal of await ctx.permissions.inspect(scope.type, scope.id)) {
            const who = names.get(`${principal.type}:${principal.id}`) ?? `${principal.type} ${principal.id}`;
            for (const role of principal.roles) {
                const where = role.scope_type === "account" ? "account" : role.scope_id === "all" ? "all product environments" : scopes.find((s) => s.id === role.scope_id)?.label ?? role.scope_id ?? scope.label;
                const on = role.policy_parameters?.folder_id ? `folder ${await folderPath(ctx, where, role.policy_parameters.folder_id)}` : role.policy_parameters?.collection_id ? `collection ${role.policy_parameters.collection_id}` : "";
                const row = [who, `${role.name} (${role.id})`, where, on];
                const key = row.join("\u0000");
                if (!seen.has(key)) {
                    seen.add(key);
                    rows.push(row);
                }
            }
        }
    }
    rows.sort((a, b) => a.join("|").localeCompare(b.join("|")));
    return renderTable(["Principal", "Role", "Where", "On"], rows);
}

async function folderPath(ctx: ProviderContext, cloudName: string, folderId: string): Promise<string> {
    if (!ctx.hasProductEnvironment(cloudName)) return folderId;
    try {
        const folder = await ctx.admin(cloudName).getFolderById(folderId);
        return folder.path ?? folderId;
    } catch {
        return folderId;
    }
}

export function renderTable(header: string[], rows: string[][]): string {
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
    const line = (cells: string[]) => cells.map((c, i) => (c ?? "").padEnd(widths[i])).join("  ").trimEnd();
    return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

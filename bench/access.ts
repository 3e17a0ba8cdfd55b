// `node bin/bench/access.js`: the figures of custom policies and the access report.
//   1. The time the local Cedar check adds to `pulumi preview` of 50 new CustomPolicies: the real provider against
//      the engine's floor (the same 50 resources with a do-nothing provider), and the 50 checks alone in-process.
//   2. The access report's run time on an account with 1000 grants (100 groups with members, 10 grants each), as
//      the CLI runs it (`cloudinary-permissions access`, its own process) in each format, with its request count.
// Writes bench/results/access.json.
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import { stringify } from "yaml";
import { EmulatorHandle, startEmulator } from "../emulator";
import { FOLDERS, PROD, STAGING, USERS } from "../emulator/seed";
import { contextFor } from "../harness/emulator";
import { REPO_ROOT } from "../harness/pulumi";
import { buildOnce, newStack, tempProject } from "../harness/stack";
import { customPolicy } from "../provider/resources/customPolicy";

const run = promisify(execFile);
const POLICIES = 50;

function policiesFile(): string {
    const users = Object.values(USERS);
    const folders = Object.values(FOLDERS).filter((f) => f.cloudName === "acme-prod");
    const customPolicies = Object.fromEntries(
        Array.from({ length: POLICIES }, (_, i) => [
            `policy-${i}`,
            {
                name: `Policy ${i}`,
                scopeType: "prodenv",
                scopeId: PROD.id,
                policyStatement: `permit(\n  principal == Cloudinary::User::"${users[i % users.length].id}",\n  action == Cloudinary::Action::"${["read", "update", "create"][i % 3]}",\n  resource is Cloudinary::Folder\n) when { resource.ancestor_ids.contains("${folders[i % folders.length].id}") && resource.name != "p${i}" };\n`,
            },
        ]),
    );
    return stringify({ customPolicies });
}

async function previewSeconds(emulator: EmulatorHandle, program: string, yaml: string): Promise<number> {
    const projectDir = tempProject({ compiled: path.join(REPO_ROOT, "bin", program) });
    fs.writeFileSync(path.join(projectDir, "permissions.yaml"), yaml);
    const stack = await newStack({ projectDir, api: emulator });
    await stack.preview(); // warm-up: plugin and program load
    const runs: number[] = [];
    for (let i = 0; i < 3; i++) runs.push((await stack.preview()).ms / 1000);
    return runs.sort((a, b) => a - b)[1];
}

async function cedarCheckFigures(emulator: EmulatorHandle) {
    const yaml = policiesFile();
    const provider = await previewSeconds(emulator, "examples/gitops/index.js", yaml);
    const floor = await previewSeconds(emulator, "bench/floor-program.js", yaml);
    const inputs = Object.values((await import("yaml")).parse(yaml).customPolicies) as object[];
    emulator.resetStats();
    const started = performance.now();
    const handler = customPolicy.handler(contextFor(emulator));
    for (const input of inputs) {
        const { failures } = await handler.check({}, { ...input, __provider: "shim" });
        if (failures?.length) throw new Error(JSON.stringify(failures));
    }
    const checksMs = performance.now() - started;
    return { policies: POLICIES, previewMedianSeconds: provider, floorMedianSeconds: floor, addedSeconds: +(provider - floor).toFixed(2), checksInProcessMs: Math.round(checksMs), checkRequests: (await emulator.stats()).total };
}

/** 100 groups (one or two members each), each with 6 product-environment roles and 4 folder roles: 1000 grants. */
export async function thousandGrants(emulator: Pick<EmulatorHandle, "url" | "credentials">): Promise<number> {
    const ctx = contextFor(emulator);
    const users = Object.values(USERS).map((u) => u.id);
    const folders = Object.values(FOLDERS).map((f) => ({ id: f.id, scope: f.cloudName === "acme-prod" ? PROD.id : STAGING.id }));
    const byRole = new Map<string, object[]>();
    const grant = (roleId: string, p: object) => byRole.set(roleId, [...(byRole.get(roleId) ?? []), p]);
    for (let i = 0; i < 100; i++) {
        const id = (await ctx.provisioning.createUserGroup(`Team ${i}`)).id as string;
        for (const u of [users[i % users.length], users[(i * 3 + 1) % users.length]]) await ctx.api.account.addMember(id, u);
        const g = { principal_type: "group", principal_id: id };
        for (const [role, scope] of [["reports", PROD.id], ["reports", STAGING.id], ["ml_user", PROD.id], ["ml_user", STAGING.id], ["billing", "all"], ["master_admin", i % 2 ? PROD.id : STAGING.id]]) grant(`cld::role::prodenv::${role}`, { ...g, scope_id: scope });
        ["folder::viewer", "folder::contributor", "folder::manager", "content::folder::editor"].forEach((role, k) => {
            const f = folders[(i + k) % folders.length];
            grant(`cld::role::${role}`, { ...g, scope_id: f.scope, policy_parameters: { folder_id: f.id } });
        });
    }
    for (const [roleId, principals] of byRole) for (let i = 0; i < principals.length; i += 100) await ctx.permissions.updateRolePrincipals(roleId, "add", principals.slice(i, i + 100) as never);
    return (await ctx.directory.accountGrants("fresh")).grants.length;
}

async function reportFigures(emulator: EmulatorHandle) {
    const grants = await thousandGrants(emulator);
    const { accountUrl, productEnvironments } = emulator.credentials;
    const env = { ...process.env, CLOUDINARY_API_BASE_URL: emulator.url, CLOUDINARY_ACCOUNT_URL: accountUrl, CLOUDINARY_PRODUCT_ENVIRONMENTS: productEnvironments.map((pe) => pe.cloudinaryUrl).join(",") };
    const formats: Record<string, { seconds: number; requests: number; bytes: number }> = {};
    for (const format of ["table", "md", "csv", "html"]) {
        emulator.resetStats();
        const started = performance.now();
        const { stdout } = await run(process.execPath, [path.join(REPO_ROOT, "bin", "cli", "index.js"), "access", "--format", format], { env, maxBuffer: 64 * 1024 * 1024 });
        formats[format] = { seconds: +((performance.now() - started) / 1000).toFixed(2), requests: (await emulator.stats()).total, bytes: stdout.length };
    }
    return { grants, formats };
}

async function main(): Promise<void> {
    buildOnce();
    const emulator = await startEmulator({ port: 0, quiet: true, validateResponses: false });
    try {
        const cedar = await cedarCheckFigures(emulator);
        console.log("Cedar check, 50 new CustomPolicies:", JSON.stringify(cedar));
        await emulator.reset();
        const report = await reportFigures(emulator);
        console.log("access report:", JSON.stringify(report));
        const out = path.join(REPO_ROOT, "bench", "results", "access.json");
        fs.writeFileSync(out, JSON.stringify({ date: new Date().toISOString(), node: process.version, cedar, report }, null, 2) + "\n");
    } finally {
        await emulator.stop();
    }
}

// bench/review.ts reuses the account above.
if (require.main === module) {
    main().catch((e) => {
        console.error(e);
        process.exit(1);
    });
}

// `npm run drift`: change a few things behind Pulumi's back through the emulator's API (as a Console user
// would), then run the drift check a CI job would run. It exits non-zero when drift is found, like a CI gate.
// `npm start` afterwards repairs the drift (it runs `pulumi up --refresh`).
import { CloudinaryApiError } from "../provider/api/errors";
import { quickstartStack, startDemoEmulator } from "./demo";
import { contextFor } from "../harness/emulator";

async function main(): Promise<number> {
    const emulator = await startDemoEmulator();
    try {
        const stack = await quickstartStack(emulator, false);
        const outputs = (await stack.outputs()) as { groups?: Record<string, string>; roles?: Record<string, string> };
        if (!outputs.groups || !outputs.roles) {
            console.error("The quickstart stack is not deployed yet: run `npm start` first.");
            return 2;
        }
        const ctx = contextFor(emulator);
        console.log("== Changes made behind Pulumi's back (through the Cloudinary APIs, as in the Console) ==");

        const { groups, roles } = outputs;
        await change("removed Carol from the Marketing group", () => ctx.provisioning.removeUserFromGroup(groups.marketing, "u0carol0000000000000000000003"));
        await change("added 'Moderate all assets' to the Upload manager role", async () => {
            const role = await ctx.permissions.getRole(roles.uploadManager);
            const policies = (role.policies ?? []).map((p) => p.id);
            const moderate = "cld::policy::global::assets::moderate";
            if (policies.includes(moderate)) return;
            await ctx.permissions.updateRole(role.id, { name: role.name, description: role.description ?? null, system_policy_ids: [...policies, moderate] });
        });
        await change("revoked the integration key's Viewer role on the products folder", () =>
            ctx.admin("acme-prod").changeFolderRoles("fproducts0000000000000000000006", { type: "apiKey", id: "820000000000002" }, "remove", ["cld::role::folder::viewer"]),
        );
        await change("took the Platform admin role away from the Platform group", () =>
            ctx.permissions.updateRolePrincipals(roles.platformAdmin, "remove", [{ principal_type: "group", principal_id: groups.platform }]),
        );
        // The drift a permissions tool exists to catch: privilege granted outside code. The Platform group's roles
        // are declared with PrincipalRoles, so the preview below shows this grant and `npm start` revokes it.
        await change("granted the Platform group Master Admin (cld::role::account::master_admin)", () =>
            ctx.permissions.updateRolePrincipals("cld::role::account::master_admin", "add", [{ principal_type: "group", principal_id: groups.platform }]),
        );

        console.log("\n== Drift check: pulumi preview --refresh --expect-no-changes --diff ==");
        const check = await stack.run(["preview", "--refresh", "--expect-no-changes", "--diff"]);
        process.stdout.write(check.stdout);
        process.stderr.write(check.stderr);
        if (check.code === 0) {
            console.error("The drift check found nothing: this is a bug.");
            return 1;
        }
        console.log(`\nDrift found: the check exited with code ${check.code}, as a CI gate would fail. Run \`npm start\` to repair it.`);
        return check.code;
    } finally {
        await emulator.stop();
    }
}

/** Makes one out-of-band change; running the script twice finds it already made (a 404 from the API). */
async function change(description: string, make: () => Promise<unknown>): Promise<void> {
    try {
        await make();
        console.log(`- ${description}`);
    } catch (e) {
        if (!(e instanceof CloudinaryApiError && e.status === 404)) throw e;
        console.log(`- ${description} (already so)`);
    }
}

main().then(
    (code) => process.exit(code),
    (e) => {
        console.error(e instanceof Error ? e.message : e);
        process.exit(1);
    },
);

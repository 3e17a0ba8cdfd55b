// Warnings about grants that do nothing, through the real engine: `pulumi preview` and `pulumi up` show each of
// the four under the resource that causes it, once, naming the principals; silenced by the setting; and a
// preview with no change neither warns nor reads more.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { runReview } from "../../cli/review/command";
import { EmulatorHandle, startEmulator } from "../../emulator";
import { contextFor, testEmulatorOptions } from "../../harness/emulator";
import { EffectsAccount, PROD, PROD_KEY, PRODUCTS_FOLDER, SANDBOX_FOLDER, setUpEffectsAccount, STAGING, STAGING_KEY } from "../../harness/grantEffects";
import { PulumiStack } from "../../harness/pulumi";
import { buildOnce, newStack, summary, tempProject } from "../../harness/stack";

const BOB = "u0bob000000000000000000000002";

function program(a: EffectsAccount): string {
    return `
const { CustomRole, FolderShare, RoleAssignment } = require("pulumi-cloudinary-permissions");
// A grant that does something comes first: the first resource a provider process checks has no URN in a preview.
new RoleAssignment("bob-reports", { roleId: "cld::role::prodenv::reports", principalType: "user", principalId: "${BOB}", scopeId: "${PROD}" });
new RoleAssignment("designers-media-library", { roleId: "cld::role::prodenv::ml_user", principalType: "group", principalId: "${a.designersId}", scopeId: "${PROD}" });
new RoleAssignment("integration-products", { roleId: "cld::role::folder::viewer", principalType: "apiKey", principalId: "${PROD_KEY}", scopeId: "${PROD}", policyParameters: { folderId: "${PRODUCTS_FOLDER}" } });
new CustomRole("moderators", { name: "Moderators", permissionType: "global", scopeType: "prodenv", systemPolicyIds: ["cld::policy::global::assets::moderate"] });
new RoleAssignment("staging-key-error-watch", { roleId: "${a.errorWatchId}", principalType: "apiKey", principalId: "${STAGING_KEY}", scopeId: "${STAGING}" });
// A folder role on a key whose Media Library access is declared after it: no warning.
new FolderShare("staging-key-sandbox", { cloudName: "acme-staging", folderId: "${SANDBOX_FOLDER}", principalType: "apiKey", principalId: "${STAGING_KEY}", roles: ["cld::role::folder::viewer"] });
new RoleAssignment("staging-key-uploader", { roleId: "${a.uploaderId}", principalType: "apiKey", principalId: "${STAGING_KEY}", scopeId: "${STAGING}" });
`;
}

/** The Diagnostics section: resource ("Type (name)") → its warning lines. */
function diagnostics(output: string): Map<string, string[]> {
    const blocks = new Map<string, string[]>();
    const start = output.indexOf("\nDiagnostics:\n");
    if (start < 0) return blocks;
    const section = output.slice(start, output.lastIndexOf("\nResources:\n"));
    let current = "";
    for (const line of section.split("\n")) {
        const head = /^ {2}(\S.*):$/.exec(line);
        if (head) blocks.set((current = head[1]), []);
        else if (current && /^ {4}warning: /.test(line)) blocks.get(current)!.push(line.trim().slice("warning: ".length));
    }
    return blocks;
}

const RA = "pulumi-nodejs:dynamic/cloudinary:RoleAssignment";
const EXPECTED: [string, RegExp][] = [
    [`${RA} (designers-media-library)`, /^group-member-without-environment: group Designers holds Media Library User \(cld::role::prodenv::ml_user\) in acme-prod, but Erin Contractor <erin@acme\.example> cannot enter acme-prod/],
    [`${RA} (integration-products)`, /^content-role-key-without-media-library: API key 820000000000002 holds the content role Viewer \(cld::role::folder::viewer\) on folder fproducts0000000000000000000006 in acme-prod, but no global role with Access the Media Library/],
    ["pulumi-nodejs:dynamic/cloudinary:CustomRole (moderators)", /^partial-task: custom role Moderators holds part of a task that needs several permissions: "Use Moderation tab to moderate assets" needs Access the Moderation page/],
    [`${RA} (staging-key-error-watch)`, /^console-only-role-on-key: API key 830000000000002 holds Error watch \(.*\) in acme-staging, whose permissions are all Console areas \(Access the Moderation page, View error reports\)/],
];

const STACK = "pulumi:pulumi:Stack (e2e-test)";
const CODE = /(?:^|: )(group-member-without-environment|content-role-key-without-media-library|partial-task|console-only-role-on-key): /;

/** The warning codes in the Diagnostics section, sorted. */
function codesShown(output: string): string[] {
    return [...diagnostics(output).values()].flat().flatMap((l) => CODE.exec(l)?.[1] ?? []).sort();
}

/**
 * Each of the four warnings once, under its resource, and no other warning of ours. In a preview of a new stack
 * the first resource the provider checks has no URN (engineLog.ts): its warning, if any, is the stack's, prefixed
 * with the resource it is about.
 */
function assertFourWarnings(output: string, firstWithoutUrn: boolean): void {
    const blocks = diagnostics(output);
    const onStack = (blocks.get(STACK) ?? []).filter((l) => !l.startsWith("Could not find a package.json"));
    let fallbacks = 0;
    for (const [resource, message] of EXPECTED) {
        const lines = blocks.get(resource) ?? [];
        const prefixed = onStack.filter((l) => l.startsWith(resource.split(" (")[0].replace("pulumi-nodejs:dynamic/cloudinary:", "")) && message.test(l.slice(l.indexOf(": ") + 2)));
        if (firstWithoutUrn && !lines.length && prefixed.length === 1) {
            fallbacks++;
            continue;
        }
        assert.equal(lines.length, 1, `${resource}: ${JSON.stringify(lines)}\n${output}`);
        assert.match(lines[0], message, output);
    }
    assert.ok(fallbacks <= 1, output);
    assert.equal(onStack.length, fallbacks, output);
    const others = [...blocks].filter(([resource, lines]) => lines.length && resource !== STACK && !EXPECTED.some(([r]) => r === resource));
    assert.deepEqual(others, [], output);
}

describe("end to end: warnings about grants that do nothing", function () {
    this.timeout(300_000);
    let emulator: EmulatorHandle;
    let stack: PulumiStack;

    before(async () => {
        buildOnce();
        emulator = await startEmulator(testEmulatorOptions());
        const account = await setUpEffectsAccount(emulator, contextFor(emulator));
        stack = await newStack({ projectDir: tempProject({ source: program(account) }), api: emulator });
    });
    after(async () => emulator?.stop());

    it("pulumi preview shows each of the four under its resource, once, and the setting silences them", async () => {
        await emulator.resetStats();
        const preview = await stack.preview();
        const requests = (await emulator.stats()).total;
        assertFourWarnings(preview.stdout, true);
        // The run's reads for the warnings are few, whatever the number of grants (printed for the README).
        console.log(`      preview of a new stack of 7 resources: ${requests} requests`);

        const some = await stack.run(["preview"], { CLOUDINARY_SILENCE_WARNINGS: "partial-task,console-only-role-on-key" });
        assert.equal(some.code, 0, some.stdout + some.stderr);
        assert.deepEqual(codesShown(some.stdout), ["content-role-key-without-media-library", "group-member-without-environment"], some.stdout);
        const none = await stack.run(["preview"], { CLOUDINARY_SILENCE_WARNINGS: "all" });
        assert.equal(none.code, 0, none.stdout + none.stderr);
        assert.deepEqual(codesShown(none.stdout), [], none.stdout);
    });

    it("cloudinary-permissions review lists each of the four, naming the declaration that causes it", async () => {
        const planFile = path.join(stack.options.projectDir, "plan.json");
        fs.writeFileSync(planFile, (await stack.expect(["preview", "--json"])).stdout);
        const env = {
            ...process.env,
            CLOUDINARY_API_BASE_URL: emulator.url,
            CLOUDINARY_ACCOUNT_URL: emulator.credentials.accountUrl,
            CLOUDINARY_PRODUCT_ENVIRONMENTS: JSON.stringify(emulator.credentials.productEnvironments.map((pe) => pe.cloudinaryUrl)),
        };
        const { report, output } = await runReview({ plan: planFile, format: "md", deny: [] }, env);
        const byUrn = report.warnings.map((w) => [w.code, w.urn?.split("::").pop()]).sort();
        assert.deepEqual(byUrn, [
            ["console-only-role-on-key", "staging-key-error-watch"],
            ["content-role-key-without-media-library", "integration-products"],
            ["group-member-without-environment", "designers-media-library"],
            ["partial-task", "moderators"],
        ]);
        for (const [, message] of EXPECTED) assert.ok(report.warnings.some((w) => message.test(`${w.code}: ${w.message}`)), JSON.stringify(report.warnings));
        assert.match(output, /group-member-without-environment/, "the md shows them too");
    });

    it("pulumi up shows them too, and a preview with no change neither warns nor reads more than before", async () => {
        const up = await stack.up();
        assert.deepEqual(summary(up.stdout), { created: 8 }, up.stdout);
        assertFourWarnings(up.stdout, false);
        await emulator.resetStats();
        const clean = await stack.preview(["--expect-no-changes"]);
        assert.deepEqual(codesShown(clean.stdout), [], clean.stdout);
        // The credential check alone, as before the warnings (README, How it works).
        assert.deepEqual((await emulator.stats()).byRoute, { "GET /v1_1/provisioning/accounts/:account_id/sub_accounts": 1 });
        await stack.destroy();
    });
});

// `cloudinary-permissions review` with the real engine: the command runs `pulumi preview --json` on a stack against
// the emulator and lists who gains and loses which role where, in json, md and text. GitOps (permissions.yaml),
// one change after another on one stack: a member added to a group that holds Master Admin (--deny exits 3), a
// folder grant removed (lost on the folder and below it, except where another grant still gives it; --deny of
// that role exits 0), a new custom role granted to a new group; then a TypeScript program's change. Expected
// values are written out by hand from the declarations.
import * as assert from "node:assert/strict";
import { spawn } from "node:child_process";
import * as path from "node:path";
import type { ChangeView, ReviewReport } from "../../cli/review/review";
import { EmulatorHandle, startEmulator } from "../../emulator";
import { FOLDERS, PROD, STAGING, USERS } from "../../emulator/seed";
import { contextFor, testEmulatorOptions } from "../../harness/emulator";
import { REPO_ROOT } from "../../harness/pulumi";
import { buildOnce, gitopsStack, newStack, tempProject } from "../../harness/stack";
import type { PulumiStack } from "../../harness/pulumi";

const MASTER = "cld::role::account::master_admin";
const VIEWER = "cld::role::folder::viewer";
const URN = "urn:pulumi:test::e2e::pulumi-nodejs:dynamic/cloudinary:";

const BASE = `
groups:
  platform:
    name: Platform
    memberIds: [${USERS.dave.id}]
  photo-editors:
    name: Photo editors
    memberIds: [${USERS.bob.id}, ${USERS.erin.id}]
principalRoles:
  platform-roles:
    principalType: group
    principalId: platform
    roles: [{ roleId: ${MASTER} }]
roleAssignments:
  erin-marketing:
    roleId: ${VIEWER}
    principalType: user
    principalId: ${USERS.erin.id}
    scopeId: ${PROD.id}
    policyParameters: { folderId: ${FOLDERS.marketing.id} }
  photo-editors-winter:
    roleId: ${VIEWER}
    principalType: group
    principalId: photo-editors
    scopeId: ${PROD.id}
    policyParameters: { folderId: ${FOLDERS.winter2026.id} }
`;
const WITH_BOB = BASE.replace(`memberIds: [${USERS.dave.id}]`, `memberIds: [${USERS.dave.id}, ${USERS.bob.id}]`);
const WITHOUT_ERIN_MARKETING = WITH_BOB.replace(/ {2}erin-marketing:\n(?: {4}.*\n)+/, "");
const WITH_OPS = `${WITHOUT_ERIN_MARKETING.replace("groups:\n", `groups:\n  ops:\n    name: Ops\n    memberIds: [${USERS.carol.id}]\n`)}
customRoles:
  preset-manager:
    name: Preset manager
    permissionType: global
    scopeType: prodenv
    systemPolicyIds: [cld::policy::global::upload_presets::manage]
`.replace("roleAssignments:\n", `roleAssignments:\n  ops-presets:\n    roleId: preset-manager\n    principalType: group\n    principalId: ops\n    scopeId: ${STAGING.id}\n`);

/** A change as a row: change, principal, role, place, path, declarations (by resource name). */
function rows(report: ReviewReport): string[][] {
    const place = (c: ChangeView) => (c.place.type === "folder" ? `${c.place.productEnvironment!.name}:${c.place.name}` : c.place.name);
    const via = (c: ChangeView) => [c.via?.group ? `group ${c.via.group.name}` : "", c.via?.folder ? `from ${c.via.folder.path}` : ""].filter(Boolean).join(" ") || "direct";
    return report.changes.map((c) => [c.change, c.principal.name, c.role.name, place(c), via(c), c.declarations.map((d) => d.replace(URN, "")).join(" ")]);
}

describe("end to end: review a stack's pending change", function () {
    this.timeout(600_000);
    let emulator: EmulatorHandle;
    before(async () => {
        buildOnce();
        emulator = await startEmulator(testEmulatorOptions());
    });
    afterEach(async () => emulator.reset());
    after(async () => emulator?.stop());

    /** `cloudinary-permissions review` (compiled) on the stack, with the account's credentials in the environment. */
    const review = (stack: PulumiStack, args: string[]) =>
        new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
            const env = {
                ...stack.env(),
                CLOUDINARY_API_BASE_URL: emulator.url,
                CLOUDINARY_ACCOUNT_URL: emulator.credentials.accountUrl,
                CLOUDINARY_PRODUCT_ENVIRONMENTS: JSON.stringify(emulator.credentials.productEnvironments.map((pe) => pe.cloudinaryUrl)),
            };
            const child = spawn(process.execPath, [path.join(REPO_ROOT, "bin", "cli", "index.js"), "review", "--cwd", stack.options.projectDir, "--stack", stack.options.stack, ...args], { env });
            let stdout = "";
            let stderr = "";
            child.stdout.on("data", (c) => (stdout += c));
            child.stderr.on("data", (c) => (stderr += c));
            child.on("close", (status) => resolve({ status, stdout, stderr }));
        });
    const json = async (stack: PulumiStack): Promise<ReviewReport> => {
        const { status, stdout, stderr } = await review(stack, ["--format", "json"]);
        assert.equal(status, 0, stderr);
        return JSON.parse(stdout);
    };

    it("permissions.yaml: a member added to Master Admin's group, a folder grant removed, a new role for a new group", async () => {
        const { stack, write } = await gitopsStack(emulator, BASE);
        await stack.up();
        const platformId = ((await stack.outputs()).groupIds as Record<string, string>).platform;

        // 1. Bob joins Platform, which holds Master Admin.
        write(WITH_BOB);
        const added = await json(stack);
        assert.deepEqual(rows(added), [["gain", USERS.bob.email, "Master Admin", "account", "group Platform", "Group::platform"]]);
        assert.deepEqual(added.changes[0].principal, { type: "user", id: USERS.bob.id, name: USERS.bob.email });
        assert.deepEqual(added.changes[0].via, { group: { id: platformId, name: "Platform" } });
        assert.equal(added.changes[0].roleId, MASTER);
        const md = await review(stack, ["--format", "md", "--deny", MASTER]);
        assert.equal(md.status, 3, md.stderr);
        assert.match(md.stdout, /^<!-- cloudinary-permissions-review -->\n## Cloudinary access review: 1 gain, 0 losses for 1 principal\n/);
        assert.ok(md.stdout.includes(`| **denied gain** | **Master Admin** <code>${MASTER}</code> | the account | through group Platform | <code>Group 'platform'</code> |`), md.stdout);
        assert.match(md.stderr, new RegExp(`^denied: user bob@acme\\.example gains Master Admin \\(${MASTER}\\) on the account through group Platform, declared by Group 'platform' \\(${URN}Group::platform\\)$`, "m"));
        const text = await review(stack, ["--format", "text"]);
        assert.equal(text.status, 0, text.stderr);
        assert.equal(text.stdout, `Access review of stack test (Cloudinary account emulatoracct0001): 1 gain, 0 losses for 1 principal\n\nbob@acme.example\n  + Master Admin (${MASTER}) on the account, through group Platform  [Group 'platform']\n`);
        await stack.up();

        // 2. Erin's Viewer on marketing goes: lost there and on campaigns, not on winter-2026, where Photo editors gives it.
        write(WITHOUT_ERIN_MARKETING);
        assert.deepEqual(rows(await json(stack)), [
            ["loss", USERS.erin.email, "Viewer", "acme-prod:marketing", "direct", "RoleAssignment::erin-marketing"],
            ["loss", USERS.erin.email, "Viewer", "acme-prod:marketing/campaigns", "from marketing", "RoleAssignment::erin-marketing"],
        ]);
        const lossText = await review(stack, ["--format", "text", "--deny", VIEWER]);
        assert.equal(lossText.status, 0, `only losses of the denied role: ${lossText.stderr}`);
        assert.deepEqual(lossText.stdout.split("\n").slice(2, 5), [
            USERS.erin.email,
            `  - Viewer (${VIEWER}) on acme-prod:marketing  [RoleAssignment 'erin-marketing']`,
            `  - Viewer (${VIEWER}) on acme-prod:marketing/campaigns, inherited from marketing  [RoleAssignment 'erin-marketing']`,
        ]);
        const lossMd = await review(stack, ["--format", "md"]);
        assert.ok(lossMd.stdout.includes(`| loss | **Viewer** <code>${VIEWER}</code> | acme-prod:marketing/campaigns | inherited from marketing | <code>RoleAssignment 'erin-marketing'</code> |`), lossMd.stdout);
        await stack.up();

        // 3. A new custom role, granted to a new group in staging: the group and Carol, its member, gain it.
        write(WITH_OPS);
        const created = await json(stack);
        assert.deepEqual(rows(created), [
            ["gain", USERS.carol.email, "Preset manager", "acme-staging", "group Ops", "RoleAssignment::ops-presets Group::ops"],
            ["gain", "Ops", "Preset manager", "acme-staging", "direct", "RoleAssignment::ops-presets"],
        ]);
        assert.deepEqual(created.changes[1].principal, { type: "group", id: null, name: "Ops", new: true });
        assert.deepEqual(created.changes[1].role, { id: null, name: "Preset manager", custom: true, new: true, systemPolicyIds: ["cld::policy::global::upload_presets::manage"] });
        const newMd = await review(stack, ["--format", "md", "--deny", MASTER]);
        assert.equal(newMd.status, 0, newMd.stderr);
        assert.ok(newMd.stdout.includes("### group Ops (new)\n\n| Change | Role | Where | How | Declared by |\n| --- | --- | --- | --- | --- |\n| gain | **Preset manager** (new) | acme-staging | direct | <code>RoleAssignment 'ops-presets'</code> |"), newMd.stdout);
        assert.ok(newMd.stdout.includes("- **Preset manager** (new): <code>cld::policy::global::upload_presets::manage</code>"), newMd.stdout);
        const newText = await review(stack, ["--format", "text"]);
        assert.ok(newText.stdout.includes("group Ops (new)\n  + Preset manager (new custom role) in acme-staging  [RoleAssignment 'ops-presets']\n      carries cld::policy::global::upload_presets::manage\n"), newText.stdout);
    });

    it("exclusive permissions.yaml with --refresh: a grant made in the Console is a loss by the exclusive guard", async () => {
        const { stack } = await gitopsStack(emulator, `exclusive:\n  exempt: [{ principalType: user, principalId: ${USERS.alice.id} }]\n${BASE}`);
        await stack.up(["--refresh"]);
        await contextFor(emulator).api.account.changePrincipalGrants({ principalType: "user", principalId: USERS.carol.id }, "add", [{ roleId: "cld::role::account::reports" }]);
        assert.deepEqual(rows(await json(stack)), [], "without a refresh the plan leaves the guard as it is");
        const { status, stdout, stderr } = await review(stack, ["--format", "json", "--refresh"]);
        assert.equal(status, 0, stderr);
        assert.deepEqual(rows(JSON.parse(stdout)), [["loss", USERS.carol.email, "Reports", "account", "direct", "AccountGrants::exclusive"]]);
    });

    it("a TypeScript program: a member added, a grant widened to every product environment, a folder shared", async () => {
        const program = (next: boolean) => `
const c = require("pulumi-cloudinary-permissions");
const editors = new c.Group("editors", { name: "Editors", memberIds: [${JSON.stringify(USERS.bob.id)}${next ? `, ${JSON.stringify(USERS.erin.id)}` : ""}] });
const curator = new c.CustomRole("curator", { name: "Curator", permissionType: "global", scopeType: "prodenv", systemPolicyIds: ["cld::policy::global::ml::access"] });
new c.RoleAssignment("editors-curate", { roleId: curator.roleId, principalType: "group", principalId: editors.groupId, scopeId: ${JSON.stringify(next ? "all" : PROD.id)} });
${next ? `new c.FolderShare("carol-marketing", { cloudName: "acme-prod", folderId: ${JSON.stringify(FOLDERS.marketing.id)}, principalType: "user", principalId: ${JSON.stringify(USERS.carol.id)}, roles: [${JSON.stringify(VIEWER)}] });` : ""}
`;
        const projectDir = tempProject({ source: program(false) });
        const stack = await newStack({ projectDir, api: emulator });
        await stack.up();
        const curatorId = ((await stack.exportState()).deployment.resources as { urn: string; id?: string }[]).find((r) => r.urn.endsWith("CustomRole::curator"))!.id;
        require("node:fs").writeFileSync(path.join(projectDir, "index.js"), program(true));

        const report = await json(stack);
        assert.deepEqual(rows(report), [
            ["gain", USERS.bob.email, "Curator", "acme-staging", "group Editors", "RoleAssignment::editors-curate"],
            ["gain", USERS.carol.email, "Viewer", "acme-prod:marketing", "direct", "FolderShare::carol-marketing"],
            ["gain", USERS.carol.email, "Viewer", "acme-prod:marketing/campaigns", "from marketing", "FolderShare::carol-marketing"],
            ["gain", USERS.carol.email, "Viewer", "acme-prod:marketing/campaigns/winter-2026", "from marketing", "FolderShare::carol-marketing"],
            ["gain", USERS.erin.email, "Curator", "acme-prod", "group Editors", "RoleAssignment::editors-curate Group::editors"],
            ["gain", USERS.erin.email, "Curator", "acme-staging", "group Editors", "RoleAssignment::editors-curate Group::editors"],
            ["gain", "Editors", "Curator", "acme-staging", "direct", "RoleAssignment::editors-curate"],
        ]);
        assert.deepEqual(report.changes[0].role, { id: curatorId, name: "Curator", custom: true, systemPolicyIds: ["cld::policy::global::ml::access"] });
        assert.deepEqual(report.changes[2].via, { folder: { id: FOLDERS.marketing.id, path: "marketing" } });
        assert.deepEqual(report.changes[2].place, { type: "folder", id: FOLDERS.campaigns.id, name: "marketing/campaigns", productEnvironment: { id: PROD.id, name: "acme-prod" } });

        const md = await review(stack, ["--format", "md", "--deny", MASTER]);
        assert.equal(md.status, 0, md.stderr);
        assert.ok(md.stdout.includes(`### ${USERS.erin.email}\n\n| Change | Role | Where | How | Declared by |\n| --- | --- | --- | --- | --- |\n| gain | **Curator** <code>${curatorId}</code> | acme-prod | through group Editors | <code>RoleAssignment 'editors-curate'</code> <code>Group 'editors'</code> |`), md.stdout);
        assert.ok(md.stdout.includes(`- **Curator** <code>${curatorId}</code>: <code>cld::policy::global::ml::access</code>`), md.stdout);
        const text = await review(stack, ["--format", "text", "--deny", VIEWER]);
        assert.equal(text.status, 3, "Carol gains Viewer");
        assert.ok(text.stdout.includes(`${USERS.carol.email}\n  ! DENIED gain: Viewer (${VIEWER}) on acme-prod:marketing  [FolderShare 'carol-marketing']\n`), text.stdout);
        assert.match(text.stderr, /^review: 3 denied gains of cld::role::folder::viewer$/m);
    });
});

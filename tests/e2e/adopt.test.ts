// Taking over objects that already exist, with the real engine: `adopt: true` in a declaration, and the
// resources' static get. (The engine's `import` resource option fails for dynamic resources; see the README.)
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { EmulatorHandle, startEmulator } from "../../emulator";
import { ProviderContext } from "../../provider/context";
import { contextFor, testEmulatorOptions } from "../../harness/emulator";
import { buildOnce, gitopsStack, newStack, summary, tempDir, tempProject } from "../../harness/stack";

const BOB = "u0bob000000000000000000000002";
const CAROL = "u0carol0000000000000000000003";

describe("end to end: adopting existing roles and groups", function () {
    this.timeout(180_000);
    let emulator: EmulatorHandle;
    let ctx: ProviderContext;

    before(async () => {
        emulator = await startEmulator(testEmulatorOptions());
        ctx = contextFor(emulator);
        await ctx.permissions.createRole({ id: "legacy_uploader", permission_type: "global", scope_type: "prodenv", name: "Legacy uploader", system_policy_ids: ["cld::policy::global::ml::access"] });
        const group = await ctx.provisioning.createUserGroup("Legacy team");
        await ctx.provisioning.addUserToGroup(group.id as string, CAROL);
    });
    after(async () => emulator?.stop());

    it("adopt: true takes over existing objects and converges them to the declaration", async () => {
        const { stack } = await gitopsStack(emulator, `
customRoles:
  legacy:
    name: Legacy uploader
    roleId: legacy_uploader
    description: Now managed as code.
    permissionType: global
    scopeType: prodenv
    systemPolicyIds: [cld::policy::global::ml::access, cld::policy::global::folder_and_asset_management::create_asset]
    adopt: true
groups:
  legacy-team:
    name: Legacy team
    memberIds: [${BOB}]
    adopt: true
`);
        const up = await stack.up();
        assert.deepEqual(summary(up.stdout), { created: 3 }, up.stdout);
        const role = await ctx.permissions.getRole("legacy_uploader");
        assert.equal(role.description, "Now managed as code.");
        assert.equal(role.policies?.length, 2);
        const groups = await ctx.provisioning.listUserGroups();
        assert.equal(groups.filter((g) => g.name === "Legacy team").length, 1, "no second group was created");
        const group = await ctx.provisioning.getUserGroup(groups.find((g) => g.name === "Legacy team")!.id as string);
        assert.deepEqual((group.users ?? []).map((u) => u.id), [BOB]);
        await stack.preview(["--expect-no-changes"]);
    });

    it("without adopt, a differing existing object fails the update with a message saying what to do", async () => {
        await ctx.permissions.createRole({ permission_type: "global", scope_type: "account", name: "Taken name", system_policy_ids: ["cld::policy::global::users_and_groups::manage"] });
        const { stack } = await gitopsStack(emulator, `
customRoles:
  taken:
    name: Taken name
    permissionType: global
    scopeType: account
    systemPolicyIds: [cld::policy::global::account_security::manage]
`);
        const up = await stack.run(["up", "--yes", "--skip-preview"]);
        assert.notEqual(up.code, 0);
        assert.match(up.stdout + up.stderr, /already exists and differs in systemPolicyIds\. Set adopt: true/);
    });

    it("static get reads an existing object into a program without managing it", async () => {
        buildOnce();
        const source = `
const { CustomRole } = require("pulumi-cloudinary-permissions");
const legacy = CustomRole.get("legacy", "legacy_uploader");
exports.name = legacy.name;
exports.policies = legacy.systemPolicyIds;
`;
        const stack = await newStack({ projectDir: tempProject({ source }), api: emulator });
        await stack.up();
        const outputs = await stack.outputs();
        assert.equal(outputs.name, "Legacy uploader");
        assert.equal((outputs.policies as string[]).length, 2);
        await stack.destroy();
        await ctx.permissions.getRole("legacy_uploader"); // a read resource is not deleted by destroy
    });
});

// The quickstart program (what `npm start` deploys) with the real engine: up, a clean preview, destroy.
import * as assert from "node:assert/strict";
import * as path from "node:path";
import { REPO_ROOT } from "../../harness/pulumi";
import { contextFor } from "../../harness/emulator";
import { useEmulator } from "../fixture";
import { buildOnce, newStack, summary, tempProject } from "../../harness/stack";
import { accountSnapshot } from "../../harness/account";

describe("end to end: the quickstart stack", function () {
    this.timeout(240_000);
    const fx = useEmulator();

    it("deploys, previews clean, and destroys back to the seeded account", async () => {
        buildOnce();
        const ctx = contextFor(fx.emulator);
        const seeded = await accountSnapshot(ctx);
        const stack = await newStack({ projectDir: tempProject({ compiled: path.join(REPO_ROOT, "bin", "examples", "quickstart", "index.js") }), api: fx.emulator });
        const up = await stack.up();
        assert.deepEqual(summary(up.stdout), { created: 14 }, up.stdout);
        await stack.preview(["--refresh", "--expect-no-changes"]);
        const marketing = ((await stack.outputs()).groups as Record<string, string>).marketing;
        const roles = await ctx.permissions.listPrincipalRoles("group", marketing, "content");
        assert.deepEqual(roles.map((r) => r.policy_parameters), [{ folder_id: "fcampaigns0000000000000000000002" }]);
        await stack.destroy();
        assert.equal(await accountSnapshot(ctx), seeded);
    });
});

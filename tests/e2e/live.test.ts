// The @live subset: what `npm run test:live` runs against a real Cloudinary account (see tests/e2e/live/), and
// `npm test` against an emulator of its own. Nothing here knows the emulator's seed: product environments, folders
// and ids come from the target, every name carries the run's prefix, and what is created is empty (groups without
// members), so that a grant, a share or a policy reaches no one. Each test has a stack of its own and destroys it.
import * as assert from "node:assert/strict";
import { PulumiStack } from "../../harness/pulumi";
import { gitopsStack, GitopsStack, summary } from "../../harness/stack";
import { LiveTarget, liveTarget } from "./live/target";

const POLICIES = ["cld::policy::global::ml::access", "cld::policy::global::folder_and_asset_management::view"];

describe("@live end to end on the target account: the GitOps example, drift, a custom policy, bad input", function () {
    this.timeout(600_000);
    let target: LiveTarget;
    const stacks: PulumiStack[] = [];
    before(async () => (target = await liveTarget()));
    // A failed test leaves its stack: destroy what it created (the root hooks of test:live sweep what is left).
    after(async () => {
        for (const stack of stacks.splice(0)) await stack.run(["destroy", "--yes", "--skip-preview"]);
        await target?.stop();
    });

    async function stackOf(yaml: string): Promise<GitopsStack> {
        const gitops = await gitopsStack(target.api, yaml);
        stacks.push(gitops.stack);
        return gitops;
    }

    /** Custom roles, groups and custom policies of the account whose name carries the prefix. */
    async function prefixed(): Promise<string[]> {
        const { account, policies } = target.ctx.api;
        const roles = [...(await account.listRoles("global", "custom")), ...(await account.listRoles("content", "custom"))].map((r) => r.name);
        const groups = (await account.listGroups()).map((g) => g.name);
        const custom = [...(await policies.list("account")), ...(await policies.list("prodenv", target.productEnvironmentId))].map((p) => p.name);
        return [...roles, ...groups, ...custom].filter((name) => name.startsWith(target.prefix)).sort();
    }

    function file(policies: string[]): string {
        const { prefix, folder, productEnvironmentId } = target;
        return `
groups:
  editors:
    name: ${prefix}editors
customRoles:
  curator:
    name: ${prefix}curator
    permissionType: global
    scopeType: prodenv
    systemPolicyIds: [${policies.join(", ")}]
roleAssignments:
  editors-curate:
    roleId: curator
    principalType: group
    principalId: editors
    scopeId: ${productEnvironmentId}
folderShares:
  editors-folder:
    cloudName: ${folder.cloudName}
    folderId: ${folder.folderId}
    principalType: group
    principalId: editors
    roles: [cld::role::folder::viewer]
`;
    }

    it("@live lifecycle: up from empty, a clean second preview, an update in place, drift found and repaired, destroy", async () => {
        const { stack, write } = await stackOf(file(POLICIES.slice(0, 1)));
        assert.deepEqual(summary((await stack.up()).stdout), { created: 5 }, "the stack, a group, a role, a grant and a share");
        await stack.preview(["--expect-no-changes"]);

        write(file(POLICIES));
        assert.deepEqual(summary((await stack.up()).stdout), { updated: 1, unchanged: 4 });
        const { roleIds, groupIds } = (await stack.outputs()) as { roleIds: Record<string, string>; groupIds: Record<string, string> };
        const role = await target.ctx.api.account.getRole(roleIds.curator);
        assert.deepEqual([...(role?.systemPolicyIds ?? [])].sort(), [...POLICIES].sort());

        // The grant revoked behind Pulumi's back: the drift check fails, the next up repairs it.
        const grant = { principalType: "group" as const, principalId: groupIds.editors, scopeId: target.productEnvironmentId };
        await target.ctx.api.account.changeHolders(roleIds.curator, "remove", [grant]);
        const drift = await stack.run(["preview", "--refresh", "--expect-no-changes", "--diff"]);
        assert.notEqual(drift.code, 0, "the drift check must fail");
        assert.match(drift.stdout, /editors-curate/);
        await stack.up(["--refresh"]);
        await stack.preview(["--refresh", "--expect-no-changes"]);

        assert.deepEqual(summary((await stack.destroy()).stdout), { deleted: 5 });
        stacks.splice(stacks.indexOf(stack), 1);
        assert.deepEqual(await prefixed(), [], "destroy leaves nothing named with the prefix");
    });

    it("@live a custom policy: created for a group of the stack, its statement updated in place, destroyed", async () => {
        const { prefix, folder, productEnvironmentId } = target;
        const group = `groups:\n  readers:\n    name: ${prefix}readers\n`;
        const { stack, write } = await stackOf(group);
        await stack.up();
        const { groupIds } = (await stack.outputs()) as { groupIds: Record<string, string> };
        const statement = (action: string) =>
            [`permit(`, `  principal in Cloudinary::Group::"${groupIds.readers}",`, `  action == Cloudinary::Action::"${action}",`, `  resource is Cloudinary::Folder`, `) when { resource.ancestor_ids.contains("${folder.folderId}") };`]
                .map((line) => `      ${line}`)
                .join("\n");
        const policy = (action: string) => `${group}customPolicies:\n  readers-folder:\n    name: ${prefix}readers-folder\n    scopeType: prodenv\n    scopeId: ${productEnvironmentId}\n    policyStatement: |\n${statement(action)}\n`;

        write(policy("read"));
        assert.deepEqual(summary((await stack.up()).stdout), { created: 1, unchanged: 2 });
        const { policyIds } = (await stack.outputs()) as { policyIds: Record<string, string> };
        await stack.preview(["--expect-no-changes"]);

        write(policy("update"));
        assert.deepEqual(summary((await stack.up()).stdout), { updated: 1, unchanged: 2 });
        const live = await target.ctx.api.policies.get(policyIds["readers-folder"]);
        assert.match(live?.policyStatement ?? "", /Cloudinary::Action::"update"/, "the same policy, with the new statement");

        await stack.destroy();
        stacks.splice(stacks.indexOf(stack), 1);
        assert.deepEqual(await prefixed(), []);
    });

    it("@live bad input: an unknown system policy fails the preview, naming the field and the closest id, and nothing is created", async () => {
        const { stack } = await stackOf(file(["cld::policy::global::ml::acess"]));
        const preview = await stack.run(["preview"]);
        const output = `${preview.stdout}\n${preview.stderr}`;
        assert.notEqual(preview.code, 0, output);
        assert.match(output, /systemPolicyIds/);
        assert.match(output, /did you mean 'cld::policy::global::ml::access'/);
        assert.deepEqual(await prefixed(), []);
    });
});

// CustomPolicy with the real engine: its lifecycle from permissions.yaml (create, no-op preview, update in place,
// drift, get, destroy), and the bad-Cedar catalogue: each bad statement fails `pulumi preview`, naming the line and
// column inside the statement, with zero writes. Each test runs on a stack of its own (a copy of one initialized
// stack) and on the seeded account.
import * as assert from "node:assert/strict";
import { EmulatorHandle, startEmulator } from "../../emulator";
import { FOLDERS, PROD, USERS } from "../../emulator/seed";
import { contextFor, testEmulatorOptions } from "../../harness/emulator";
import { gitopsStack, newStack, StackSnapshot, summary, tempProject } from "../../harness/stack";

const STATEMENT = [
    "permit(",
    `  principal == Cloudinary::User::"${USERS.carol.id}",`,
    '  action == Cloudinary::Action::"read",',
    "  resource is Cloudinary::Folder",
    `) when { resource.ancestor_ids.contains("${FOLDERS.products.id}") };`,
].join("\n");

function file(statement: string, extra = ""): string {
    const indented = statement.split("\n").map((l) => `      ${l}`).join("\n");
    return `customPolicies:\n  carol-products:\n    name: Carol reads products\n    scopeType: prodenv\n    scopeId: ${PROD.id}\n${extra}    policyStatement: |\n${indented}\n`;
}

/** [name, the statement's text replaced, by, expected in the preview's output] */
const CATALOGUE: [string, string, string, RegExp][] = [
    ["'=' for '=='", 'action == Cloudinary::Action::"read"', 'action = Cloudinary::Action::"read"', /line 3, column 3 of the statement: '=' is not a valid operator in Cedar; try using '==' instead/],
    ["a missing ';'", '") };', '") }', /line 5, column \d+ of the statement: unexpected end of input/],
    ["a missing ','", '"read",', '"read"', /line 4, column 3 of the statement: unexpected token `resource`/],
    ["a misspelt effect", "permit(", "permitt(", /line 1, column 1 of the statement: .*permitt/],
    ["an unclosed condition", '") };', '") ;', /line 5, column \d+ of the statement: unexpected token `;`/],
    ["a misspelt action", '"read"', '"raed"', /line 3, column 13 of the statement: unrecognized action `Cloudinary::Action::"raed"`; did you mean `Cloudinary::Action::"read"`\?/],
    ["a misspelt resource type", "Cloudinary::Folder\n", "Cloudinary::Foldr\n", /line 4, column 15 of the statement: unrecognized entity type `Cloudinary::Foldr`; did you mean `Cloudinary::Folder`\?/],
    ["a misspelt principal type", "Cloudinary::User::", "Cloudinary::Usr::", /line 2, column 16 of the statement: unrecognized entity type `Cloudinary::Usr`; did you mean `Cloudinary::User`\?/],
    ["a misspelt attribute", "ancestor_ids", "ancestor_idz", /line 5, column 10 of the statement: attribute `ancestor_idz` on entity type `Cloudinary::Folder` not found; did you mean `ancestor_ids`\?/],
    ["a type error in the condition", `resource.ancestor_ids.contains("${FOLDERS.products.id}")`, "resource.name == 42", /line 5, column 10 of the statement: the types Long and String are not compatible/],
    ["an action that never applies to the resource", '"read"', '"moderate"', /line 1, column 1 of the statement: unable to find an applicable action given the policy scope constraints/],
    ["an optional context attribute read without `has`", `resource.ancestor_ids.contains("${FOLDERS.products.id}")`, 'context.direction == "up"', /line 5, column 10 of the statement: unable to guarantee safety of access to optional attribute `direction` in context for Cloudinary::Action::"read"|line 5, column 10 of the statement: .*direction/],
    ["an unknown user", USERS.carol.id, "u0nobody00000000000000000000099", /line 2, column 16 of the statement: 'u0nobody00000000000000000000099' is not a user of this account/],
    ["an unknown folder", FOLDERS.products.id, "fnotafolder000000000000000000099", /line 5, column 19 of the statement: no folder with external id 'fnotafolder000000000000000000099' in acme-prod/],
];

describe("end to end: CustomPolicy (Cedar) with the real engine", function () {
    this.timeout(600_000);
    let emulator: EmulatorHandle;
    /** The example's stack with the statement in its file, initialized and never run. */
    let initialized: StackSnapshot;
    before(async () => {
        emulator = await startEmulator(testEmulatorOptions());
        initialized = StackSnapshot.of((await gitopsStack(emulator, file(STATEMENT))).stack);
    });
    beforeEach(() => emulator.reset());
    after(async () => emulator?.stop());

    describe("bad-Cedar catalogue: each fails the preview at the statement's line and column, with zero writes", () => {
        it("has at least 12 distinct cases, and the statement they start from previews cleanly", async () => {
            assert.ok(CATALOGUE.length >= 12, `${CATALOGUE.length} cases`);
            for (const [name, from] of CATALOGUE) assert.ok(STATEMENT.includes(from), name);
            await initialized.copy().preview();
        });
        for (const [name, from, to, expected] of CATALOGUE) {
            it(name, async () => {
                const gitops = initialized.gitops();
                gitops.write(file(STATEMENT.replace(from, to)));
                const result = await gitops.stack.run(["preview"]);
                const output = `${result.stdout}\n${result.stderr}`;
                assert.notEqual(result.code, 0, `the preview passed:\n${output}`);
                assert.match(output, /policyStatement/);
                assert.match(output, expected);
                assert.equal((await emulator.stats()).writes, 0, "nothing may be written");
            });
        }
    });

    it("lifecycle: create, no-op preview, statement updated in place, drift found and repaired, get, destroy", async () => {
        const ctx = contextFor(emulator);
        const gitops = initialized.gitops();
        assert.deepEqual(summary((await gitops.stack.up()).stdout), { created: 2 }, "the stack and the policy");
        const [live] = await ctx.api.policies.list("prodenv", PROD.id);
        assert.equal(live.policyStatement.trim(), STATEMENT);
        await gitops.stack.preview(["--expect-no-changes"]);

        gitops.write(file(STATEMENT.replace('"read"', '"update"')));
        assert.deepEqual(summary((await gitops.stack.up()).stdout), { updated: 1, unchanged: 1 });
        assert.equal((await ctx.api.policies.get(live.id))?.policyStatement.includes('"update"'), true, "same policy, new statement");

        // Disabled behind Pulumi's back: the drift check fails, the next up repairs it.
        await ctx.api.policies.update(live.id, { ...(await ctx.api.policies.get(live.id))!, policyStatement: STATEMENT, enabled: false });
        const drift = await gitops.stack.run(["preview", "--refresh", "--expect-no-changes"]);
        assert.notEqual(drift.code, 0);
        assert.match(drift.stdout, /CustomPolicy carol-products replace/);
        await gitops.stack.up(["--refresh"]);
        const [repaired] = await ctx.api.policies.list("prodenv", PROD.id);
        assert.equal(repaired.enabled, true);
        assert.match(repaired.policyStatement, /"update"/);

        const reader = await newStack({
            projectDir: tempProject({ source: `const { CustomPolicy } = require("pulumi-cloudinary-permissions");\nexports.name = CustomPolicy.get("p", "${repaired.id}").name;\n` }),
            api: emulator,
        });
        await reader.up();
        assert.equal((await reader.outputs()).name, "Carol reads products");
        await reader.destroy();

        await gitops.stack.destroy();
        assert.deepEqual(await ctx.api.policies.list("prodenv", PROD.id), []);
    });
});

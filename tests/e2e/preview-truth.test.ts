// Preview and up tell the truth, with the real engine: a principal created in the same run is found by the
// checks that run after it (a cache filled earlier is not the last word), and missing, refused or unreachable
// credentials fail the preview at once, with a message that names the setting, and nothing written.
import * as assert from "node:assert/strict";
import { latencyScenario } from "../../bench/chaos";
import { credentials } from "../../emulator";
import { contextFor } from "../../harness/emulator";
import { buildOnce, newStack, summary, tempProject } from "../../harness/stack";
import { useEmulator } from "../fixture";

const PROD = "pe0prod000000000000000000000001";
const DAVE = "u0dave00000000000000000000004";

/** A CustomRole, a Group and a RoleAssignment between them, and a FolderShare on acme-prod: never applied. */
const SMALL_PROGRAM = `
const { CustomRole, FolderShare, Group, RoleAssignment } = require("pulumi-cloudinary-permissions");
const role = new CustomRole("curator", { name: "Curator", permissionType: "global", scopeType: "prodenv", systemPolicyIds: ["cld::policy::global::ml::access"] });
const group = new Group("editors", { name: "Editors" });
new RoleAssignment("editors-curate", { roleId: role.roleId, principalType: "group", principalId: group.groupId, scopeId: "${PROD}" });
new FolderShare("dave-products", { cloudName: "acme-prod", folderId: "fproducts0000000000000000000006", principalType: "user", principalId: "${DAVE}", roles: ["cld::role::folder::viewer"] });
`;

describe("preview and up tell the truth", function () {
    this.timeout(300_000);
    const fx = useEmulator();
    before(() => buildOnce());

    it("a group created in the run is found by the check of an assignment to it, after the groups were listed", async () => {
        const ctx = contextFor(fx.emulator);
        const existing = await ctx.provisioning.createUserGroup("Existing");
        // Every resource type is in use before `early` lists the groups; `team` is created after that listing,
        // and `late` is checked again by the engine once team.groupId resolves.
        const program = `
const { Group, RoleAssignment } = require("pulumi-cloudinary-permissions");
const first = new Group("first", { name: "First" });
const early = new RoleAssignment("early", { roleId: "cld::role::prodenv::reports", principalType: "group", principalId: "${existing.id}", scopeId: "all" }, { dependsOn: [first] });
const team = new Group("team", { name: "Team" }, { dependsOn: [early] });
new RoleAssignment("late", { roleId: "cld::role::prodenv::reports", principalType: "group", principalId: team.groupId, scopeId: "all" });
`;
        const stack = await newStack({ projectDir: tempProject({ source: program }), api: fx.emulator });
        const result = await stack.run(["up", "--yes", "--skip-preview"]);
        assert.equal(result.code, 0, `${result.stdout}\n${result.stderr}`);
        assert.deepEqual(summary(result.stdout), { created: 5 });
        await stack.preview(["--refresh", "--expect-no-changes"]);
    });

    it("up of a stack whose every principal and role comes from the program succeeds under 0-120 ms of random latency, and the next preview is empty", async () => {
        const report = await latencyScenario(fx.emulator, 200, 5);
        assert.match(report[0].outcome, /"created":201/);
        assert.equal(report[1].outcome, "no changes");
    });

    describe("credentials and reachability, at preview", () => {
        // How soon an unreachable address fails (two quick retries, whatever the backoff) is tested on a fake clock in
        // tests/provider/api/http.test.ts; here, that the preview says what to fix.
        const cases: { name: string; config?: Record<string, { value: string; secret?: boolean }>; env?: Record<string, string>; expected: RegExp[] }[] = [
            {
                name: "no account credentials",
                config: { "cloudinary:accountUrl": { value: "" } },
                env: { CLOUDINARY_ACCOUNT_URL: "" },
                expected: [/account credentials are not configured/, /pulumi config set --secret cloudinary:accountUrl account:\/\/API_KEY:API_SECRET@ACCOUNT_ID/, /CLOUDINARY_ACCOUNT_URL/],
            },
            {
                name: "a wrong account secret",
                config: { "cloudinary:accountUrl": { value: `account://${credentials.accountApiKey}:wrong-secret-xyz@${credentials.accountId}`, secret: true } },
                expected: [/Cloudinary refused the account credentials \(account \S+, API key \d+, from cloudinary:accountUrl\): 401/, /Fix the key, secret and account id in stack config cloudinary:accountUrl/],
            },
            {
                name: "a wrong Admin API secret for the FolderShare's product environment",
                config: { "cloudinary:productEnvironments": { value: JSON.stringify({ "acme-prod": { apiKey: credentials.productEnvironments[0].apiKey, apiSecret: "wrong-secret-xyz" } }), secret: true } },
                expected: [/Cloudinary refused the Admin API credentials of product environment 'acme-prod' \(API key \d+, from cloudinary:productEnvironments\): 401/, /Fix the key and secret for 'acme-prod'/],
            },
            {
                name: "an unreachable base URL",
                config: { "cloudinary:apiBaseUrl": { value: "http://127.0.0.1:1" } },
                expected: [/Cannot reach the Cloudinary API at http:\/\/127\.0\.0\.1:1 \(ECONNREFUSED/, /the URL comes from cloudinary:apiBaseUrl: fix cloudinary:apiBaseUrl, or unset it/],
            },
            {
                name: "a malformed CLOUDINARY_ACCOUNT_URL",
                config: { "cloudinary:accountUrl": { value: "" } },
                env: { CLOUDINARY_ACCOUNT_URL: "account://only-a-key@acct" },
                expected: [/cloudinary:accountUrl \(or CLOUDINARY_ACCOUNT_URL\) is not a valid account URL/, /expected account:\/\/API_KEY:API_SECRET@ACCOUNT_ID/],
            },
        ];
        for (const c of cases) {
            it(`${c.name}: the preview fails with a plain message naming the setting, and writes nothing`, async () => {
                const stack = await newStack({ projectDir: tempProject({ source: SMALL_PROGRAM }), api: fx.emulator, config: c.config, env: c.env });
                fx.emulator.resetStats();
                const result = await stack.run(["preview"]);
                const output = `${result.stdout}\n${result.stderr}`;
                assert.notEqual(result.code, 0, output);
                for (const pattern of c.expected) assert.match(output, pattern);
                assert.doesNotMatch(output, /wrong-secret-xyz|node_modules|\n\s+at /, "no secret and no stack trace");
                assert.equal((await fx.emulator.stats()).writes, 0);
                console.log(`      ${c.name}: ${result.ms} ms; ${output.match(/has a problem: ([^\n]*)/)?.[1] ?? "(no message)"}`);
            });
        }
    });
});

describe("declaration conflicts through outputs, with the real engine", function () {
    this.timeout(120_000);
    const fx = useEmulator();
    before(() => buildOnce());

    it("refuses, before creating it, a RoleAssignment to a group that a PrincipalRoles owns when both name it through groupId", async () => {
        const program = `
const { Group, PrincipalRoles, RoleAssignment } = require("pulumi-cloudinary-permissions");
const team = new Group("team", { name: "Team" });
new PrincipalRoles("team-roles", { principalType: "group", principalId: team.groupId, roles: [{ roleId: "cld::role::prodenv::reports", scopeId: "all" }] });
new RoleAssignment("team-ml", { roleId: "cld::role::prodenv::ml_user", principalType: "group", principalId: team.groupId, scopeId: "all" });
`;
        const stack = await newStack({ projectDir: tempProject({ source: program }), api: fx.emulator });
        const preview = await stack.run(["preview"]);
        assert.equal(preview.code, 0, "the program cannot compare the groupId outputs at preview");
        const up = await stack.run(["up", "--yes", "--skip-preview"]);
        assert.notEqual(up.code, 0);
        assert.match(up.stdout, /is authoritative for every grant of principal group [0-9a-f]+, and (RoleAssignment|PrincipalRoles) '[^']+' also grants to it/);
        const ctx = contextFor(fx.emulator);
        const groupGrants = [...(await ctx.api.account.holders("cld::role::prodenv::reports")), ...(await ctx.api.account.holders("cld::role::prodenv::ml_user"))].filter((h) => h.principalType === "group");
        assert.ok(groupGrants.length <= 1, `only the declaration checked first may have been granted: ${JSON.stringify(groupGrants)}`);
    });
});

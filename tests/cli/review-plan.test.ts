// Reading `pulumi preview --json`: the fixtures are real outputs of the engine (3.248) on stacks against the
// emulator, trimmed of each state's stackTrace and sourcePosition (local paths) and nothing else:
//   review-preview-gitops.json: the GitOps program after permissions.yaml added Bob to Platform, a new group Ops
//     granted a new custom role "Preset manager" in all product environments, and removed a folder share;
//   review-preview-program.json: a TypeScript program that renamed a custom role, moved a grant to staging (a
//     replacement) and added a PrincipalRoles naming two new custom roles and an existing one.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { declarationsOf, AccountListings } from "../../cli/review/declarations";
import { policyChanges } from "../../cli/review/policies";
import { placeholderId } from "../../cli/review/model";
import { declarationLabel, parsePlan, PlanError, typeOfUrn, UNKNOWN } from "../../cli/review/plan";

const fixture = (name: string) => fs.readFileSync(path.join(__dirname, "fixtures", name), "utf8");
const URN = "urn:pulumi:test::e2e::pulumi-nodejs:dynamic/cloudinary:";

/** A directory of the emulator's seeded account, written out by hand. */
function seededDirectory(folders: Record<string, string> = {}): AccountListings {
    return {
        users: new Map([
            ["u0bob000000000000000000000002", { id: "u0bob000000000000000000000002", name: "Bob Designer", email: "bob@acme.example" }],
            ["u0carol0000000000000000000003", { id: "u0carol0000000000000000000003", name: "Carol Marketer", email: "carol@acme.example" }],
        ]),
        groups: new Map([["g-platform", { id: "g-platform", name: "Platform", memberIds: [] }]]),
        productEnvironments: new Map([
            ["pe0prod000000000000000000000001", { id: "pe0prod000000000000000000000001", cloudName: "acme-prod" }],
            ["pe0stag000000000000000000000002", { id: "pe0stag000000000000000000000002", cloudName: "acme-staging" }],
        ]),
        roles: new Map([["cld::role::prodenv::reports", { id: "cld::role::prodenv::reports", name: "Reports", custom: false }]]),
        folderId: async (_pe, idOrPath) => folders[idOrPath] ?? idOrPath,
    };
}

describe("review: reading pulumi preview --json", () => {
    it("keeps this package's changed resources with both sides, their ids, inputs (no __provider) and dependencies", () => {
        const plan = parsePlan(fixture("review-preview-gitops.json"));
        assert.deepEqual(
            plan.resources.map((r) => [r.kind, r.name, r.op, Boolean(r.before), Boolean(r.after)]),
            [
                ["Group", "ops", "create", false, true],
                ["Group", "platform", "update", true, true],
                ["CustomRole", "preset-manager", "create", false, true],
                ["RoleAssignment", "ops-presets", "create", false, true],
                ["FolderShare", "staging-key-sandbox", "delete", true, false],
            ],
        );
        assert.deepEqual(plan.others, []);
        const platform = plan.resources[1];
        assert.equal(platform.before!.id, "66fbaba52017280f49bd8e113024907e");
        assert.deepEqual(platform.before!.inputs, { memberIds: ["u0dave00000000000000000000004"], name: "Platform" });
        assert.deepEqual(platform.after!.inputs, { memberIds: ["u0dave00000000000000000000004", "u0bob000000000000000000000002"], name: "Platform" });
        const grant = plan.resources[3];
        assert.deepEqual(grant.after!.inputs, { principalId: UNKNOWN, principalType: "group", roleId: UNKNOWN, scopeId: "all" });
        assert.deepEqual(grant.after!.dependencies, { principalId: [`${URN}Group::ops`], roleId: [`${URN}CustomRole::preset-manager`] });
        assert.deepEqual(plan.resources[4].before!.inputs.roles, ["cld::role::folder::contributor"]);
    });

    it("reads a replacement as one resource with both sides, and keeps the order of a list's dependencies", () => {
        const plan = parsePlan(fixture("review-preview-program.json"));
        const ra = plan.resources.find((r) => r.name === "ra")!;
        assert.equal(ra.op, "replace");
        assert.equal(ra.before!.inputs.scopeId, "pe0prod000000000000000000000001");
        assert.equal(ra.after!.inputs.scopeId, "pe0stag000000000000000000000002");
        const carol = plan.resources.find((r) => r.kind === "PrincipalRoles")!;
        assert.deepEqual(carol.after!.dependencies.roles, [`${URN}CustomRole::role-z`, `${URN}CustomRole::role-a`, `${URN}CustomRole::role-b`]);
    });

    it("takes a replacement's two halves together, leaves retained deletes and other providers' resources out", () => {
        const state = (type: string, inputs: object, extra: object = {}) => ({ type: `pulumi-nodejs:dynamic/cloudinary:${type}`, inputs: { __provider: "shim", ...inputs }, ...extra });
        const plan = parsePlan(
            JSON.stringify({
                steps: [
                    { op: "create-replacement", urn: `${URN}RoleAssignment::a`, newState: state("RoleAssignment", { roleId: "r2" }) },
                    { op: "delete-replaced", urn: `${URN}RoleAssignment::a`, oldState: state("RoleAssignment", { roleId: "r1" }, { id: "x" }) },
                    { op: "delete", urn: `${URN}Group::kept`, oldState: state("Group", { name: "Kept" }, { retainOnDelete: true }) },
                    { op: "create", urn: "urn:pulumi:test::e2e::my:component$aws:s3/bucket:Bucket::b", newState: { type: "aws:s3/bucket:Bucket", inputs: {} } },
                    { op: "same", urn: `${URN}Group::same`, oldState: state("Group", {}), newState: state("Group", {}) },
                ],
            }),
        );
        assert.deepEqual(plan.resources.map((r) => [r.name, r.op, r.before?.inputs, r.after?.inputs]), [["a", "replace", { roleId: "r1" }, { roleId: "r2" }]]);
        assert.deepEqual(plan.others, [{ urn: "urn:pulumi:test::e2e::my:component$aws:s3/bucket:Bucket::b", op: "create" }]);
        assert.equal(typeOfUrn("urn:pulumi:s::p::my:component$pulumi-nodejs:dynamic/cloudinary:Group::g"), "pulumi-nodejs:dynamic/cloudinary:Group");
        assert.equal(declarationLabel(`${URN}FolderShare::web-team-products`), "FolderShare 'web-team-products'");
    });

    it("refuses what is not a preview, saying what it expected", () => {
        assert.throws(() => parsePlan("Previewing update (dev):", "plan.json"), (e: Error) => e instanceof PlanError && /plan\.json is not JSON .*pulumi preview --json/.test(e.message));
        assert.throws(() => parsePlan("{}", "plan.json"), /plan\.json has no "steps" list/);
    });
});

describe("review: what a plan's resources declare", () => {
    it("links unknown ids to the group and role the plan creates, and maps names to ids", async () => {
        const plan = parsePlan(fixture("review-preview-gitops.json"));
        const { declared, unresolved } = await declarationsOf(plan.resources, seededDirectory());
        assert.deepEqual(unresolved, []);
        const ops = placeholderId(`${URN}Group::ops`);
        const role = placeholderId(`${URN}CustomRole::preset-manager`);
        assert.deepEqual(declared[0].after, { type: "group", group: { id: ops, name: "Ops", createdBy: `${URN}Group::ops` }, memberIds: ["u0carol0000000000000000000003"] });
        // Platform exists: the update keeps its id.
        assert.deepEqual(declared[1].after, { type: "group", group: { id: "66fbaba52017280f49bd8e113024907e", name: "Platform" }, memberIds: ["u0dave00000000000000000000004", "u0bob000000000000000000000002"] });
        assert.deepEqual(declared[2].after, { type: "role", role: { id: role, name: "Preset manager", custom: true, permissionType: "global", scopeType: "prodenv", systemPolicyIds: ["cld::policy::global::upload_presets::manage"], createdBy: `${URN}CustomRole::preset-manager` } });
        assert.deepEqual(declared[3].after, { type: "grants", grants: [{ roleId: role, principalType: "group", principalId: ops, scopeId: "all" }] });
        assert.deepEqual(declared[4].before, {
            type: "folderRoles",
            principal: { principalType: "apiKey", principalId: "830000000000002" },
            scopeId: "pe0stag000000000000000000000002",
            folderId: "fsandbox00000000000000000000007",
            roleIds: ["cld::role::folder::contributor"],
        });
    });

    it("maps a list's unknown role ids in the order of its dependencies, skipping the ones known", async () => {
        const plan = parsePlan(fixture("review-preview-program.json"));
        const { declared, unresolved } = await declarationsOf(plan.resources, seededDirectory());
        assert.deepEqual(unresolved, []);
        const carol = declared.find((d) => d.resource.kind === "PrincipalRoles")!.after;
        assert.deepEqual(carol, {
            type: "principalRoles",
            principal: { principalType: "user", principalId: "u0carol0000000000000000000003" },
            grants: [
                { roleId: placeholderId(`${URN}CustomRole::role-z`), principalType: "user", principalId: "u0carol0000000000000000000003", scopeId: "all" },
                { roleId: "role_a_618d1de5", principalType: "user", principalId: "u0carol0000000000000000000003", scopeId: "pe0prod000000000000000000000001" },
                { roleId: placeholderId(`${URN}CustomRole::role-b`), principalType: "user", principalId: "u0carol0000000000000000000003", scopeId: "pe0stag000000000000000000000002" },
            ],
        });
        // The renamed role keeps its id.
        assert.deepEqual(declared.find((d) => d.resource.name === "role-a")!.after, { type: "role", role: { id: "role_a_618d1de5", name: "Role A v2", custom: true, permissionType: "global", scopeType: "prodenv", systemPolicyIds: ["cld::policy::global::ml::access"] } });
    });

    it("accepts emails, group names, cloud names and folder paths; reports what it cannot trace", async () => {
        const side = (inputs: object, dependencies: Record<string, string[]> = {}) => ({ inputs: inputs as Record<string, unknown>, dependencies });
        const resources = [
            { urn: `${URN}RoleAssignment::by-name`, kind: "RoleAssignment" as const, name: "by-name", op: "create", after: side({ roleId: "cld::role::folder::viewer", principalType: "user", principalId: "Bob@acme.example", scopeId: "acme-prod", policyParameters: { folderId: "marketing/campaigns" } }) },
            { urn: `${URN}RoleAssignment::group-name`, kind: "RoleAssignment" as const, name: "group-name", op: "create", after: side({ roleId: "cld::role::prodenv::reports", principalType: "group", principalId: "Platform", scopeId: "all" }) },
            { urn: `${URN}RoleAssignment::lost`, kind: "RoleAssignment" as const, name: "lost", op: "create", after: side({ roleId: UNKNOWN, principalType: "user", principalId: "nobody@acme.example" }, { roleId: [`${URN}CustomRole::elsewhere`] }) },
            {
                urn: `${URN}RolePrincipals::reports`,
                kind: "RolePrincipals" as const,
                name: "reports",
                op: "create",
                after: side({ roleId: "cld::role::prodenv::reports", principals: [{ principalType: "user", principalId: "carol@acme.example", scopeId: "acme-staging" }, { principalType: "group", principalId: "Platform", scopeId: "all" }] }),
            },
            { urn: `${URN}AccountGrants::exclusive`, kind: "AccountGrants" as const, name: "exclusive", op: "update", after: side({ declared: [{ roleId: "cld::role::prodenv::reports", principalType: "user", principalId: "bob@acme.example", cloudName: "acme-prod" }], exempt: [{ principalType: "user", principalId: "carol@acme.example" }] }) },
        ];
        const { declared, unresolved } = await declarationsOf(resources, seededDirectory({ "marketing/campaigns": "fcampaigns0000000000000000000002" }));
        assert.deepEqual(declared[0].after, { type: "grants", grants: [{ roleId: "cld::role::folder::viewer", principalType: "user", principalId: "u0bob000000000000000000000002", scopeId: "pe0prod000000000000000000000001", policyParameters: { folderId: "fcampaigns0000000000000000000002" } }] });
        assert.deepEqual(declared[1].after, { type: "grants", grants: [{ roleId: "cld::role::prodenv::reports", principalType: "group", principalId: "g-platform", scopeId: "all" }] });
        assert.deepEqual(declared[2].after, { type: "grants", grants: [] });
        assert.deepEqual(declared[3].after, {
            type: "rolePrincipals",
            roleId: "cld::role::prodenv::reports",
            grants: [
                { roleId: "cld::role::prodenv::reports", principalType: "user", principalId: "u0carol0000000000000000000003", scopeId: "pe0stag000000000000000000000002" },
                { roleId: "cld::role::prodenv::reports", principalType: "group", principalId: "g-platform", scopeId: "all" },
            ],
        });
        assert.deepEqual(declared[4].after, {
            type: "exclusive",
            declared: [{ roleId: "cld::role::prodenv::reports", principalType: "user", principalId: "u0bob000000000000000000000002", scopeId: "pe0prod000000000000000000000001" }],
            exempt: [{ principalType: "user", principalId: "u0carol0000000000000000000003" }],
        });
        assert.deepEqual(
            unresolved.map((u) => [u.urn, u.property]),
            [
                [`${URN}RoleAssignment::lost`, "roleId"],
                [`${URN}RoleAssignment::lost`, "principalId"],
            ],
        );
        assert.match(unresolved[0].reason, /unknown at preview and not traceable to one CustomRole of this plan/);
        assert.equal(unresolved[1].reason, "no user with email nobody@acme.example in the account");
    });
});

describe("review: custom policies in a plan", () => {
    const statement = (principal: string) => `permit(principal${principal}, action == Cloudinary::Action::"read", resource is Cloudinary::Folder);`;
    const policy = (name: string, op: string, before?: object, after?: object, id?: string) => ({
        urn: `${URN}CustomPolicy::${name}`,
        kind: "CustomPolicy" as const,
        name,
        op,
        ...(before ? { before: { inputs: before as Record<string, unknown>, dependencies: {}, ...(id ? { id } : {}) } } : {}),
        ...(after ? { after: { inputs: after as Record<string, unknown>, dependencies: {} } } : {}),
    });
    const carol = { name: "Carol reads", scopeType: "prodenv", scopeId: "pe0prod000000000000000000000001", policyStatement: statement(' == Cloudinary::User::"u0carol0000000000000000000003"') };

    it("lists policies added, removed and changed with whom they name; a disabled one or an unchanged statement is no change", () => {
        const changes = policyChanges(
            [
                policy("carol", "create", undefined, carol),
                policy("platform", "delete", { name: "Platform reads", scopeType: "account", policyStatement: statement(' in Cloudinary::Group::"g-platform"') }, undefined, "p1"),
                policy("everyone", "update", { name: "All", scopeType: "prodenv", scopeId: "all", policyStatement: statement("") }, { name: "All", scopeType: "prodenv", scopeId: "all", policyStatement: statement(" is Cloudinary::APIKey") }, "p2"),
                policy("off", "create", undefined, { ...carol, enabled: false }),
                policy("renamed", "update", carol, { ...carol, name: "Carol reads folders" }, "p3"),
            ],
            seededDirectory(),
            "acct",
        );
        assert.deepEqual(changes, [
            { change: "added", id: null, name: "Carol reads", place: { type: "productEnvironment", id: "pe0prod000000000000000000000001", name: "acme-prod" }, appliesTo: ["user carol@acme.example"], declaration: `${URN}CustomPolicy::carol` },
            { change: "removed", id: "p1", name: "Platform reads", place: { type: "account", id: "acct", name: "account" }, appliesTo: ["group Platform"], declaration: `${URN}CustomPolicy::platform` },
            { change: "changed", id: "p2", name: "All", place: { type: "productEnvironment", id: "all", name: "all product environments" }, appliesTo: ["every APIKey"], declaration: `${URN}CustomPolicy::everyone` },
        ]);
    });
});

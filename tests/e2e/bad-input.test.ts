// The bad-input catalogue: invalid permissions.yaml files and programs, each run through the real engine with
// `pulumi preview`. Each must fail the preview with a message naming the field, and write nothing. Each case
// runs on a stack of its own (a copy of one initialized stack) and on the seeded account.
import { testEmulatorOptions } from "../../harness/emulator";
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { stringify } from "yaml";
import { EmulatorHandle, startEmulator } from "../../emulator";
import { gitopsStack, newStack, StackSnapshot, tempProject } from "../../harness/stack";

const PROD = "pe0prod000000000000000000000001";
const BOB = "u0bob000000000000000000000002";
const DAVE = "u0dave00000000000000000000004";
const CAROL = "u0carol0000000000000000000003";
const WINTER = "fwinter2026000000000000000000003";

/** A valid file; each case breaks one thing in a copy of it. */
function validFile(): any {
    return {
        groups: { editors: { name: "Editors", memberIds: [BOB] } },
        customRoles: {
            curator: { name: "Curator", permissionType: "global", scopeType: "prodenv", systemPolicyIds: ["cld::policy::global::ml::access"] },
            uploader: { name: "Folder uploader", permissionType: "content", scopeType: "prodenv", systemPolicyIds: ["cld::policy::content::folder::add_assets"] },
        },
        roleAssignments: {
            "editors-curate": { roleId: "curator", principalType: "group", principalId: "editors", scopeId: PROD },
            "bob-upload": { roleId: "uploader", principalType: "user", principalId: BOB, scopeId: PROD, policyParameters: { folderId: WINTER } },
        },
        folderShares: {
            "dave-products": { cloudName: "acme-prod", folderId: "fproducts0000000000000000000006", principalType: "user", principalId: DAVE, roles: ["cld::role::folder::viewer"] },
        },
    };
}

function variant(change: (file: any) => void): string {
    const file = validFile();
    change(file);
    return stringify(file);
}

interface Case {
    name: string;
    yaml?: string;
    program?: string;
    /** Each must match the preview's output. */
    expect: RegExp[];
}

const long = "x".repeat(1000);

const CASES: Case[] = [
    // Enums
    { name: "permissionType not an enum value", yaml: variant((f) => (f.customRoles.curator.permissionType = "globall")), expect: [/customRoles\.curator\.permissionType must be one of 'global', 'content'/, /did you mean 'global'/] },
    { name: "scopeType not an enum value", yaml: variant((f) => (f.customRoles.curator.scopeType = "environment")), expect: [/customRoles\.curator\.scopeType must be one of/] },
    { name: "principalType not an enum value", yaml: variant((f) => (f.roleAssignments["editors-curate"].principalType = "team")), expect: [/roleAssignments\.editors-curate\.principalType must be one of/] },
    { name: "principalType with the wrong case", yaml: variant((f) => (f.roleAssignments["bob-upload"].principalType = "User")), expect: [/roleAssignments\.bob-upload\.principalType must be one of .*did you mean 'user'/] },
    { name: "provisioningKey as a folder share principal", yaml: variant((f) => (f.folderShares["dave-products"].principalType = "provisioningKey")), expect: [/folderShares\.dave-products\.principalType must be one of 'user', 'group', 'apiKey'/] },
    // Policies
    { name: "unknown system policy id, with a suggestion", yaml: variant((f) => (f.customRoles.curator.systemPolicyIds = ["cld::policy::global::ml::acess"])), expect: [/systemPolicyIds/, /did you mean 'cld::policy::global::ml::access'/] },
    { name: "malformed policy id", yaml: variant((f) => (f.customRoles.curator.systemPolicyIds = ["ml access"])), expect: [/customRoles\.curator\.systemPolicyIds\[0\]/] },
    { name: "content policy in a global role", yaml: variant((f) => (f.customRoles.curator.systemPolicyIds = ["cld::policy::content::folder::add_assets"])), expect: [/systemPolicyIds/, /content/] },
    { name: "global policy in a content role", yaml: variant((f) => (f.customRoles.uploader.systemPolicyIds = ["cld::policy::global::ml::access"])), expect: [/systemPolicyIds/, /global/] },
    { name: "prodenv policy in an account role", yaml: variant((f) => {
            f.customRoles.curator.scopeType = "account";
            delete f.roleAssignments["editors-curate"].scopeId;
        }), expect: [/systemPolicyIds/, /prodenv|product environment/] },
    { name: "no policies at all", yaml: variant((f) => (f.customRoles.curator.systemPolicyIds = [])), expect: [/customRoles\.curator\.systemPolicyIds must list at least 1 item/] },
    { name: "the same policy twice", yaml: variant((f) => (f.customRoles.curator.systemPolicyIds = ["cld::policy::global::ml::access", "cld::policy::global::ml::access"])), expect: [/customRoles\.curator\.systemPolicyIds lists "cld::policy::global::ml::access" twice/] },
    // Scope and policy parameters
    { name: "prodenv role without scopeId", yaml: variant((f) => delete f.roleAssignments["editors-curate"].scopeId), expect: [/roleAssignments\.editors-curate\.scopeId is required: role 'curator' applies in product environments/] },
    { name: "account role with a scopeId", yaml: variant((f) => (f.roleAssignments["editors-curate"].roleId = "cld::role::account::admin")), expect: [/property scopeId .*must not be set: role 'cld::role::account::admin' is an account-level role/] },
    { name: "unknown product environment as scopeId", yaml: variant((f) => (f.roleAssignments["editors-curate"].scopeId = "pe0nope000000000000000000000009")), expect: [/scopeId/, /pe0nope000000000000000000000009/] },
    { name: "content role without policyParameters", yaml: variant((f) => delete f.roleAssignments["bob-upload"].policyParameters), expect: [/roleAssignments\.bob-upload\.policyParameters is required: role 'uploader' is a content role/] },
    { name: "global role with policyParameters", yaml: variant((f) => (f.roleAssignments["editors-curate"].policyParameters = { folderId: WINTER })), expect: [/roleAssignments\.editors-curate\.policyParameters must not be set: role 'curator' is a global role/] },
    { name: "policyParameters with both folderId and collectionId", yaml: variant((f) => (f.roleAssignments["bob-upload"].policyParameters = { folderId: WINTER, collectionId: "c1" })), expect: [/roleAssignments\.bob-upload\.policyParameters/] },
    { name: "folder role given a collectionId", yaml: variant((f) => (f.roleAssignments["bob-upload"].policyParameters = { collectionId: "c0000000001" })), expect: [/roleAssignments\.bob-upload\.policyParameters role 'uploader' applies to folders; use \{ folderId/] },
    { name: "collection role given to an API key", yaml: variant((f) => (f.roleAssignments["bob-upload"] = { roleId: "cld::role::collection::viewer", principalType: "apiKey", principalId: "820000000000002", scopeId: PROD, policyParameters: { collectionId: "c0000000001" } })), expect: [/principalType/, /collection/] },
    { name: "product-environment role given to a provisioning key", yaml: variant((f) => (f.roleAssignments["editors-curate"] = { roleId: "curator", principalType: "provisioningKey", principalId: "810000000000001", scopeId: PROD })), expect: [/roleAssignments\.editors-curate\.principalType role 'curator' applies in product environments, and provisioning keys hold account-level roles only/] },
    // References and ids
    { name: "unknown system role", yaml: variant((f) => (f.roleAssignments["editors-curate"].roleId = "cld::role::prodenv::reporst")), expect: [/roleId/, /did you mean 'cld::role::prodenv::reports'/] },
    { name: "roleId naming no declared role", yaml: variant((f) => (f.roleAssignments["editors-curate"].roleId = "curatr")), expect: [/property roleId .*no role 'curatr' exists in the account/] },
    { name: "malformed role id", yaml: variant((f) => (f.customRoles.curator.roleId = "has spaces!")), expect: [/customRoles\.curator\.roleId/] },
    { name: "unknown user in memberIds", yaml: variant((f) => (f.groups.editors.memberIds = [BOB, "u0nobody00000000000000000000099"])), expect: [/memberIds\[1\]/, /not a user of this account/] },
    { name: "misspelt email as a member", yaml: variant((f) => (f.groups.editors.memberIds = ["bob@acme.exmaple"])), expect: [/memberIds\[0\] 'bob@acme\.exmaple' is not a user of this account, by id or by email; did you mean 'bob@acme\.example'\?/] },
    { name: "the same member twice", yaml: variant((f) => (f.groups.editors.memberIds = [BOB, BOB])), expect: [/groups\.editors\.memberIds lists .* twice/] },
    { name: "unknown user as a principal", yaml: variant((f) => (f.roleAssignments["bob-upload"].principalId = "u0nobody00000000000000000000099")), expect: [/property principalId .*'u0nobody00000000000000000000099' is not a user of this account/] },
    { name: "group principal naming no declared group", yaml: variant((f) => (f.roleAssignments["editors-curate"].principalId = "editorz")), expect: [/property principalId .*'editorz' is not a user group of this account/] },
    { name: "malformed folder path", yaml: variant((f) => (f.folderShares["dave-products"].folderId = "/products/")), expect: [/folderShares\.dave-products\.folderId/] },
    { name: "unknown folder path", yaml: variant((f) => (f.folderShares["dave-products"].folderId = "products/2024")), expect: [/folderId/, /no folder with external id or path 'products\/2024' in product environment 'acme-prod'/] },
    { name: "unknown folder", yaml: variant((f) => (f.folderShares["dave-products"].folderId = "fnotafolder000000000000000000099")), expect: [/folderId/, /no folder with external id or path 'fnotafolder000000000000000000099'/] },
    { name: "unknown folder in policyParameters", yaml: variant((f) => (f.roleAssignments["bob-upload"].policyParameters = { folderId: "fnotafolder000000000000000000099" })), expect: [/property policyParameters .*no folder with external id or path 'fnotafolder000000000000000000099'/] },
    { name: "product environment without credentials", yaml: variant((f) => (f.folderShares["dave-products"].cloudName = "acme-dev")), expect: [/cloudName/, /No Admin API credentials for product environment 'acme-dev'/] },
    { name: "malformed cloud name", yaml: variant((f) => (f.folderShares["dave-products"].cloudName = "Acme Prod")), expect: [/folderShares\.dave-products\.cloudName/] },
    { name: "a non-folder role in a folder share", yaml: variant((f) => (f.folderShares["dave-products"].roles = ["cld::role::prodenv::reports"])), expect: [/roles/, /folder role/] },
    { name: "a folder share with no roles", yaml: variant((f) => (f.folderShares["dave-products"].roles = [])), expect: [/folderShares\.dave-products\.roles must list at least 1 item/] },
    // Duplicates and conflicts
    { name: "two roles with the same name", yaml: variant((f) => (f.customRoles.uploader.name = "Curator")), expect: [/customRoles\.uploader\.name 'Curator' is already the name of customRoles\.curator/] },
    { name: "two groups with the same name", yaml: variant((f) => (f.groups.others = { name: "Editors" })), expect: [/groups\.others\.name 'Editors' is already the name of groups\.editors/] },
    { name: "the same grant declared twice", yaml: variant((f) => (f.roleAssignments["editors-curate-again"] = { ...f.roleAssignments["editors-curate"] })), expect: [/roleAssignments\.editors-curate-again declares the same grant as roleAssignments\.editors-curate/] },
    { name: "a folder share and a folder grant on one folder and principal", yaml: variant((f) => (f.folderShares["bob-winter"] = { cloudName: "acme-prod", folderId: WINTER, principalType: "user", principalId: BOB, roles: ["cld::role::folder::viewer"] })), expect: [/FolderShare 'bob-winter' and RoleAssignment 'bob-upload' both manage the folder roles/] },
    // Empty, oversized and wrongly typed values
    { name: "empty role name", yaml: variant((f) => (f.customRoles.curator.name = "")), expect: [/customRoles\.curator\.name must not be empty/] },
    { name: "oversized role name", yaml: variant((f) => (f.customRoles.curator.name = long)), expect: [/customRoles\.curator\.name is too long/] },
    { name: "oversized description", yaml: variant((f) => (f.customRoles.curator.description = long.repeat(3))), expect: [/customRoles\.curator\.description is too long/] },
    { name: "empty group name", yaml: variant((f) => (f.groups.editors.name = "")), expect: [/groups\.editors\.name must not be empty/] },
    { name: "a number as a group name", yaml: variant((f) => (f.groups.editors.name = 42)), expect: [/groups\.editors\.name must be a string, got number 42/] },
    { name: "a string instead of a policy list", yaml: variant((f) => (f.customRoles.curator.systemPolicyIds = "cld::policy::global::ml::access")), expect: [/customRoles\.curator\.systemPolicyIds must be a list/] },
    { name: "a list instead of a scopeId", yaml: variant((f) => (f.roleAssignments["editors-curate"].scopeId = [PROD])), expect: [/roleAssignments\.editors-curate\.scopeId must be a string, got a list/] },
    { name: "a required field missing", yaml: variant((f) => delete f.folderShares["dave-products"].folderId), expect: [/folderShares\.dave-products\.folderId is required/] },
    { name: "an unknown key, with a suggestion", yaml: variant((f) => (f.customRoles.curator.systemPolicies = f.customRoles.curator.systemPolicyIds)), expect: [/customRoles\.curator\.systemPolicies is not a key of customRoles\.curator/] },
    { name: "an unknown section", yaml: variant((f) => (f.roles = {})), expect: [/roles is not a valid section/] },
    { name: "a YAML syntax error, with its line", yaml: "groups:\n  editors:\n    name: [Editors\n", expect: [/permissions\.yaml:\d+:\d+/] },
    { name: "an empty file", yaml: "", expect: [/declares nothing/] },
    // Authoritative sections, exclusive mode and their conflicts
    { name: "authoritative: principalRoles with an unknown principalType", yaml: variant((f) => (f.principalRoles = { bob: { principalType: "person", principalId: BOB, roles: [] } })), expect: [/principalRoles\.bob\.principalType must be one of/] },
    { name: "authoritative: principalRoles roles as a string", yaml: variant((f) => (f.principalRoles = { bob: { principalType: "user", principalId: BOB, roles: "cld::role::account::reports" } })), expect: [/principalRoles\.bob\.roles must be a list/] },
    { name: "authoritative: a principalRoles entry without roleId", yaml: variant((f) => (f.principalRoles = { bob: { principalType: "user", principalId: BOB, roles: [{ scopeId: PROD }] } })), expect: [/principalRoles\.bob\.roles\[0\]\.roleId is required/] },
    { name: "authoritative: the same role twice in principalRoles", yaml: variant((f) => (f.principalRoles = { bob: { principalType: "user", principalId: BOB, roles: [{ roleId: "cld::role::account::reports" }, { roleId: "cld::role::account::reports" }] } })), expect: [/principalRoles\.bob\.roles lists .* twice/] },
    { name: "authoritative: an account role with a scopeId in principalRoles", yaml: variant((f) => (f.principalRoles = { carol: { principalType: "user", principalId: CAROL, roles: [{ roleId: "cld::role::account::reports", scopeId: PROD }] } })), expect: [/property roles .*roles\[0\] \(cld::role::account::reports\): scopeId must not be set/] },
    { name: "authoritative: a misspelt system role in principalRoles", yaml: variant((f) => (f.principalRoles = { carol: { principalType: "user", principalId: CAROL, roles: [{ roleId: "cld::role::account::reprots" }] } })), expect: [/roles\[0\] \(cld::role::account::reprots\): roleId .*did you mean 'cld::role::account::reports'/] },
    { name: "authoritative: an unknown user in principalRoles", yaml: variant((f) => (f.principalRoles = { nobody: { principalType: "user", principalId: "u0nobody00000000000000000000099", roles: [] } })), expect: [/property principalId .*'u0nobody00000000000000000000099' is not a user of this account/] },
    { name: "authoritative: a declared prodenv role without scopeId in principalRoles", yaml: variant((f) => (f.principalRoles = { dave: { principalType: "user", principalId: DAVE, roles: [{ roleId: "curator" }] } })), expect: [/principalRoles\.dave\.roles\[0\]\.scopeId is required: role 'curator' applies in product environments/] },
    { name: "authoritative: a rolePrincipals holder without principalId", yaml: variant((f) => (f.rolePrincipals = { reports: { roleId: "cld::role::account::reports", principals: [{ principalType: "user" }] } })), expect: [/rolePrincipals\.reports\.principals\[0\]\.principalId is required/] },
    { name: "authoritative: rolePrincipals of an unknown role", yaml: variant((f) => (f.rolePrincipals = { reports: { roleId: "cld::role::prodenv::reprots", principals: [{ principalType: "user", principalId: DAVE, scopeId: PROD }] } })), expect: [/property roleId .*did you mean 'cld::role::prodenv::reports'/] },
    { name: "authoritative: a prodenv role held by a provisioning key in rolePrincipals", yaml: variant((f) => (f.rolePrincipals = { reports: { roleId: "cld::role::prodenv::reports", principals: [{ principalType: "provisioningKey", principalId: "810000000000001", scopeId: PROD }] } })), expect: [/principals\[0\] \(cld::role::prodenv::reports\): principalType .*provisioning keys hold account-level roles only/] },
    { name: "authoritative: a grant in principalRoles and in roleAssignments", yaml: variant((f) => (f.principalRoles = { bob: { principalType: "user", principalId: BOB, roles: [{ roleId: "uploader", scopeId: PROD, policyParameters: { folderId: WINTER } }] } })), expect: [/principalRoles\.bob\.roles\[0\] declares the same grant as roleAssignments\.bob-upload/] },
    { name: "authoritative: a RoleAssignment to a principal a PrincipalRoles owns", yaml: variant((f) => (f.principalRoles = { bob: { principalType: "user", principalId: BOB, roles: [] } })), expect: [/PrincipalRoles 'bob' is authoritative for every grant of principal user u0bob\S+, and RoleAssignment 'bob-upload' also grants to it/] },
    { name: "authoritative: two principalRoles over one principal", yaml: variant((f) => (f.principalRoles = { dave: { principalType: "user", principalId: DAVE, roles: [] }, "dave-again": { principalType: "user", principalId: DAVE, roles: [] } })), expect: [/PrincipalRoles '(dave|dave-again)' and PrincipalRoles '(dave|dave-again)' are both authoritative for principal user u0dave/] },
    { name: "authoritative: a RoleAssignment of a role a RolePrincipals owns", yaml: variant((f) => (f.rolePrincipals = { curators: { roleId: "curator", principals: [] } })), expect: [/RolePrincipals 'curators' is authoritative for every grant of role curator, and RoleAssignment 'editors-curate' also grants to it/] },
    { name: "authoritative: a FolderShare to a principal a PrincipalRoles owns", yaml: variant((f) => (f.principalRoles = { dave: { principalType: "user", principalId: DAVE, roles: [] } })), expect: [/PrincipalRoles 'dave' is authoritative .* and FolderShare 'dave-products' also grants to it/] },
    { name: "authoritative: exclusive with an exempt principal of an unknown type", yaml: variant((f) => (f.exclusive = { exempt: [{ principalType: "robot", principalId: "x1" }] })), expect: [/exclusive/] },
    { name: "authoritative: exclusive as a string", yaml: variant((f) => (f.exclusive = "yes")), expect: [/exclusive/] },
    { name: "authoritative: program: two RolePrincipals over one role", program: `new RolePrincipals("a", { roleId: "cld::role::account::reports", principals: [] }); new RolePrincipals("b", { roleId: "cld::role::account::reports", principals: [] });`, expect: [/RolePrincipals 'b' and RolePrincipals 'a' are both authoritative for role cld::role::account::reports/] },
    { name: "authoritative: program: PrincipalRoles without roles", program: `new PrincipalRoles("p", { principalType: "user", principalId: "${BOB}" });`, expect: [/property roles .*has a problem: is required/] },
    // Programs using the classes directly
    { name: "program: CustomRole with an unknown permissionType", program: `new CustomRole("r", { name: "R", permissionType: "folder", scopeType: "prodenv", systemPolicyIds: ["cld::policy::global::ml::access"] });`, expect: [/property permissionType .*has a problem: must be one of 'global', 'content', got "folder"/] },
    { name: "program: CustomRole without systemPolicyIds", program: `new CustomRole("r", { name: "R", permissionType: "global", scopeType: "prodenv" });`, expect: [/property systemPolicyIds .*has a problem: is required/] },
    { name: "program: CustomRole with a misspelt policy id", program: `new CustomRole("r", { name: "R", permissionType: "global", scopeType: "prodenv", systemPolicyIds: ["cld::policy::global::upload_presets::manag"] });`, expect: [/systemPolicyIds/, /did you mean 'cld::policy::global::upload_presets::manage'/] },
    { name: "program: RoleAssignment of a prodenv role without scopeId", program: `new RoleAssignment("a", { roleId: "cld::role::prodenv::reports", principalType: "user", principalId: "${BOB}" });`, expect: [/scopeId/] },
    { name: "program: RoleAssignment with a number as principalId", program: `new RoleAssignment("a", { roleId: "cld::role::prodenv::reports", principalType: "user", principalId: 42, scopeId: "all" });`, expect: [/property principalId .*has a problem: must be a string, got number 42/] },
    { name: "program: collection role to an API key", program: `new RoleAssignment("a", { roleId: "cld::role::collection::contributor", principalType: "apiKey", principalId: "820000000000002", scopeId: "${PROD}", policyParameters: { collectionId: "c0000000001" } });`, expect: [/principalType/, /collection/] },
    { name: "program: FolderShare with roles as a string", program: `new FolderShare("s", { cloudName: "acme-prod", folderId: "fproducts0000000000000000000006", principalType: "user", principalId: "${BOB}", roles: "cld::role::folder::viewer" });`, expect: [/property roles .*has a problem: must be a list/] },
    { name: "program: Group with an empty name", program: `new Group("g", { name: "" });`, expect: [/property name .*has a problem: must not be empty/] },
    { name: "program: two Groups with one name", program: `new Group("g1", { name: "Twins" }); new Group("g2", { name: "Twins" });`, expect: [/Group 'g2' declares the same group name as Group 'g1'/] },
    { name: "program: Group with an unknown input", program: `new Group("g", { name: "G", members: ["${BOB}"] });`, expect: [/property members .*has a problem: is not a valid input; did you mean 'memberIds'/] },
];

describe("bad-input catalogue: invalid files and programs fail at preview, naming the field, with zero writes", function () {
    this.timeout(600_000);
    let emulator: EmulatorHandle;
    /** The example's stack with the valid file, and a stack of a program to be written, both initialized and never run. */
    let fileStack: StackSnapshot;
    let programStack: StackSnapshot;
    before(async () => {
        emulator = await startEmulator(testEmulatorOptions());
        fileStack = StackSnapshot.of((await gitopsStack(emulator, stringify(validFile()))).stack);
        programStack = StackSnapshot.of(await newStack({ projectDir: tempProject({ source: "// each case writes its program here\n" }), api: emulator }));
    });
    beforeEach(() => emulator.reset());
    after(async () => emulator?.stop());

    it("has at least 40 distinct cases", () => {
        assert.ok(CASES.length >= 40, `${CASES.length} cases`);
        assert.equal(new Set(CASES.map((c) => c.yaml ?? c.program)).size, CASES.length, "every case is a different input");
    });

    it("the valid file it starts from previews cleanly (so each failure below is the case's own)", async () => {
        await fileStack.copy().preview();
    });

    for (const c of CASES) {
        it(c.name, async () => {
            let stack;
            if (c.yaml !== undefined) {
                const gitops = fileStack.gitops();
                gitops.write(c.yaml);
                stack = gitops.stack;
            } else {
                stack = programStack.copy();
                const source = `const { CustomRole, RoleAssignment, FolderShare, Group, PrincipalRoles, RolePrincipals } = require("pulumi-cloudinary-permissions");\n${c.program}\n`;
                fs.writeFileSync(path.join(stack.options.projectDir, "index.js"), source);
            }
            const result = await stack.run(["preview"]);
            const output = `${result.stdout}\n${result.stderr}`;
            assert.notEqual(result.code, 0, `the preview passed:\n${output}`);
            for (const pattern of c.expect) assert.match(output, pattern);
            assert.doesNotMatch(output, /\n\s+at \S.*:\d+:\d+\)?\n/, "a plain message, without a stack trace");
            assert.equal((await emulator.stats()).writes, 0, "nothing may be written");
        });
    }
});

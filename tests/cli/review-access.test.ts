// Who gains and who loses what, before against after, on accounts and plans written out by hand: group members,
// folder inheritance, "all" product environments, roles and groups the plan creates, the authoritative
// resources, the exclusive guard, a role's policies, and --deny's outcome.
import * as assert from "node:assert/strict";
import { AccessChange, accessChanges, FolderTrees, touchedFolders } from "../../cli/review/access";
import { applyPlan } from "../../cli/review/apply";
import { denyOutcome } from "../../cli/review/command";
import { declarationsOf, AccountListings } from "../../cli/review/declarations";
import { AccessState, placeholderId } from "../../cli/review/model";
import { PlannedResource, UNKNOWN } from "../../cli/review/plan";
import type { ReviewReport } from "../../cli/review/review";
import type { Grant } from "../../provider/api/domain";

const URN = "urn:pulumi:dev::gitops::pulumi-nodejs:dynamic/cloudinary:";
const PROD = "pe-prod";
const STAGING = "pe-staging";
const PES = [PROD, STAGING];
const MASTER = "cld::role::account::master_admin";
const REPORTS = "cld::role::prodenv::reports";
const VIEWER = "cld::role::folder::viewer";
// marketing ⊃ campaigns ⊃ winter; creative apart.
const TREE: FolderTrees = new Map([
    [
        PROD,
        new Map([
            ["f-marketing", { id: "f-marketing", path: "marketing", ancestorIds: [] }],
            ["f-campaigns", { id: "f-campaigns", path: "marketing/campaigns", ancestorIds: ["f-marketing"] }],
            ["f-winter", { id: "f-winter", path: "marketing/campaigns/winter", ancestorIds: ["f-marketing", "f-campaigns"] }],
        ]),
    ],
]);

const user = (id: string) => ({ principalType: "user" as const, principalId: id });
const group = (id: string) => ({ principalType: "group" as const, principalId: id });
const onFolder = (folderId: string) => ({ scopeId: PROD, policyParameters: { folderId } });

function account(grants: Grant[], groups: Record<string, { name: string; members: string[] }> = {}): AccessState {
    const state = new AccessState();
    for (const g of grants) state.addGrant(g);
    for (const [id, g] of Object.entries(groups)) {
        state.groups.set(id, { id, name: g.name });
        state.members.set(id, new Map(g.members.map((u) => [u, undefined])));
    }
    return state;
}

function directory(state: AccessState): AccountListings {
    return {
        users: new Map(["bob", "carol", "dave", "erin"].map((id) => [id, { id, email: `${id}@acme.example` }])),
        groups: new Map([...state.groups.values()].map((g) => [g.id, { id: g.id, name: g.name }])),
        productEnvironments: new Map(PES.map((id) => [id, { id, cloudName: id.replace("pe-", "acme-") }])),
        roles: new Map(),
        folderId: async (_pe, id) => id,
    };
}

function resource(kind: PlannedResource["kind"], name: string, op: string, sides: { before?: object; after?: object; id?: string; deps?: Record<string, string[]> }): PlannedResource {
    return {
        urn: `${URN}${kind}::${name}`,
        kind,
        name,
        op,
        ...(sides.before ? { before: { inputs: sides.before as Record<string, unknown>, dependencies: {}, ...(sides.id ? { id: sides.id } : {}) } } : {}),
        ...(sides.after ? { after: { inputs: sides.after as Record<string, unknown>, dependencies: sides.deps ?? {} } } : {}),
    };
}

/** The changes as compact rows: "gain user bob master_admin account via group g1 [Group::platform]". */
async function review(before: AccessState, plan: PlannedResource[], trees: FolderTrees = TREE): Promise<string[]> {
    const { declared, unresolved } = await declarationsOf(plan, directory(before));
    assert.deepEqual(unresolved, []);
    const { after } = applyPlan(before, declared);
    return accessChanges(before, after, PES, trees).map(row).sort();
}

function row(c: AccessChange): string {
    const place = c.place.type === "account" ? "account" : c.place.type === "productEnvironment" ? c.place.id : `${c.place.type}:${c.place.id}`;
    const via = [c.via.groupId ? `via group ${c.via.groupId.replace(URN, "")}` : "", c.via.folderId ? `from ${c.via.folderId}` : ""].filter(Boolean).join(" ");
    const role = c.roleId.replace(/^cld::role::/, "").replace(URN, "");
    const who = c.principal.principalId.replace(URN, "");
    return `${c.change} ${c.principal.principalType} ${who} ${role} ${place}${via ? ` ${via}` : ""} [${c.declarations.map((d) => d.replace(URN, "")).join(", ")}]`;
}

describe("review: access before and after a plan", () => {
    it("a member added to a group that holds Master Admin gains it through the group; one who holds it directly does not", async () => {
        const before = account([{ roleId: MASTER, ...group("g1") }, { roleId: MASTER, ...user("carol") }], { g1: { name: "Platform", members: ["dave"] } });
        const plan = [resource("Group", "platform", "update", { id: "g1", before: { name: "Platform", memberIds: ["dave"] }, after: { name: "Platform", memberIds: ["dave", "bob", "carol"] } })];
        assert.deepEqual(await review(before, plan), ["gain user bob account::master_admin account via group g1 [Group::platform]"]);
    });

    it("a member removed from a group loses what the group holds, unless another group still gives it", async () => {
        const before = account([{ roleId: REPORTS, ...group("g1"), scopeId: PROD }, { roleId: REPORTS, ...group("g2"), scopeId: PROD }, { roleId: MASTER, ...group("g1") }], {
            g1: { name: "Platform", members: ["dave", "erin"] },
            g2: { name: "Analysts", members: ["erin"] },
        });
        const plan = [resource("Group", "platform", "update", { id: "g1", before: { name: "Platform", memberIds: ["dave", "erin"] }, after: { name: "Platform", memberIds: ["dave"] } })];
        assert.deepEqual(await review(before, plan), ["loss user erin account::master_admin account via group g1 [Group::platform]"]);
    });

    it("a removed folder grant is lost on the folder and on every folder below it where nothing else gives it", async () => {
        const before = account([
            { roleId: VIEWER, ...user("erin"), ...onFolder("f-marketing") },
            { roleId: VIEWER, ...user("carol"), ...onFolder("f-marketing") },
            { roleId: VIEWER, ...user("carol"), ...onFolder("f-winter") },
        ]);
        const plan = [
            resource("RoleAssignment", "erin-marketing", "delete", { before: { roleId: VIEWER, ...user("erin"), ...onFolder("f-marketing") } }),
            resource("FolderShare", "carol-marketing", "delete", { before: { cloudName: "acme-prod", folderId: "f-marketing", ...user("carol"), roles: [VIEWER] } }),
        ];
        assert.deepEqual(touchedFolders(before, applyPlan(before, (await declarationsOf(plan, directory(before))).declared).after, PES), [
            { productEnvironmentId: PROD, folderId: "f-marketing" },
        ]);
        assert.deepEqual(await review(before, plan), [
            "loss user carol folder::viewer folder:f-campaigns from f-marketing [FolderShare::carol-marketing]",
            "loss user carol folder::viewer folder:f-marketing [FolderShare::carol-marketing]",
            "loss user erin folder::viewer folder:f-campaigns from f-marketing [RoleAssignment::erin-marketing]",
            "loss user erin folder::viewer folder:f-marketing [RoleAssignment::erin-marketing]",
            "loss user erin folder::viewer folder:f-winter from f-marketing [RoleAssignment::erin-marketing]",
        ]);
    });

    it("a grant on a folder someone already reaches from a parent folder is no gain there", async () => {
        const before = account([{ roleId: VIEWER, ...user("erin"), ...onFolder("f-marketing") }]);
        const plan = [resource("RoleAssignment", "erin-winter", "create", { after: { roleId: VIEWER, ...user("erin"), ...onFolder("f-winter") } })];
        assert.deepEqual(await review(before, plan), []);
    });

    it("without the folder tree (no Admin API credentials) a folder grant is compared on its own folder only", async () => {
        const before = account([]);
        const plan = [resource("RoleAssignment", "erin-marketing", "create", { after: { roleId: VIEWER, ...user("erin"), ...onFolder("f-marketing") } })];
        assert.deepEqual(await review(before, plan, new Map()), ["gain user erin folder::viewer folder:f-marketing [RoleAssignment::erin-marketing]"]);
    });

    it("a new custom role granted to a new group in all product environments: the group and its members gain it in each, except where a member has it", async () => {
        const before = account([{ roleId: REPORTS, ...user("bob"), scopeId: PROD }]);
        const ops = `${URN}Group::ops`;
        const role = `${URN}CustomRole::preset-manager`;
        const plan = [
            resource("Group", "ops", "create", { after: { name: "Ops", memberIds: ["carol@acme.example"] } }),
            resource("CustomRole", "preset-manager", "create", { after: { name: "Preset manager", permissionType: "global", scopeType: "prodenv", systemPolicyIds: ["cld::policy::global::upload_presets::manage"] } }),
            resource("RoleAssignment", "ops-presets", "create", { after: { roleId: UNKNOWN, principalType: "group", principalId: UNKNOWN, scopeId: "all" }, deps: { roleId: [role], principalId: [ops] } }),
            resource("RoleAssignment", "ops-reports", "create", { after: { roleId: REPORTS, principalType: "group", principalId: UNKNOWN, scopeId: "all" }, deps: { principalId: [ops] } }),
            resource("Group", "analysts", "update", { id: "g2", before: { name: "Analysts" }, after: { name: "Analysts", memberIds: ["bob"] } }),
            resource("RoleAssignment", "analysts-reports", "create", { after: { roleId: REPORTS, principalType: "group", principalId: "g2", scopeId: "all" } }),
        ];
        const newGroup = placeholderId(ops).replace(URN, "");
        const newRole = placeholderId(role).replace(URN, "");
        assert.deepEqual(await review(before, plan), [
            "gain group g2 prodenv::reports pe-prod [RoleAssignment::analysts-reports]",
            "gain group g2 prodenv::reports pe-staging [RoleAssignment::analysts-reports]",
            `gain group ${newGroup} ${newRole} pe-prod [RoleAssignment::ops-presets]`,
            `gain group ${newGroup} ${newRole} pe-staging [RoleAssignment::ops-presets]`,
            `gain group ${newGroup} prodenv::reports pe-prod [RoleAssignment::ops-reports]`,
            `gain group ${newGroup} prodenv::reports pe-staging [RoleAssignment::ops-reports]`,
            // Bob holds Reports in prod already: only staging is new.
            "gain user bob prodenv::reports pe-staging via group g2 [RoleAssignment::analysts-reports, Group::analysts]",
            `gain user carol ${newRole} pe-prod via group ${newGroup} [RoleAssignment::ops-presets, Group::ops]`,
            `gain user carol ${newRole} pe-staging via group ${newGroup} [RoleAssignment::ops-presets, Group::ops]`,
            `gain user carol prodenv::reports pe-prod via group ${newGroup} [RoleAssignment::ops-reports, Group::ops]`,
            `gain user carol prodenv::reports pe-staging via group ${newGroup} [RoleAssignment::ops-reports, Group::ops]`,
        ]);
    });

    it("PrincipalRoles makes the principal's grants exactly its list; RolePrincipals the role's holders", async () => {
        const before = account([
            { roleId: MASTER, ...user("dave") },
            { roleId: REPORTS, ...user("dave"), scopeId: PROD },
            { roleId: "cld::role::prodenv::ml_user", ...user("erin"), scopeId: PROD },
            { roleId: "cld::role::prodenv::ml_user", ...user("carol"), scopeId: PROD },
        ]);
        const plan = [
            resource("PrincipalRoles", "dave-roles", "create", { after: { ...user("dave"), roles: [{ roleId: REPORTS, scopeId: PROD }, { roleId: REPORTS, scopeId: STAGING }], adopt: true } }),
            resource("RolePrincipals", "ml-users", "update", {
                id: "cld::role::prodenv::ml_user",
                before: { roleId: "cld::role::prodenv::ml_user", principals: [{ ...user("erin"), scopeId: PROD }, { ...user("carol"), scopeId: PROD }] },
                after: { roleId: "cld::role::prodenv::ml_user", principals: [{ ...user("carol"), scopeId: PROD }, { ...user("bob"), scopeId: STAGING }] },
            }),
        ];
        assert.deepEqual(await review(before, plan), [
            "gain user bob prodenv::ml_user pe-staging [RolePrincipals::ml-users]",
            "gain user dave prodenv::reports pe-staging [PrincipalRoles::dave-roles]",
            "loss user dave account::master_admin account [PrincipalRoles::dave-roles]",
            "loss user erin prodenv::ml_user pe-prod [RolePrincipals::ml-users]",
        ]);
    });

    it("an update applies the difference from the state, as the provider does: what was added out of band stays", async () => {
        const before = account([{ roleId: MASTER, ...user("dave") }, { roleId: REPORTS, ...user("dave"), scopeId: PROD }], { g1: { name: "Platform", members: ["dave", "carol"] } });
        const plan = [
            // The state knows only the Reports grant and Dave's membership: Master Admin and Carol were added in the Console.
            resource("PrincipalRoles", "dave-roles", "update", { id: "user|dave", before: { ...user("dave"), roles: [{ roleId: REPORTS, scopeId: PROD }] }, after: { ...user("dave"), roles: [{ roleId: REPORTS, scopeId: STAGING }] } }),
            resource("Group", "platform", "update", { id: "g1", before: { name: "Platform", memberIds: ["dave"] }, after: { name: "Platform", memberIds: ["bob"] } }),
        ];
        assert.deepEqual(await review(before, plan), ["gain user dave prodenv::reports pe-staging [PrincipalRoles::dave-roles]", "loss user dave prodenv::reports pe-prod [PrincipalRoles::dave-roles]"]);
        const { declared } = await declarationsOf(plan, directory(before));
        assert.deepEqual([...applyPlan(before, declared).after.members.get("g1")!.keys()].sort(), ["bob", "carol"]);
    });

    it("the exclusive guard revokes live grants nothing declares, except the exempt principal's and those the plan makes", async () => {
        const before = account([{ roleId: MASTER, ...user("alice") }, { roleId: MASTER, ...user("dave") }, { roleId: REPORTS, ...user("carol") }, { roleId: REPORTS, ...user("erin") }]);
        const plan = [
            resource("RoleAssignment", "bob-reports", "create", { after: { roleId: REPORTS, ...user("bob") } }),
            resource("AccountGrants", "exclusive", "update", {
                before: { declared: [] },
                after: { declared: [{ roleId: REPORTS, ...user("carol") }, { roleId: UNKNOWN, principalType: "group", principalId: UNKNOWN }], exempt: [user("alice")] },
            }),
        ];
        assert.deepEqual(await review(before, plan), [
            "gain user bob prodenv::reports account [RoleAssignment::bob-reports]",
            "loss user dave account::master_admin account [AccountGrants::exclusive]",
            "loss user erin prodenv::reports account [AccountGrants::exclusive]",
        ]);
    });

    it("a deleted group takes its grants and its members' access with it; a replaced grant that lands where it was is no change", async () => {
        const before = account([{ roleId: REPORTS, ...group("g1"), scopeId: PROD }, { roleId: REPORTS, ...user("bob"), scopeId: STAGING }], { g1: { name: "Web", members: ["dave"] } });
        const plan = [
            resource("Group", "web", "delete", { id: "g1", before: { name: "Web", memberIds: ["dave"] } }),
            resource("RoleAssignment", "bob", "replace", { before: { roleId: REPORTS, ...user("bob"), scopeId: STAGING }, after: { roleId: REPORTS, ...user("bob"), scopeId: "acme-staging", adopt: true } }),
        ];
        assert.deepEqual(await review(before, plan), ["loss group g1 prodenv::reports pe-prod [Group::web]", "loss user dave prodenv::reports pe-prod via group g1 [Group::web]"]);
    });

    it("a custom role whose policies change is reported with its holders", async () => {
        const before = account([{ roleId: "curator", ...group("g1"), scopeId: PROD }], { g1: { name: "Editors", members: ["bob"] } });
        const plan = [resource("CustomRole", "curator", "update", { id: "curator", before: { name: "Curator", systemPolicyIds: ["p1", "p2"] }, after: { name: "Curator", systemPolicyIds: ["p2", "p3"] } })];
        const { declared } = await declarationsOf(plan, directory(before));
        const { after, roleChanges } = applyPlan(before, declared);
        assert.deepEqual(roleChanges, [{ role: { id: "curator", name: "Curator", custom: true, systemPolicyIds: ["p2", "p3"] }, addedPolicyIds: ["p3"], removedPolicyIds: ["p1"], urn: `${URN}CustomRole::curator` }]);
        assert.deepEqual(accessChanges(before, after, PES, TREE), []);
    });
});

describe("review: --deny", () => {
    const change = (kind: "gain" | "loss", roleId: string, denied: boolean) => ({
        change: kind,
        principal: { type: "user" as const, id: "bob", name: "bob@acme.example" },
        roleId,
        role: { id: roleId, name: "Master Admin", custom: false },
        place: { type: "account" as const, id: "acct", name: "account" },
        via: { group: { id: "g1", name: "Platform" } },
        declarations: [`${URN}Group::platform`],
        ...(denied ? { denied: true as const } : {}),
    });
    const report = (changes: ReturnType<typeof change>[], unresolved: ReviewReport["unresolved"] = []): ReviewReport => ({
        account: { id: "acct" },
        summary: { gains: 0, losses: 0, principals: 1, denied: changes.filter((c) => c.denied).length },
        changes,
        roleChanges: [],
        policyChanges: [],
        unresolved,
        notes: [],
        warnings: [],
    });

    it("exits 3 naming the principal, role, place and declaration of a denied gain; 0 for losses only", () => {
        const denied = denyOutcome(report([change("gain", MASTER, true)]), [MASTER]);
        assert.equal(denied.exitCode, 3);
        assert.equal(
            denied.messages[0],
            `denied: user bob@acme.example gains Master Admin (${MASTER}) on the account through group Platform, declared by Group 'platform' (${URN}Group::platform)`,
        );
        assert.deepEqual(denyOutcome(report([change("loss", MASTER, false)]), [MASTER]), { exitCode: 0, messages: [] });
    });

    it("cannot promise no denied gain when the plan leaves inputs unknown: exit 2", () => {
        const outcome = denyOutcome(report([], [{ urn: `${URN}RoleAssignment::x`, property: "roleId", reason: "unknown at preview" }]), [MASTER]);
        assert.equal(outcome.exitCode, 2);
        assert.match(outcome.messages[0], /cannot tell whether this change gives cld::role::account::master_admin: 1 input/);
    });
});

// The review's three formats on a report written out by hand: the text lines, the pull-request comment (marker,
// headings, one table per principal, long tables folded, Markdown in names escaped) and the JSON as is.
import * as assert from "node:assert/strict";
import { COMMENT_MARKER, render } from "../../cli/review/formats";
import type { ChangeView, ReviewReport } from "../../cli/review/review";

const URN = "urn:pulumi:dev::gitops::pulumi-nodejs:dynamic/cloudinary:";
const MASTER = { id: "cld::role::account::master_admin", name: "Master Admin", custom: false };
const PRESETS = { id: null, name: "Preset manager", custom: true, new: true as const, systemPolicyIds: ["cld::policy::global::upload_presets::manage"] };
const bob = { type: "user" as const, id: "u-bob", name: "bob@acme.example" };
const ops = { type: "group" as const, id: null, name: "Ops", new: true as const };
const sandbox = (id: string, name: string) => ({ type: "folder" as const, id, name, productEnvironment: { id: "pe-staging", name: "acme-staging" } });

const changes: ChangeView[] = [
    { change: "gain", principal: bob, roleId: MASTER.id, role: MASTER, place: { type: "account", id: "acct", name: "account" }, via: { group: { id: "g1", name: "Platform" } }, declarations: [`${URN}Group::platform`], denied: true },
    { change: "gain", principal: ops, roleId: null, role: PRESETS, place: { type: "productEnvironment", id: "pe-prod", name: "acme-prod" }, declarations: [`${URN}RoleAssignment::ops-presets`] },
    {
        change: "loss",
        principal: { type: "apiKey", id: "830000000000002", name: "830000000000002" },
        roleId: "cld::role::folder::contributor",
        role: { id: "cld::role::folder::contributor", name: "Contributor", custom: false },
        place: sandbox("f-tests", "sandbox/tests"),
        via: { folder: { id: "f-sandbox", path: "sandbox" } },
        declarations: [`${URN}FolderShare::staging-key-sandbox`],
    },
];

function report(list: ChangeView[], extra: Partial<ReviewReport> = {}): ReviewReport {
    return {
        stack: "dev",
        account: { id: "acct" },
        summary: { gains: list.filter((c) => c.change === "gain").length, losses: list.filter((c) => c.change === "loss").length, principals: new Set(list.map((c) => c.principal.name)).size, denied: list.filter((c) => c.denied).length },
        changes: list,
        roleChanges: [],
        policyChanges: [],
        unresolved: [],
        notes: [],
        warnings: [],
        ...extra,
    };
}

describe("review formats", () => {
    it("text: one block per principal, each change with its role, place, path and declaration, a custom role's policies", () => {
        const unresolved = [{ urn: `${URN}RoleAssignment::x`, property: "roleId", reason: "unknown at preview" }];
        assert.equal(
            render(report(changes, { unresolved, notes: ["folders of acme-dev are shown by id"] }), "text"),
            [
                "Access review of stack dev (Cloudinary account acct): 2 gains, 1 loss for 3 principals",
                "",
                "bob@acme.example",
                "  ! DENIED gain: Master Admin (cld::role::account::master_admin) on the account, through group Platform  [Group 'platform']",
                "",
                "group Ops (new)",
                "  + Preset manager (new custom role) in acme-prod  [RoleAssignment 'ops-presets']",
                "      carries cld::policy::global::upload_presets::manage",
                "",
                "API key 830000000000002",
                "  - Contributor (cld::role::folder::contributor) on acme-staging:sandbox/tests, inherited from sandbox  [FolderShare 'staging-key-sandbox']",
                "",
                "Not reviewed (the plan does not say):",
                "  RoleAssignment 'x' roleId: unknown at preview",
                "",
                "Notes:",
                "  folders of acme-dev are shown by id",
                "",
            ].join("\n"),
        );
        assert.equal(render(report([]), "text"), "Access review of stack dev (Cloudinary account acct): no access changes\n");
    });

    it("md: the marker first, a heading per principal with its table, the denied gains quoted, custom roles listed", () => {
        const md = render(report(changes), "md");
        const lines = md.split("\n");
        assert.equal(lines[0], COMMENT_MARKER);
        assert.equal(lines[1], "## Cloudinary access review: 2 gains, 1 loss for 3 principals");
        assert.ok(lines.includes("> **1 denied gain** (`--deny`)"), md);
        assert.ok(lines.includes("> - bob@acme.example gains **Master Admin** on the account, through group Platform (Group 'platform')"), md);
        const bobAt = lines.indexOf("### bob@acme.example");
        assert.deepEqual(lines.slice(bobAt + 2, bobAt + 5), [
            "| Change | Role | Where | How | Declared by |",
            "| --- | --- | --- | --- | --- |",
            "| **denied gain** | **Master Admin** <code>cld::role::account::master_admin</code> | the account | through group Platform | <code>Group 'platform'</code> |",
        ]);
        assert.ok(lines.includes("| gain | **Preset manager** (new) | acme-prod | direct | <code>RoleAssignment 'ops-presets'</code> |"), md);
        assert.ok(lines.includes("| loss | **Contributor** <code>cld::role::folder::contributor</code> | acme-staging:sandbox/tests | inherited from sandbox | <code>FolderShare 'staging-key-sandbox'</code> |"), md);
        assert.ok(lines.includes("- **Preset manager** (new): <code>cld::policy::global::upload_presets::manage</code>"), md);
        assert.doesNotMatch(md, /<details>/, "short tables are not folded");
    });

    it("md: a principal's long table is folded; Markdown and HTML in names are escaped", () => {
        const many = Array.from({ length: 9 }, (_, i) => ({ ...changes[2], place: sandbox(`f${i}`, `sandbox/t${i}`) }));
        const odd = { ...changes[1], principal: { type: "group" as const, id: "g9", name: "A|B <x> *y*" } };
        const md = render(report([...many, odd]), "md");
        assert.match(md, /### API key 830000000000002\n\n<details><summary>9 changes<\/summary>\n\n\| Change \| Role \|/);
        assert.match(md, /\| loss \|[^\n]*sandbox\/t8[^\n]*\|\n\n<\/details>/);
        assert.match(md, /### group A\\\|B &lt;x&gt; \\\*y\\\*\n\n\| Change \| Role/);
    });

    it("text and md: custom roles whose policies change, with their holders, and custom policies", () => {
        const r = report([], {
            roleChanges: [{ role: { id: "curator", name: "Curator", custom: true, systemPolicyIds: ["p2", "p3"] }, addedPolicyIds: ["p3"], removedPolicyIds: ["p1"], declaration: `${URN}CustomRole::curator`, holders: [bob, { type: "group", id: "g1", name: "Editors" }] }],
            policyChanges: [{ change: "added", id: null, name: "Carol reads products", place: { type: "productEnvironment", id: "pe-prod", name: "acme-prod" }, appliesTo: ["user carol@acme.example"], declaration: `${URN}CustomPolicy::carol-products` }],
        });
        assert.equal(
            render(r, "text"),
            [
                "Access review of stack dev (Cloudinary account acct): no role gained or lost",
                "",
                "Custom roles whose policies change (every holder's access changes with them):",
                "  Curator (custom role curator): +p3, -p1; held by bob@acme.example, group Editors  [CustomRole 'curator']",
                "",
                "Custom policies:",
                "  added Carol reads products (acme-prod), for user carol@acme.example  [CustomPolicy 'carol-products']",
                "",
            ].join("\n"),
        );
        const md = render(r, "md");
        assert.ok(md.includes("- **Curator** <code>curator</code>: adds <code>p3</code>, drops <code>p1</code>; held by bob@acme.example, group Editors (<code>CustomRole 'curator'</code>)"), md);
        assert.ok(md.includes("#### Custom policies\n\n- added **Carol reads products** (acme-prod), for user carol@acme.example (<code>CustomPolicy 'carol-products'</code>)"), md);
    });

    it("json: the report as is", () => {
        const r = report(changes);
        assert.deepEqual(JSON.parse(render(r, "json")), JSON.parse(JSON.stringify(r)));
    });
});

import * as assert from "node:assert/strict";
import { TASKS } from "../../../provider/catalog/grantEffects";
import { AccessFacts, ineffectiveGrants, RoleFacts } from "../../../provider/validation/effect";

const PROD = "pe-prod";
const STAGING = "pe-staging";
const ML = "cld::policy::global::ml::access";

const roles: RoleFacts[] = [
    { id: "cld::role::prodenv::ml_user", name: "Media Library User", managementType: "system", permissionType: "global", scopeType: "prodenv" },
    { id: "cld::role::prodenv::reports", name: "Reports", managementType: "system", permissionType: "global", scopeType: "prodenv", systemPolicyIds: ["cld::policy::global::reports::delivery::view", "cld::policy::global::reports::errors::view", "cld::policy::global::reports::usage::view"] },
    { id: "cld::role::folder::viewer", name: "Viewer", managementType: "system", permissionType: "content", scopeType: "prodenv", systemPolicyIds: ["cld::policy::content::folder::view_download"] },
    { id: "cld::role::account::admin", name: "Admin", managementType: "system", permissionType: "global", scopeType: "account" },
    { id: "uploader", name: "Uploader", managementType: "custom", permissionType: "global", scopeType: "prodenv", systemPolicyIds: [ML, "cld::policy::global::folder_and_asset_management::create_asset"] },
    { id: "presets", name: "Presets", managementType: "custom", permissionType: "global", scopeType: "prodenv", systemPolicyIds: ["cld::policy::global::upload_presets::manage"] },
    { id: "error-watch", name: "Error watch", managementType: "custom", permissionType: "global", scopeType: "prodenv", systemPolicyIds: ["cld::policy::global::reports::errors::view", "cld::policy::global::moderation_queue::access"] },
];

function facts(extra: Partial<AccessFacts> = {}): AccessFacts {
    return {
        grants: [],
        roles,
        groups: [{ id: "g-design", name: "Designers", memberIds: ["u-bob", "u-erin", "u-alice"] }],
        users: [
            { id: "u-alice", name: "Alice", email: "alice@x.example", productEnvironmentIds: "all" },
            { id: "u-bob", name: "Bob", email: "bob@x.example", productEnvironmentIds: [PROD, STAGING] },
            { id: "u-erin", name: "Erin", email: "erin@x.example", productEnvironmentIds: [STAGING] },
        ],
        productEnvironments: [
            { id: PROD, cloudName: "acme-prod" },
            { id: STAGING, cloudName: "acme-staging" },
        ],
        ...extra,
    };
}

const codes = (f: AccessFacts) => ineffectiveGrants(f).map((w) => w.code);

describe("grants that do nothing (effect rules)", () => {
    describe("group-member-without-environment", () => {
        it("names the member who cannot enter the product environment of a group's role, and only that member", () => {
            const grant = { roleId: "uploader", principalType: "group" as const, principalId: "g-design", scopeId: PROD };
            const [warning, ...rest] = ineffectiveGrants(facts({ grants: [grant] }));
            assert.equal(rest.length, 0);
            assert.equal(warning.code, "group-member-without-environment");
            assert.deepEqual(warning.principals, [{ principalType: "user", principalId: "u-erin", name: "Erin <erin@x.example>" }]);
            assert.equal(warning.productEnvironmentId, PROD);
            assert.match(warning.message, /^group Designers holds Uploader \(uploader\) in acme-prod, but Erin <erin@x\.example> cannot enter acme-prod/);
        });

        it("says nothing when every member can enter it, for account roles, or when a member's access is not known", () => {
            const inStaging = { roleId: "uploader", principalType: "group" as const, principalId: "g-design", scopeId: STAGING };
            const account = { roleId: "cld::role::account::admin", principalType: "group" as const, principalId: "g-design" };
            assert.deepEqual(codes(facts({ grants: [inStaging, account] })), []);
            const unknownAccess = facts({ grants: [{ ...inStaging, scopeId: PROD }] });
            unknownAccess.users = unknownAccess.users.map((u) => (u.id === "u-erin" ? { id: u.id } : u));
            assert.deepEqual(codes(unknownAccess), []);
        });

        it("for 'all', names only a member who can enter no product environment", () => {
            const f = facts({ grants: [{ roleId: "cld::role::prodenv::ml_user", principalType: "group", principalId: "g-design", scopeId: "all" }] });
            assert.deepEqual(codes(f), []);
            f.users.push({ id: "u-none", email: "none@x.example", productEnvironmentIds: [] });
            f.groups[0].memberIds!.push("u-none");
            const [warning] = ineffectiveGrants(f);
            assert.deepEqual(warning.principals.map((p) => p.principalId), ["u-none"]);
            assert.match(warning.message, /in every product environment, but none@x\.example can enter no product environment/);
        });

        it("covers a folder role held by a group", () => {
            const grant = { roleId: "cld::role::folder::viewer", principalType: "group" as const, principalId: "g-design", scopeId: PROD, policyParameters: { folderId: "f1" } };
            const [warning] = ineffectiveGrants(facts({ grants: [grant] }));
            assert.equal(warning.code, "group-member-without-environment");
            assert.match(warning.message, /holds Viewer \(cld::role::folder::viewer\) in acme-prod on folder f1/);
        });
    });

    describe("content-role-key-without-media-library", () => {
        const viewer = { roleId: "cld::role::folder::viewer", principalType: "apiKey" as const, principalId: "820", scopeId: PROD, policyParameters: { folderId: "f1" } };

        it("warns for a folder role on a key that has no Media Library role in that product environment", () => {
            const [warning, ...rest] = ineffectiveGrants(facts({ grants: [viewer, { roleId: "uploader", principalType: "apiKey", principalId: "820", scopeId: STAGING }] }));
            assert.equal(rest.length, 0);
            assert.equal(warning.code, "content-role-key-without-media-library");
            assert.deepEqual(warning.principals, [{ principalType: "apiKey", principalId: "820" }]);
            assert.deepEqual(warning.missingPolicyIds, [ML]);
            assert.match(warning.message, /^API key 820 holds the content role Viewer \(cld::role::folder::viewer\) on folder f1 in acme-prod, but no global role with Access the Media Library/);
        });

        it("is satisfied by a custom role with the policy there or in 'all', and by Media Library User (named by the guide)", () => {
            assert.deepEqual(codes(facts({ grants: [viewer, { roleId: "uploader", principalType: "apiKey", principalId: "820", scopeId: PROD }] })), []);
            assert.deepEqual(codes(facts({ grants: [viewer, { roleId: "uploader", principalType: "apiKey", principalId: "820", scopeId: "all" }] })), []);
            assert.deepEqual(codes(facts({ grants: [viewer, { roleId: "cld::role::prodenv::ml_user", principalType: "apiKey", principalId: "820", scopeId: PROD }] })), []);
        });

        it("is not satisfied by another key's role, nor by a role without the policy", () => {
            assert.deepEqual(codes(facts({ grants: [viewer, { roleId: "uploader", principalType: "apiKey", principalId: "999", scopeId: PROD }, { roleId: "presets", principalType: "apiKey", principalId: "820", scopeId: PROD }] })), [
                "content-role-key-without-media-library",
            ]);
        });

        it("says nothing while a grant of the key has a role not known yet (a preview), or a role whose policies are not known", () => {
            assert.deepEqual(codes(facts({ grants: [viewer, { roleId: "", principalType: "apiKey", principalId: "820", scopeId: PROD, unknown: ["roleId"] }] })), []);
            const unlisted = { id: "cld::role::prodenv::admin", managementType: "system" as const, permissionType: "global" as const, scopeType: "prodenv" as const };
            assert.deepEqual(codes(facts({ roles: [...roles, unlisted], grants: [viewer, { roleId: unlisted.id, principalType: "apiKey", principalId: "820", scopeId: PROD }] })), []);
        });
    });

    describe("console-only-role-on-key", () => {
        it("warns for a role made only of Console areas on an API key or a provisioning key, not on a user", () => {
            const onKey = { roleId: "error-watch", principalType: "apiKey" as const, principalId: "820", scopeId: PROD };
            const [warning] = ineffectiveGrants(facts({ grants: [onKey] }));
            assert.equal(warning.code, "console-only-role-on-key");
            assert.match(warning.message, /^API key 820 holds Error watch \(error-watch\) in acme-prod, whose permissions are all Console areas \(View error reports, Access the Moderation page\)/);
            assert.deepEqual(codes(facts({ grants: [{ ...onKey, principalType: "provisioningKey" }] })), ["console-only-role-on-key"]);
            assert.deepEqual(codes(facts({ grants: [{ ...onKey, principalType: "user", principalId: "u-bob" }] })), []);
        });

        it("says nothing for a role with one permission an API can use (usage reports), nor for one whose policies are not known", () => {
            assert.deepEqual(codes(facts({ grants: [{ roleId: "cld::role::prodenv::reports", principalType: "apiKey", principalId: "820", scopeId: PROD }] })), []);
            assert.deepEqual(codes(facts({ grants: [{ roleId: "cld::role::prodenv::ml_user", principalType: "apiKey", principalId: "820", scopeId: PROD }] })), []);
        });
    });

    describe("partial-task", () => {
        const custom = (id: string, permissionType: "global" | "content", systemPolicyIds: string[]): RoleFacts => ({ id, name: id, managementType: "custom", permissionType, scopeType: "prodenv", systemPolicyIds });
        const check = (role: RoleFacts) => ineffectiveGrants({ grants: [], roles: [role], groups: [], users: [] });

        it("global moderation without the Moderation page and the view: both missing parts named", () => {
            const [warning] = check(custom("moderators", "global", ["cld::policy::global::assets::moderate"]));
            assert.equal(warning.code, "partial-task");
            assert.deepEqual(warning.missingPolicyIds, ["cld::policy::global::moderation_queue::access", "cld::policy::global::folder_and_asset_management::view"]);
            assert.match(warning.message, /"Use Moderation tab to moderate assets" needs Access the Moderation page \(cld::policy::global::moderation_queue::access\) and View all folders and assets/);
        });

        it("a folder role that moves assets out of a folder it cannot view", () => {
            const [warning] = check(custom("movers", "content", ["cld::policy::content::folder::move_assets"]));
            assert.deepEqual(warning.missingPolicyIds, ["cld::policy::content::folder::view_download"]);
            assert.match(warning.message, /"Move assets between folders" needs View assets \(on the folder of origin\)/);
        });

        it("managing collections without viewing assets: both collection tasks, and the part with no published id mentioned", () => {
            const [warning] = check(custom("curators", "global", ["cld::policy::global::collections::manage"]));
            assert.match(warning.message, /"Add assets to \(non-dynamic\) collections" needs View all folders and assets .* too; it also needs View all \(non-dynamic\) collections, whose policy id is not published; "Remove assets from/);
        });

        it("says nothing for complete tasks, for a view or add role, for the global half of the per-folder way, and for system roles", () => {
            assert.deepEqual(check(custom("full", "global", ["cld::policy::global::assets::moderate", "cld::policy::global::moderation_queue::access", "cld::policy::global::folder_and_asset_management::view"])), []);
            assert.deepEqual(check(custom("contrib", "content", ["cld::policy::content::folder::view_download", "cld::policy::content::folder::add_assets"])), []);
            assert.deepEqual(check(custom("movers", "content", ["cld::policy::content::folder::move_assets", "cld::policy::content::folder::view_download"])), []);
            // The Moderation page alone is what the per-folder way needs of a global role (folder roles moderate).
            assert.deepEqual(check(custom("page", "global", ["cld::policy::global::moderation_queue::access"])), []);
            // Relating assets is global only; the per-folder way views through folder roles.
            assert.deepEqual(check(custom("relate", "global", ["cld::policy::global::asset_relation::create"])), []);
            assert.deepEqual(check({ ...custom("sys", "global", ["cld::policy::global::assets::moderate"]), managementType: "system" }), []);
        });

        it("names the role's holders", () => {
            const role = custom("moderators", "global", ["cld::policy::global::assets::moderate"]);
            const warnings = ineffectiveGrants({ ...facts({ grants: [{ roleId: "moderators", principalType: "group", principalId: "g-design", scopeId: PROD }] }), roles: [role] });
            // Erin cannot enter acme-prod: that is the other warning of this grant.
            assert.deepEqual(warnings.map((w) => w.code), ["group-member-without-environment", "partial-task"]);
            const warning = warnings[1];
            assert.deepEqual(warning.principals, [{ principalType: "group", principalId: "g-design", name: "Designers" }]);
            assert.match(warning.message, /custom role moderators \(held by group Designers\)/);
        });
    });

    it("looks only at the subjects asked about", () => {
        const grant = { roleId: "uploader", principalType: "group" as const, principalId: "g-design", scopeId: PROD };
        const other = { roleId: "error-watch", principalType: "apiKey" as const, principalId: "820", scopeId: PROD };
        assert.deepEqual(ineffectiveGrants(facts({ grants: [grant, other] }), { grants: [other], roleIds: [] }).map((w) => w.code), ["console-only-role-on-key"]);
    });

    // The Console guide's table, typed by hand from "Multiple permissions (custom roles)" (seeds/001), one row per
    // action: the global column and the content-specific column, each permission as the guide labels it.
    it("the task data matches the Console guide's Multiple permissions table", () => {
        const table: [string, string[], string[]][] = [
            ["Use Moderation tab to moderate assets", ["Access the Moderation page", "Moderate all assets", "View all folders and assets"], ["Access the Moderation page", "Moderate assets", "View assets"]],
            ["Add assets to (non-dynamic) collections", ["Manage all (non-dynamic) collections", "View all (non-dynamic) collections", "View all folders and assets"], ["Add assets", "View collection", "View assets"]],
            ["Remove assets from (non-dynamic) collections", ["Manage all (non-dynamic) collections", "View all (non-dynamic) collections", "View all folders and assets"], ["Remove assets", "View collection", "View assets"]],
            ["Relate one asset to another", ["Relate assets", "View all folders and assets"], ["View assets"]],
            ["Move assets between folders", ["Update all folders and assets", "View all folders and assets"], ["Add assets (on the destination folder)", "Move assets (on the folder of origin)", "View assets (on the folder of origin)"]],
            ["Start creative approval proofs", ["Start creative approval proofs", "View all folders and assets"], ["View assets"]],
            ["Manage public links for assets and collections", ["Manage public links", "View all folders and assets"], ["View assets"]],
            ["Move folders", ["View all folders and assets"], ["Move folder", "Move assets - required in fixed-folder mode", "View assets"]],
        ];
        const label = (p: { label: string; where?: string }) => (p.where?.startsWith("required") ? `${p.label} - ${p.where}` : p.where ? `${p.label} (${p.where})` : p.label);
        // Parts the table's notes imply ("... is only available as a global permission") are not in its cells.
        const cells = (parts: { label: string; where?: string; fromNote?: string }[]) => parts.filter((p) => !p.fromNote).map(label);
        assert.deepEqual(
            TASKS.map((t) => [t.action, cells(t.global), cells(t.content)]),
            table,
        );
    });

    // The same ids, written by hand from "Manage roles" (seeds/002), "Actions that require multiple permissions".
    it("the task data uses the policy ids of the Permissions API guide's table", () => {
        const ids = (action: string) => new Set(TASKS.find((t) => t.action === action)!.global.concat(TASKS.find((t) => t.action === action)!.content).flatMap((p) => p.policyIds));
        assert.ok(ids("Use Moderation tab to moderate assets").has("cld::policy::global::moderation_queue::access"));
        for (const id of ["cld::policy::content::collection::add_assets", "cld::policy::global::collections::manage"]) assert.ok(ids("Add assets to (non-dynamic) collections").has(id), id);
        for (const id of ["cld::policy::content::collection::remove_assets", "cld::policy::global::collections::manage"]) assert.ok(ids("Remove assets from (non-dynamic) collections").has(id), id);
        assert.ok(ids("Relate one asset to another").has("cld::policy::global::asset_relation::create"));
        assert.ok(ids("Move assets between folders").has("cld::policy::content::folder::move_assets"));
    });
});

// The access report and getEffectivePermissions on the seeded account plus a group, grants through it, an
// inherited folder role and custom policies, against expectations computed by hand.
import * as assert from "node:assert/strict";
import { parse } from "yaml";
import { FOLDERS, PROD, STAGING, USERS } from "../../emulator/seed";
import { accessReport } from "../../cli/access";
import { effectivePermissions } from "../../provider/access";
import { useEmulator } from "../fixture";
import { seedAccess } from "./accessSetup";
import { PROD_KEY, PRODUCTS_FOLDER, setUpEffectsAccount, STAGING_KEY } from "../../harness/grantEffects";

/** The CSV report as "principal | where | entry" lines (a minimal CSV reader: no field holds a comma here). */
function csvLines(csv: string): string[] {
    return csv.trim().split("\n").slice(1).map((line) => {
        const [, id, , where, kind, name, , via, inherited] = line.split(",");
        return `${id} | ${where} | ${kind === "policy" ? "policy: " : ""}${name}${via ? ` via ${via}` : ""}${inherited ? ` from ${inherited}` : ""}`;
    });
}

describe("cloudinary-permissions access: the report, and getEffectivePermissions", () => {
    const fx = useEmulator();
    let designers: string;
    beforeEach(async () => {
        designers = await seedAccess(fx.context());
    });

    it("the seeded account alone: Alice, master admin of the account", async () => {
        await fx.reset();
        const csv = await accessReport(fx.context(), { format: "csv" });
        assert.deepEqual(csvLines(csv), [`${USERS.alice.id} | account | Master Admin`]);
    });

    it("matrix: roles direct, through groups and inherited from parent folders, and custom policies (hand-computed)", async () => {
        await fx.emulator.resetStats();
        const csv = await accessReport(fx.context(), { format: "csv" });
        const W = "acme-prod:marketing/campaigns/winter-2026";
        assert.deepEqual(csvLines(csv).sort(), [
            `${USERS.alice.id} | account | Master Admin`,
            `${USERS.bob.id} | acme-prod | Reports via Designers`,
            `${USERS.bob.id} | acme-prod | policy: Designers read winter via Designers`,
            `${USERS.bob.id} | acme-staging | Reports via Designers`,
            `${USERS.carol.id} | acme-prod | policy: Carol reads products`,
            `${USERS.carol.id} | ${W} | Viewer`,
            `${USERS.erin.id} | acme-prod | Reports via Designers`,
            `${USERS.erin.id} | acme-prod | policy: Designers read winter via Designers`,
            `${USERS.erin.id} | acme-prod:marketing | Viewer`,
            `${USERS.erin.id} | ${W} | Viewer from ${FOLDERS.marketing.id}`,
            `${USERS.erin.id} | acme-staging | Reports via Designers`,
            `${designers} | acme-prod | Reports`,
            `${designers} | acme-prod | policy: Designers read winter`,
            `${designers} | acme-staging | Reports`,
            `${STAGING.integrationKey} | acme-staging | Media Library User`,
            `any | acme-staging | policy: Everyone reads sandbox`,
        ].sort());
        assert.doesNotMatch(csv, /,warning,/);
        // The count, with every listing on one page (the run above may have read several, at the page size
        // CLOUDINARY_EMULATOR_PAGE_SIZE sets): inspect: account + 2 product environments + 2 folders; policies: 3
        // scopes; users (read until an empty page: 2), groups with their members, product environments: 4; folder
        // paths: 2; the catalog, for the roles' policies the warnings look at: 1 (no member is kept out of a product
        // environment). The credential check is the product environments' read.
        fx.emulator.setPageSize(1000);
        await fx.emulator.resetStats();
        await accessReport(fx.context(), { format: "csv" });
        assert.equal((await fx.emulator.stats()).total, 5 + 3 + 4 + 2 + 1);
    });

    it("one principal, one product environment; terminal table, Markdown and HTML show the same cells", async () => {
        const options = { principal: { principalType: "user" as const, principalId: USERS.erin.id }, cloud: "acme-prod" };
        const table = await accessReport(fx.context(), { ...options, format: "table" });
        assert.match(table, /Erin Contractor <erin@acme.example>/);
        assert.match(table, /│ Erin Contractor <erin@acme.example> │ +│ Reports \(via group Designers\) +│ Viewer +│/);
        assert.doesNotMatch(table, /Bob|acme-staging/);
        const md = await accessReport(fx.context(), { ...options, format: "md" });
        // Only the folders where she holds roles are columns.
        assert.match(md, /^\| principal \| account \| acme-prod \| acme-prod:marketing \|$/m);
        assert.match(md, /^\| Erin Contractor <erin@acme.example> \|  \| Reports \(via group Designers\)<br>policy: Designers read winter \(via group Designers\) \| Viewer \|$/m);
        const html = await accessReport(fx.context(), { ...options, format: "html" });
        assert.match(html, /<tr data-principal="user:u0erin00000000000000000000005"><th scope="row">Erin Contractor &#60;erin@acme.example&#62;<\/th>/);
        await assert.rejects(accessReport(fx.context(), { cloud: "acme-nowhere", format: "table" }), /no product environment with cloud name 'acme-nowhere'/);
    });

    it("getEffectivePermissions: a user's roles through its groups, inherited on a folder, and the policies that apply to it", async () => {
        const ctx = fx.context();
        await fx.emulator.resetStats();
        const erin = await effectivePermissions(ctx, { principalType: "user", principalId: USERS.erin.id, scopeId: PROD.id, folderId: FOLDERS.winter2026.id });
        assert.equal((await fx.emulator.stats()).total, 5, "inspect and effective policies, for the account and the product environment, and inspect on the folder");
        assert.deepEqual(
            erin.grants.map((g) => [g.roleId, g.scopeId, g.folderId, g.viaGroupId, g.inheritedFromFolderId]),
            [["cld::role::prodenv::reports", "all", undefined, designers, undefined], ["cld::role::folder::viewer", PROD.id, FOLDERS.marketing.id, undefined, FOLDERS.marketing.id]],
        );
        assert.deepEqual(erin.customPolicies.map((p) => parse(JSON.stringify(p.policyStatement)) as string).length, 1);
        assert.match(erin.customPolicies[0].policyStatement, new RegExp(designers));
        const carol = await effectivePermissions(ctx, { principalType: "user", principalId: USERS.carol.id });
        assert.deepEqual(carol.grants.map((g) => [g.roleId, g.folderId]), [["cld::role::folder::viewer", FOLDERS.winter2026.id]]);
        assert.deepEqual(carol.customPolicies.map((p) => p.policyStatement.includes(FOLDERS.products.id) || p.policyStatement.includes(FOLDERS.sandbox.id)), [true, true], "hers, and everyone's");
        const alice = await effectivePermissions(ctx, { principalType: "user", principalId: USERS.alice.id });
        assert.deepEqual(alice.grants.map((g) => g.roleId), ["cld::role::account::master_admin"]);
    });

    it("lists the grants that do nothing, in every format, and leaves out silenced codes", async () => {
        await fx.reset();
        const ctx = fx.context();
        const effects = await setUpEffectsAccount(fx.emulator, ctx);
        const account = ctx.api.account;
        await account.changeHolders("cld::role::prodenv::ml_user", "add", [{ principalType: "group", principalId: effects.designersId, scopeId: PROD.id }]);
        await account.changeHolders("cld::role::folder::viewer", "add", [{ principalType: "apiKey", principalId: PROD_KEY, scopeId: PROD.id, policyParameters: { folderId: PRODUCTS_FOLDER } }]);
        await account.changeHolders(effects.errorWatchId, "add", [{ principalType: "apiKey", principalId: STAGING_KEY, scopeId: STAGING.id }]);
        const moderators = await account.createRole({ name: "Moderators", permissionType: "global", scopeType: "prodenv", systemPolicyIds: ["cld::policy::global::assets::moderate"] });
        await account.changeHolders(moderators.id, "add", [{ principalType: "user", principalId: USERS.bob.id, scopeId: PROD.id }]);

        const csv = parse(JSON.stringify(await accessReport(fx.context(), { format: "csv" }))) as string;
        const rows = csv.trim().split("\n").filter((l) => l.includes(",warning,")).map((l) => l.split(",").slice(0, 7).join(","));
        assert.deepEqual(rows.sort(), [
            `apiKey,${PROD_KEY},apiKey ${PROD_KEY},acme-prod,warning,content-role-key-without-media-library,cld::role::folder::viewer`,
            `apiKey,${STAGING_KEY},apiKey ${STAGING_KEY},acme-staging,warning,console-only-role-on-key,${effects.errorWatchId}`,
            `user,${USERS.bob.id},Bob Designer <bob@acme.example>,,warning,partial-task,${moderators.id}`,
            `user,${USERS.erin.id},Erin Contractor <erin@acme.example>,acme-prod,warning,group-member-without-environment,cld::role::prodenv::ml_user`,
        ].sort());
        const table = await accessReport(fx.context(), { format: "table" });
        assert.match(table, /\nGrants that do nothing \(4\):\n- group-member-without-environment: group Designers holds Media Library User \(cld::role::prodenv::ml_user\) in acme-prod, but Erin Contractor <erin@acme\.example> cannot enter acme-prod/);
        const md = await accessReport(fx.context(), { format: "md" });
        assert.match(md, /\n## Grants that do nothing\n\n- \*\*group-member-without-environment\*\*: group Designers holds/);
        assert.match(md, /\n- \*\*partial-task\*\*: custom role Moderators \(held by Bob Designer <bob@acme\.example>\) holds part of a task/);
        const html = await accessReport(fx.context(), { format: "html" });
        assert.match(html, /<h2>Grants that do nothing<\/h2>\n<ul class="warnings">\n<li data-code="group-member-without-environment"><code>group-member-without-environment<\/code>: group Designers holds .* Erin Contractor &#60;erin@acme\.example&#62; cannot enter acme-prod/);
        assert.equal((html.match(/<li data-code=/g) ?? []).length, 4);

        const quiet = await accessReport(fx.context({ silencedWarnings: ["partial-task", "console-only-role-on-key", "content-role-key-without-media-library"] }), { format: "md" });
        assert.deepEqual(quiet.match(/^- \*\*[a-z-]+\*\*/gm), ["- **group-member-without-environment**"]);
        assert.doesNotMatch(await accessReport(fx.context({ silencedWarnings: "all" }), { format: "table" }), /Grants that do nothing/);
    });
});

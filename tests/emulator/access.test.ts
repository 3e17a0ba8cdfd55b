// The emulator's Cedar schema and validation, and who-has-what (inspect, effective policies) through groups,
// inherited folder roles and custom policies, against expectations computed by hand from the seeded account.
import * as assert from "node:assert/strict";
import { CEDAR_SCHEMA } from "../../emulator/cedarSchema";
import { FOLDERS, PROD, STAGING, USERS } from "../../emulator/seed";
import { cedarEngine, cedarProblems, CedarSchema } from "../../provider/validation/cedar";
import { PERMISSIONS, PROVISIONING, useEmulator } from "./helpers";

type Inspected = { type: string; id: string; roles: Array<{ id: string; policy_parameters?: { folder_id?: string } }> };

describe("emulator: Cedar schema, custom policy validation, inspect and effective policies", () => {
    const fx = useEmulator();

    describe("Cedar", () => {
        it("serves a schema that parses and validates every published system policy in strict mode", async () => {
            const { body } = await fx.api.get("/v2/accounts/permissions/public/schema");
            assert.deepEqual(cedarEngine().checkParseSchema(body.schema), { type: "success" });
            const { catalog } = (await fx.api.get("/v2/accounts/permissions/public/catalog")).body;
            const published = (catalog.system_policies as Array<{ id: string; policy: string }>).filter((p) => !p.policy.startsWith("//"));
            assert.ok(published.length >= 11, `${published.length} published statements`);
            for (const p of published) {
                const statement = p.policy.replace(/<folder_id>/g, FOLDERS.products.id).replace(/<collection_id>/g, "c1");
                assert.deepEqual(cedarProblems(statement, body.schema as CedarSchema), [], p.id);
            }
            // The spec's own policy examples validate too.
            const example = `permit(principal == Cloudinary::APIKey::"1234",action==Cloudinary::Action::"read",resource is Cloudinary::Folder ) when {resource.ancestor_ids.contains("asdfjkl12347890")} ;`;
            assert.deepEqual(cedarProblems(example, CEDAR_SCHEMA as CedarSchema), []);
        });

        it("rejects a policy the schema refuses with the spec's CedarError shape, naming line, column and the fix; nothing is written", async () => {
            const statement = `permit(\n  principal == Cloudinary::User::"${USERS.bob.id}",\n  action == Cloudinary::Action::"raed",\n  resource is Cloudinary::Folder);`;
            const res = await fx.api.post(`${PERMISSIONS}/policies/custom`, { name: "Bad", scope_type: "prodenv", scope_id: PROD.id, policy_statement: statement });
            assert.equal(res.status, 400);
            assert.deepEqual(res.body.error.details.fields[0], { policy_statement: statement });
            assert.deepEqual(res.body.error.details.fields[1].cedar_errors, [
                { cedar_message: 'line 3, column 13: unrecognized action `Cloudinary::Action::"raed"`; did you mean `Cloudinary::Action::"read"`?' },
            ]);
            assert.equal(res.body.error.code, "ACCOUNTS_00002");
            assert.equal((await fx.emulator.stats()).committedWrites, 0);
        });

        it("rejects an update to a policy that never applies (no action fits), and a type error in a condition", async () => {
            const ok = `permit(principal, action == Cloudinary::Action::"read", resource is Cloudinary::Folder);`;
            const created = await fx.api.post(`${PERMISSIONS}/policies/custom`, { name: "P", scope_type: "account", policy_statement: ok });
            assert.equal(created.status, 201);
            const never = `permit(principal, action == Cloudinary::Action::"moderate", resource is Cloudinary::Folder);`;
            const res = await fx.api.put(`${PERMISSIONS}/policies/custom/${created.body.data.id}`, { name: "P", scope_type: "account", enabled: true, policy_statement: never });
            assert.equal(res.status, 400);
            assert.match(res.body.error.details.fields[1].cedar_errors[0].cedar_message, /^line 1, column 1: unable to find an applicable action/);
            const typed = `permit(principal, action == Cloudinary::Action::"read", resource is Cloudinary::Folder) when { resource.name == 42 };`;
            const res2 = await fx.api.post(`${PERMISSIONS}/policies/custom`, { name: "T", scope_type: "account", policy_statement: typed });
            assert.match(res2.body.error.details.fields[1].cedar_errors[0].cedar_message, /^line 1, column 96: the types Long and String are not compatible/);
        });
    });

    describe("inspect and effective policies, by hand", () => {
        let designers: string;
        let readWinter: string;
        beforeEach(async () => {
            // Designers (bob, erin) hold the reports role in every product environment; erin holds the folder viewer
            // role on marketing (so on campaigns and winter-2026 below it); carol holds it on winter-2026 only.
            designers = (await fx.api.post(`${PROVISIONING}/user_groups`, { name: "Designers" })).body.id;
            for (const u of [USERS.bob.id, USERS.erin.id]) assert.equal((await fx.api.post(`${PROVISIONING}/user_groups/${designers}/users/${u}`)).status, 200);
            const grant = (roleId: string, principals: object[]) => fx.api.put(`${PERMISSIONS}/roles/${encodeURIComponent(roleId)}/principals`, { operation: "add", principals });
            assert.equal((await grant("cld::role::prodenv::reports", [{ principal_type: "group", principal_id: designers, scope_id: "all" }])).status, 200);
            const viewer = (userId: string, folderId: string) => ({ principal_type: "user", principal_id: userId, scope_id: PROD.id, policy_parameters: { folder_id: folderId } });
            assert.equal((await grant("cld::role::folder::viewer", [viewer(USERS.erin.id, FOLDERS.marketing.id), viewer(USERS.carol.id, FOLDERS.winter2026.id)])).status, 200);
            const policy = (name: string, statement: string, enabled = true) =>
                fx.api.post(`${PERMISSIONS}/policies/custom`, { name, scope_type: "prodenv", scope_id: PROD.id, policy_statement: statement, enabled });
            const folderRead = (principal: string, folder: string) => `permit(principal ${principal}, action == Cloudinary::Action::"read", resource is Cloudinary::Folder) when { resource.ancestor_ids.contains("${folder}") };`;
            readWinter = (await policy("Designers read winter", folderRead(`in Cloudinary::Group::"${designers}"`, FOLDERS.winter2026.id))).body.data.id;
            assert.equal((await policy("Carol reads products", folderRead(`== Cloudinary::User::"${USERS.carol.id}"`, FOLDERS.products.id))).status, 201);
            assert.equal((await policy("Disabled for bob", folderRead(`== Cloudinary::User::"${USERS.bob.id}"`, FOLDERS.creative.id), false)).status, 201);
        });

        const inspect = async (query: Record<string, string>): Promise<Inspected[]> => (await fx.api.get(`${PERMISSIONS}/principal_roles/inspect`, { query })).body.data.principals;
        const summary = (list: Inspected[]) => list.map((p) => `${p.type}:${p.id}=${p.roles.map((r) => r.id + (r.policy_parameters?.folder_id ? `@${r.policy_parameters.folder_id}` : "")).join(",")}`);

        it("a folder's principals include those with roles on its ancestors (inherited)", async () => {
            assert.deepEqual(summary(await inspect({ scope_type: "prodenv", scope_id: PROD.id, folder_id: FOLDERS.winter2026.id })), [
                `user:${USERS.carol.id}=cld::role::folder::viewer@${FOLDERS.winter2026.id}`,
                `user:${USERS.erin.id}=cld::role::folder::viewer@${FOLDERS.marketing.id}`,
            ]);
            assert.deepEqual(summary(await inspect({ scope_type: "prodenv", scope_id: PROD.id, folder_id: FOLDERS.marketing.id })), [`user:${USERS.erin.id}=cld::role::folder::viewer@${FOLDERS.marketing.id}`]);
            assert.deepEqual(await inspect({ scope_type: "prodenv", scope_id: PROD.id, folder_id: FOLDERS.products.id }), []);
        });

        it("a user comes with the groups it belongs to, in GET and POST alike", async () => {
            const expected = [`group:${designers}=cld::role::prodenv::reports`, `user:${USERS.erin.id}=cld::role::folder::viewer@${FOLDERS.marketing.id}`];
            assert.deepEqual(summary(await inspect({ scope_type: "prodenv", scope_id: PROD.id, principal_type: "user", principal_id: USERS.erin.id })), expected);
            const post = await fx.api.post(`${PERMISSIONS}/principal_roles/inspect`, { scope_type: "prodenv", scope_id: PROD.id, principals: [{ type: "user", id: USERS.erin.id }] });
            assert.deepEqual(summary(post.body.data.principals), expected);
            assert.deepEqual(summary(await inspect({ scope_type: "prodenv", scope_id: STAGING.id, principal_type: "user", principal_id: USERS.bob.id })), [`group:${designers}=cld::role::prodenv::reports`, `user:${USERS.bob.id}=`]);
            // Without a principal: grants as made, members not repeated.
            assert.deepEqual(summary(await inspect({ scope_type: "prodenv", scope_id: STAGING.id })), [`group:${designers}=cld::role::prodenv::reports`]);
        });

        it("effective policies: the user's and its groups' roles, and the enabled custom policies that name it or its groups", async () => {
            const effective = async (userId: string) => (await fx.api.get(`${PERMISSIONS}/policies/effective`, { query: { scope_type: "prodenv", scope_id: PROD.id, principal_type: "user", principal_id: userId } })).body.data;
            const bob = await effective(USERS.bob.id);
            assert.deepEqual(bob.principals.map((p: { principal_type: string; principal_id: string; roles: Array<{ id: string }> }) => `${p.principal_type}:${p.principal_id}=${p.roles.map((r) => r.id)}`), [`group:${designers}=cld::role::prodenv::reports`]);
            assert.ok(bob.principals[0].roles[0].system_policies[0].policy_statement.includes(`principal == Cloudinary::Group::"${designers}"`));
            assert.deepEqual(bob.custom_policies.map((p: { id: string }) => p.id), [readWinter], "the group's policy; not the disabled one, not carol's");
            const carol = await effective(USERS.carol.id);
            assert.deepEqual(carol.custom_policies.length, 1);
            assert.match(carol.custom_policies[0].policy_statement, new RegExp(USERS.carol.id));
            assert.deepEqual((await effective(USERS.alice.id)).custom_policies, []);
            // Inspect and effective agree on who holds which role, for every user.
            for (const u of Object.values(USERS)) {
                const fromInspect = (await inspect({ scope_type: "prodenv", scope_id: PROD.id, principal_type: "user", principal_id: u.id })).flatMap((p) => p.roles.map((r) => `${p.type}:${p.id}:${r.id}`));
                const fromEffective = (await effective(u.id)).principals.flatMap((p: { principal_type: string; principal_id: string; roles: Array<{ id: string }> }) => p.roles.map((r) => `${p.principal_type}:${p.principal_id}:${r.id}`));
                assert.deepEqual(fromEffective.sort(), fromInspect.sort(), u.name);
            }
        });
    });
});

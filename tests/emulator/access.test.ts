// The emulator's Cedar schema and validation, and who-has-what (inspect, effective policies) through groups,
// inherited folder roles and custom policies. Every expected value is written here by hand from the seeded account
// and the grants each test makes; the Cedar engine itself (cedar-wasm) is the independent judge of the schema.
import * as cedar from "@cedar-policy/cedar-wasm/nodejs";
import * as assert from "node:assert/strict";
import { FOLDERS, PROD, STAGING, USERS } from "../../emulator/seed";
import { PERMISSIONS, PROVISIONING, useEmulator } from "./helpers";

type Inspected = { type: string; id: string; roles: Array<{ id: string; policy_parameters?: { folder_id?: string } }> };
type EffectivePrincipal = { principal_type: string; principal_id: string; roles: Array<{ id: string; system_policies: Array<{ id: string; policy_statement: string }> }> };

describe("emulator: Cedar schema, custom policy validation, inspect and effective policies", () => {
    const fx = useEmulator();
    const cedarErrors = async (statement: string) => {
        const res = await fx.api.post(`${PERMISSIONS}/policies/custom`, { name: "P", scope_type: "account", policy_statement: statement });
        assert.equal(res.status, 400, JSON.stringify(res.body));
        assert.equal(res.body.error.code, "ACCOUNTS_00002");
        return (res.body.error.details.fields[1].cedar_errors as Array<{ cedar_message: string }>).map((e) => e.cedar_message);
    };

    describe("Cedar", () => {
        it("serves a schema that parses and that every published system policy validates against in strict mode", async () => {
            const { body } = await fx.api.get("/v2/accounts/permissions/public/schema");
            assert.deepEqual(cedar.checkParseSchema(body.schema), { type: "success" });
            const { catalog } = (await fx.api.get("/v2/accounts/permissions/public/catalog")).body;
            const published = (catalog.system_policies as Array<{ id: string; policy: string }>).filter((p) => !p.policy.startsWith("//"));
            assert.equal(published.length, 11);
            for (const p of published) {
                const statement = p.policy.replace(/<folder_id>/g, FOLDERS.products.id).replace(/<collection_id>/g, "c1");
                const answer = cedar.validate({ validationSettings: { mode: "strict" }, schema: body.schema, policies: { staticPolicies: statement } });
                assert.equal(answer.type, "success", p.id);
                assert.deepEqual(answer.type === "success" && answer.validationErrors, [], p.id);
            }
            // The spec's own policy example validates too.
            const example = `permit(principal == Cloudinary::APIKey::"1234",action==Cloudinary::Action::"read",resource is Cloudinary::Folder ) when {resource.ancestor_ids.contains("asdfjkl12347890")} ;`;
            const answer = cedar.validate({ validationSettings: { mode: "strict" }, schema: body.schema, policies: { staticPolicies: example } });
            assert.deepEqual(answer.type === "success" && answer.validationErrors, []);
        });

        it("refuses a misspelt action with the spec's CedarError shape, naming line, column and the fix in its namespace; nothing is written", async () => {
            const statement = `permit(\n  principal == Cloudinary::User::"${USERS.bob.id}",\n  action == Cloudinary::Action::"raed",\n  resource is Cloudinary::Folder);`;
            const res = await fx.api.post(`${PERMISSIONS}/policies/custom`, { name: "Bad", scope_type: "prodenv", scope_id: PROD.id, policy_statement: statement });
            assert.deepEqual(res.body, {
                error: {
                    category: "user_error",
                    code: "ACCOUNTS_00002",
                    message: "invalid request",
                    details: { fields: [{ policy_statement: statement }, { cedar_errors: [{ cedar_message: 'line 3, column 13: unrecognized action `Cloudinary::Action::"raed"`; did you mean `Cloudinary::Action::"read"`?' }] }] },
                },
            });
            assert.equal((await fx.emulator.stats()).committedWrites, 0);
        });

        it("names the problem of each kind of bad statement", async () => {
            assert.deepEqual(await cedarErrors(`permit(principal == Cloudinary::APIKy::"1234", action, resource);`), ["invalid_principal"]);
            assert.deepEqual(await cedarErrors(`permit(principal is Cloudinary::Robot, action, resource);`), ["invalid_principal"]);
            assert.deepEqual(await cedarErrors(`permit(principal, action, resource is Cloudinary::Foldr);`), ["line 1, column 39: unrecognized entity type `Cloudinary::Foldr`; did you mean `Cloudinary::Folder`?"]);
            const [syntax] = await cedarErrors("permit(principal, action");
            assert.match(syntax, /^line 1, column 25: unexpected end of input: expected /);
            assert.deepEqual(await cedarErrors("// only a comment"), ["line 1, column 1: the statement holds no policy"]);
        });

        it("refuses an update to a policy that never applies (no action fits), and a type error in a condition", async () => {
            const ok = `permit(principal, action == Cloudinary::Action::"read", resource is Cloudinary::Folder);`;
            const created = await fx.api.post(`${PERMISSIONS}/policies/custom`, { name: "P", scope_type: "account", policy_statement: ok });
            assert.equal(created.status, 201);
            const never = `permit(principal, action == Cloudinary::Action::"moderate", resource is Cloudinary::Folder);`;
            const res = await fx.api.put(`${PERMISSIONS}/policies/custom/${created.body.data.id}`, { name: "P", scope_type: "account", enabled: true, policy_statement: never });
            assert.deepEqual(res.body.error.details.fields[1].cedar_errors, [{ cedar_message: "line 1, column 1: unable to find an applicable action given the policy scope constraints" }]);
            const typed = `permit(principal, action == Cloudinary::Action::"read", resource is Cloudinary::Folder) when { resource.name == 42 };`;
            const [message] = await cedarErrors(typed);
            assert.match(message, /^line 1, column 96: the types Long and String are not compatible/);
        });

        it("the public validate endpoint gives the same messages", async () => {
            const bad = await fx.api.post("/v2/accounts/permissions/public/validate", { policy: `permit(principal, action, resource is Cloudinary::Foldr);` });
            assert.deepEqual(bad.body, { valid: false, errors: [{ cedar_message: "line 1, column 39: unrecognized entity type `Cloudinary::Foldr`; did you mean `Cloudinary::Folder`?", cedar_code: "ACCOUNTS_00002" }] });
        });
    });

    describe("inspect and effective policies, by hand", () => {
        let designers: string;
        let readWinter: string;
        let carolReadsProducts: string;
        beforeEach(async () => {
            // Designers (bob, erin) hold the reports role in every product environment; erin holds the folder viewer
            // role on marketing (so on campaigns and winter-2026 below it); carol holds it on winter-2026 only.
            designers = (await fx.api.post(`${PROVISIONING}/user_groups`, { name: "Designers" })).body.id;
            for (const u of [USERS.bob.id, USERS.erin.id]) assert.equal((await fx.api.post(`${PROVISIONING}/user_groups/${designers}/users/${u}`)).status, 200);
            const grant = (roleId: string, principals: object[]) => fx.api.put(`${PERMISSIONS}/roles/${encodeURIComponent(roleId)}/principals`, { operation: "add", principals });
            assert.equal((await grant("cld::role::prodenv::reports", [{ principal_type: "group", principal_id: designers, scope_id: "all" }])).status, 200);
            const viewer = (userId: string, folderId: string) => ({ principal_type: "user", principal_id: userId, scope_id: PROD.id, policy_parameters: { folder_id: folderId } });
            assert.equal((await grant("cld::role::folder::viewer", [viewer(USERS.erin.id, FOLDERS.marketing.id), viewer(USERS.carol.id, FOLDERS.winter2026.id)])).status, 200);
            const policy = async (name: string, statement: string, enabled = true) => {
                const res = await fx.api.post(`${PERMISSIONS}/policies/custom`, { name, scope_type: "prodenv", scope_id: PROD.id, policy_statement: statement, enabled });
                assert.equal(res.status, 201, JSON.stringify(res.body));
                return res.body.data.id as string;
            };
            const folderRead = (principal: string, folder: string) => `permit(principal ${principal}, action == Cloudinary::Action::"read", resource is Cloudinary::Folder) when { resource.ancestor_ids.contains("${folder}") };`;
            readWinter = await policy("Designers read winter", folderRead(`in Cloudinary::Group::"${designers}"`, FOLDERS.winter2026.id));
            carolReadsProducts = await policy("Carol reads products", folderRead(`== Cloudinary::User::"${USERS.carol.id}"`, FOLDERS.products.id));
            await policy("Disabled for bob", folderRead(`== Cloudinary::User::"${USERS.bob.id}"`, FOLDERS.creative.id), false);
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
            assert.deepEqual(summary(await inspect({ scope_type: "prodenv", folder_id: "all" })), [
                `user:${USERS.carol.id}=cld::role::folder::viewer@${FOLDERS.winter2026.id}`,
                `user:${USERS.erin.id}=cld::role::folder::viewer@${FOLDERS.marketing.id}`,
            ]);
            assert.deepEqual(await inspect({ scope_type: "prodenv", scope_id: PROD.id, asset_id: "any-asset" }), [], "assets are not modelled: no grant is on one");
        });

        it("a user comes with the groups it belongs to, in GET and POST alike", async () => {
            const expected = [`group:${designers}=cld::role::prodenv::reports`, `user:${USERS.erin.id}=cld::role::folder::viewer@${FOLDERS.marketing.id}`];
            assert.deepEqual(summary(await inspect({ scope_type: "prodenv", scope_id: PROD.id, principal_type: "user", principal_id: USERS.erin.id })), expected);
            const post = await fx.api.post(`${PERMISSIONS}/principal_roles/inspect`, { scope_type: "prodenv", scope_id: PROD.id, principals: [{ type: "user", id: USERS.erin.id }] });
            assert.deepEqual(summary(post.body.data.principals), expected);
            assert.deepEqual(summary(await inspect({ scope_type: "prodenv", scope_id: STAGING.id, principal_type: "user", principal_id: USERS.bob.id })), [`group:${designers}=cld::role::prodenv::reports`, `user:${USERS.bob.id}=`]);
            // Without a principal: grants as made, members not repeated.
            assert.deepEqual(summary(await inspect({ scope_type: "prodenv", scope_id: STAGING.id })), [`group:${designers}=cld::role::prodenv::reports`]);
            assert.deepEqual(summary(await inspect({ scope_type: "account" })), [`user:${USERS.alice.id}=cld::role::account::master_admin`]);
        });

        const effective = async (userId: string) => (await fx.api.get(`${PERMISSIONS}/policies/effective`, { query: { scope_type: "prodenv", scope_id: PROD.id, principal_type: "user", principal_id: userId } })).body.data;
        const holders = (principals: EffectivePrincipal[]) => principals.map((p) => `${p.principal_type}:${p.principal_id}=${p.roles.map((r) => r.id).join(",")}`);

        it("effective policies of each user: its own and its groups' roles, and the enabled custom policies that name it or its groups", async () => {
            const expected: Record<string, { holders: string[]; customPolicies: string[] }> = {
                // master_admin is an account role: nothing in a product environment.
                [USERS.alice.id]: { holders: [], customPolicies: [] },
                // Through Designers only; the policy for the group, not bob's disabled one.
                [USERS.bob.id]: { holders: [`group:${designers}=cld::role::prodenv::reports`], customPolicies: [readWinter] },
                [USERS.carol.id]: { holders: [`user:${USERS.carol.id}=cld::role::folder::viewer`], customPolicies: [carolReadsProducts] },
                [USERS.dave.id]: { holders: [], customPolicies: [] },
                [USERS.erin.id]: { holders: [`group:${designers}=cld::role::prodenv::reports`, `user:${USERS.erin.id}=cld::role::folder::viewer`], customPolicies: [readWinter] },
            };
            for (const [userId, want] of Object.entries(expected)) {
                const data = await effective(userId);
                assert.deepEqual({ holders: holders(data.principals), customPolicies: data.custom_policies.map((p: { id: string }) => p.id) }, want, userId);
            }
        });

        it("binds the principal and the folder into the system policies' statements", async () => {
            const erin = (await effective(USERS.erin.id)).principals as EffectivePrincipal[];
            const viewer = erin.find((p) => p.principal_type === "user")!.roles[0];
            assert.deepEqual(viewer.system_policies, [
                {
                    id: "cld::policy::content::folder::view_download",
                    policy_statement:
                        `permit(principal == Cloudinary::User::"${USERS.erin.id}", action == Cloudinary::Action::"read", resource is Cloudinary::Folder) when { resource.ancestor_ids.contains("${FOLDERS.marketing.id}") };\n` +
                        `permit(principal == Cloudinary::User::"${USERS.erin.id}", action == Cloudinary::Action::"read", resource is Cloudinary::Asset) when { resource.ancestor_ids.contains("${FOLDERS.marketing.id}") };`,
                },
                { id: "cld::policy::content::folder::download_public_assets", policy_statement: "// policy statement not published by Cloudinary (emulator placeholder)" },
            ]);
            const group = erin.find((p) => p.principal_type === "group")!.roles[0];
            const usage = group.system_policies.find((p) => p.id === "cld::policy::global::reports::usage::view")!;
            assert.equal(
                usage.policy_statement,
                `permit(principal == Cloudinary::Group::"${designers}", action, resource == Cloudinary::Feature::"cld::global::reports::usage::view");\n` +
                    `permit(principal == Cloudinary::Group::"${designers}", action == Cloudinary::Action::"read", resource is Cloudinary::Report) when { resource.type == "env_usage" };`,
            );
        });

        it("without a principal: every holder in the scope and every enabled custom policy there", async () => {
            const data = (await fx.api.get(`${PERMISSIONS}/policies/effective`, { query: { scope_type: "prodenv", scope_id: PROD.id } })).body.data;
            assert.deepEqual(holders(data.principals), [`group:${designers}=cld::role::prodenv::reports`, `user:${USERS.carol.id}=cld::role::folder::viewer`, `user:${USERS.erin.id}=cld::role::folder::viewer`]);
            assert.deepEqual(data.custom_policies.map((p: { id: string }) => p.id), [readWinter, carolReadsProducts]);
            const staging = (await fx.api.get(`${PERMISSIONS}/policies/effective`, { query: { scope_type: "prodenv", scope_id: STAGING.id } })).body.data;
            assert.deepEqual({ holders: holders(staging.principals), custom: staging.custom_policies }, { holders: [`group:${designers}=cld::role::prodenv::reports`], custom: [] });
        });

        it("a policy for `principal is User in` a group applies to its members only", async () => {
            const statement = `permit(principal is Cloudinary::User in Cloudinary::Group::"${designers}", action == Cloudinary::Action::"read", resource is Cloudinary::Folder);`;
            const res = await fx.api.post(`${PERMISSIONS}/policies/custom`, { name: "Members read folders", scope_type: "prodenv", scope_id: "all", policy_statement: statement });
            assert.equal(res.status, 201);
            const members = res.body.data.id as string;
            assert.deepEqual((await effective(USERS.bob.id)).custom_policies.map((p: { id: string }) => p.id), [readWinter, members]);
            assert.deepEqual((await effective(USERS.carol.id)).custom_policies.map((p: { id: string }) => p.id), [carolReadsProducts]);
        });
    });
});

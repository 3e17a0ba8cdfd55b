#!/usr/bin/env node
// Generates the committed TypeScript types:
//   wire/*.ts                     from the official OpenAPI specs in openapi/ (openapi-typescript); shared by
//                                 provider/api/ and the emulator, so it lives outside both
//   provider/generated/inputs.ts  from schema.json, the resources' inputs and the GitOps file (json-schema-to-typescript)
// Usage: node scripts/gen-types.js [outRoot]; the files are written under outRoot (default: the repository) at the
// paths above. tests/provider/api/generated-types.test.ts regenerates into a temp dir and fails when they drift.
"use strict";
const { execFileSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");
const { compile } = require("json-schema-to-typescript");

const root = path.resolve(__dirname, "..");
const outRoot = path.resolve(process.argv[2] || root);

// ---- wire/: the Cloudinary APIs ---------------------------------------------------------------------------

function generateApiTypes() {
    const specs = { permissions: "permissions.yml", provisioning: "provisioning.yml", admin: "asset-management.yml" };
    const outDir = path.join(outRoot, "wire");
    const cli = path.join(root, "node_modules", "openapi-typescript", "bin", "cli.js");
    fs.mkdirSync(outDir, { recursive: true });
    for (const [name, file] of Object.entries(specs)) {
        execFileSync(process.execPath, [cli, path.join(root, "openapi", file), "-o", path.join(outDir, `${name}.ts`)], {
            stdio: ["ignore", "ignore", "inherit"],
        });
    }
}

// ---- provider/generated/inputs.ts: schema.json -------------------------------------------------------------

/** The $defs that become exported types, in the file's order, and their names; every other $def is inlined. */
const NAMED = {
    permissionType: "PermissionType",
    scopeType: "ScopeType",
    principalType: "PrincipalType",
    folderPrincipalType: "FolderPrincipalType",
    policyParameters: "PolicyParameters",
    CustomRole: "CustomRoleInputs",
    RoleAssignment: "RoleAssignmentInputs",
    FolderShare: "FolderShareInputs",
    Group: "GroupInputs",
    principalGrant: "PrincipalGrant",
    roleHolder: "RoleHolder",
    principalRef: "PrincipalRef",
    PrincipalRoles: "PrincipalRolesInputs",
    RolePrincipals: "RolePrincipalsInputs",
    exclusiveGrant: "ExclusiveGrant",
    AccountGrants: "AccountGrantsInputs",
    CustomPolicy: "CustomPolicyInputs",
    ProductEnvironmentAccess: "ProductEnvironmentAccessInputs",
    PermissionsFile: "PermissionsFile",
};

const BANNER = [
    "// Generated from schema.json by scripts/gen-types.js (json-schema-to-typescript): do not edit.",
    "// Run `npm run gen:types` after changing schema.json.",
].join("\n");

const STYLE = { bracketSpacing: true, printWidth: 120, semi: true, singleQuote: false, tabWidth: 4, trailingComma: "all" };

/**
 * schema.json as json-schema-to-typescript should see it: named $defs get their type name as title, a $ref to
 * any other $def is replaced by that $def (so `name` is typed `string` with its description as JSDoc rather than
 * an alias `Name`), and annotations for other tools (x-onChange, ...) are dropped.
 */
function prepare(schema) {
    const defs = schema.$defs;
    const rewrite = (node) => {
        if (Array.isArray(node)) return node.map(rewrite);
        if (node === null || typeof node !== "object") return node;
        const out = {};
        for (const [key, value] of Object.entries(node)) if (!key.startsWith("x-")) out[key] = rewrite(value);
        const ref = /^#\/\$defs\/(.+)$/.exec(out.$ref ?? "");
        if (!ref) return out;
        if (!(ref[1] in defs)) throw new Error(`schema.json: ${out.$ref} names no $def`);
        if (ref[1] in NAMED) return out; // the named type, referenced by its name
        const { $ref, ...siblings } = out;
        return { ...rewrite(defs[ref[1]]), ...siblings };
    };
    const $defs = rewrite(defs);
    for (const [def, name] of Object.entries(NAMED)) {
        if (!$defs[def]) throw new Error(`schema.json has no $defs/${def}`);
        $defs[def].title = name;
    }
    return $defs;
}

async function generateInputs() {
    const $defs = prepare(JSON.parse(fs.readFileSync(path.join(root, "schema.json"), "utf8")));
    const options = { bannerComment: "", declareExternallyReferenced: false, ignoreMinAndMaxItems: true, style: STYLE };
    const types = [];
    for (const [def, name] of Object.entries(NAMED)) types.push((await compile({ ...$defs[def], $defs }, name, options)).trim());
    const outDir = path.join(outRoot, "provider", "generated");
    fs.mkdirSync(outDir, { recursive: true });
    fs.writeFileSync(path.join(outDir, "inputs.ts"), `${BANNER}\n\n${types.join("\n\n")}\n`);
}

generateApiTypes();
generateInputs().catch((error) => {
    console.error(error);
    process.exitCode = 1;
});

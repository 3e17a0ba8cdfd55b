#!/usr/bin/env node
// Generates the committed TypeScript:
//   wire/*.ts                           from the official OpenAPI specs in openapi/ (openapi-typescript); shared by
//                                       provider/api/ and the emulator, so it lives outside both
//   provider/generated/inputs.ts        from schema.json, the resources' inputs and the GitOps file (json-schema-to-typescript)
//   provider/generated/resources.ts     from schema.json: the resource kinds (x-resource), the permissions.yaml sections,
//                                       and where inputs may name another section's key (PermissionsFile's x-references)
//   provider/resources/index.ts         every resource's class and types, and
//   provider/resources/definitions.ts   every resource's definition and class, by the naming convention below
// Usage: node scripts/gen-types.js [outRoot]; the files are written under outRoot (default: the repository) at the
// paths above. tests/provider/api/generated-types.test.ts regenerates into a temp dir and fails when they drift.
//
// The convention: the resource of the $def `FooBar` lives in provider/resources/fooBar.ts, which exports its
// definition `fooBar`, its class `FooBar` and the types `FooBarArgs` and `FooBarOutputs`; its inputs' type is
// `FooBarInputs` (provider/generated/inputs.ts).
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

/** The shared $defs that become exported types, and their names; each resource's $def becomes `<Kind>Inputs`; every other $def is inlined. */
const SHARED = {
    permissionType: "PermissionType",
    scopeType: "ScopeType",
    principalType: "PrincipalType",
    folderPrincipalType: "FolderPrincipalType",
    policyParameters: "PolicyParameters",
    principalGrant: "PrincipalGrant",
    roleHolder: "RoleHolder",
    principalRef: "PrincipalRef",
    exclusiveGrant: "ExclusiveGrant",
    PermissionsFile: "PermissionsFile",
};

const readSchema = () => JSON.parse(fs.readFileSync(path.join(root, "schema.json"), "utf8"));

/** The resources: the $defs annotated x-resource, in the file's order. */
const kindsOf = (schema) => Object.keys(schema.$defs).filter((def) => schema.$defs[def]["x-resource"] === true);

/** The $defs that become exported types, in the file's order, and their names. */
function namedTypes(schema) {
    for (const def of Object.keys(SHARED)) if (!schema.$defs[def]) throw new Error(`schema.json has no $defs/${def}`);
    const kinds = new Set(kindsOf(schema));
    return Object.fromEntries(Object.keys(schema.$defs).flatMap((def) => (kinds.has(def) ? [[def, `${def}Inputs`]] : def in SHARED ? [[def, SHARED[def]]] : [])));
}

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
    const NAMED = namedTypes(schema);
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
        $defs[def].title = name;
    }
    return $defs;
}

async function generateInputs(schema) {
    const $defs = prepare(schema);
    const options = { bannerComment: "", declareExternallyReferenced: false, ignoreMinAndMaxItems: true, style: STYLE };
    const types = [];
    for (const [def, name] of Object.entries(namedTypes(schema))) types.push((await compile({ ...$defs[def], $defs }, name, options)).trim());
    write(["provider", "generated", "inputs.ts"], `${BANNER}\n\n${types.join("\n\n")}\n`);
}

function write(segments, text) {
    const file = path.join(outRoot, ...segments);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
}

// ---- provider/generated/resources.ts: the resources and the permissions.yaml sections -----------------------

/**
 * The permissions.yaml sections that declare resources: the section, its resource (the $def its entries are, or,
 * when they are not its inputs as they stand, the section's x-resource), the input its key supplies (x-key), and the
 * input its value is when the value is not an object of inputs (x-value).
 */
function sectionsOf(schema) {
    const kinds = new Set(kindsOf(schema));
    return Object.entries(schema.$defs.PermissionsFile.properties).flatMap(([section, property]) => {
        const kind = property["x-resource"] ?? /^#\/\$defs\/(.+)$/.exec(property.additionalProperties?.$ref ?? "")?.[1];
        if (property["x-resource"] !== undefined && !kinds.has(kind)) throw new Error(`schema.json: PermissionsFile.${section} names x-resource ${kind}, which is no resource`);
        if (!kind || !kinds.has(kind)) return [];
        return [{ section, kind, ...(property["x-key"] ? { keyInput: property["x-key"] } : {}), ...(property["x-value"] ? { valueInput: property["x-value"] } : {}) }];
    });
}

/**
 * Where a resource's inputs may name a key of a section (PermissionsFile's x-references: a $def whose values do,
 * with the sibling values it takes): the path of each such value ("*" is every item of a list).
 */
function referencesOf(schema, kind) {
    const rules = schema.$defs.PermissionsFile["x-references"] ?? [];
    const found = [];
    const visit = (node, at, seen) => {
        const ref = /^#\/\$defs\/(.+)$/.exec(node.$ref ?? "")?.[1];
        if (ref) {
            for (const rule of rules.filter((r) => r.$def === ref)) found.push({ path: at, section: rule.section, ...(rule.when ? { when: rule.when } : {}) });
            if (!seen.has(ref)) visit(schema.$defs[ref], at, new Set([...seen, ref]));
            return;
        }
        for (const [key, child] of Object.entries(node.properties ?? {})) visit(child, [...at, key], seen);
        if (node.items) visit(node.items, [...at, "*"], seen);
    };
    visit(schema.$defs[kind], [], new Set([kind]));
    return found;
}

/** A value as TypeScript source, on one line. */
function literal(value) {
    if (Array.isArray(value)) return `[${value.map(literal).join(", ")}]`;
    if (value && typeof value === "object") return `{ ${Object.entries(value).map(([k, v]) => `${/^\w+$/.test(k) ? k : JSON.stringify(k)}: ${literal(v)}`).join(", ")} }`;
    return JSON.stringify(value);
}

function generateResources(schema) {
    const kinds = kindsOf(schema);
    const lines = [
        "// Generated from schema.json by scripts/gen-types.js: do not edit. Run `npm run gen:types` after changing schema.json.",
        "",
        "/** Every resource, by its schema.json $def (annotated x-resource). */",
        `export const RESOURCE_KINDS = [${kinds.map((k) => JSON.stringify(k)).join(", ")}] as const;`,
        "export type ResourceKind = (typeof RESOURCE_KINDS)[number];",
        "",
        "/**",
        " * A permissions.yaml section: the resource each entry declares, the input the entry's key supplies, if any (x-key),",
        " * and the one input the entry's value is, in a section whose values are not objects of inputs (x-value).",
        " */",
        "export interface Section {",
        "    section: string;",
        "    kind: ResourceKind;",
        "    keyInput?: string;",
        "    valueInput?: string;",
        "}",
        "",
        "/** The permissions.yaml sections that declare resources, in the file's order (PermissionsFile in schema.json). */",
        "export const SECTIONS: readonly Section[] = [",
        ...sectionsOf(schema).map((s) => `    ${literal(s)},`),
        "];",
        "",
        "/** An input value that may name a key of a section: its path (\"*\" is every item of a list), and the values its siblings must have. */",
        "export interface Reference {",
        "    path: readonly string[];",
        "    section: string;",
        "    when?: Readonly<Record<string, string>>;",
        "}",
        "",
        "/** Where each resource's inputs may name another section's key (PermissionsFile's x-references in schema.json). */",
        "export const REFERENCES: Readonly<Record<ResourceKind, readonly Reference[]>> = {",
        ...kinds.map((k) => `    ${k}: [${referencesOf(schema, k).map(literal).join(", ")}],`),
        "};",
        "",
    ];
    write(["provider", "generated", "resources.ts"], lines.join("\n"));
}

// ---- provider/resources/index.ts and definitions.ts: every resource, by the naming convention ---------------

const moduleOf = (kind) => kind[0].toLowerCase() + kind.slice(1);

function generateRegistry(schema) {
    const kinds = kindsOf(schema);
    const banner = "// Generated from schema.json by scripts/gen-types.js: do not edit. Run `npm run gen:types` after changing schema.json.";
    write(["provider", "resources", "index.ts"], [
        banner,
        "// Every resource's class and types, as the package exports them (provider/resources/<kind>.ts by convention).",
        ...kinds.map((k) => `export { ${k}, type ${k}Args, type ${k}Outputs } from "./${moduleOf(k)}";`),
        "",
    ].join("\n"));
    write(["provider", "resources", "definitions.ts"], [
        banner,
        "// Every resource's definition (what the runtime hands the engine's calls to) and class, by kind.",
        'import type { DefinedResource } from "../dynamic/define";',
        'import type { ResourceKind } from "../generated/resources";',
        ...kinds.map((k) => `import { ${moduleOf(k)}, ${k} } from "./${moduleOf(k)}";`),
        "",
        "export const DEFINITIONS: Readonly<Record<ResourceKind, DefinedResource<any, any>>> = {",
        ...kinds.map((k) => `    ${k}: ${moduleOf(k)},`),
        "};",
        "",
        "export const CLASSES = {",
        ...kinds.map((k) => `    ${k},`),
        "} as const satisfies Record<ResourceKind, unknown>;",
        "",
        "/** The resources a permissions.yaml declares, by section and key. */",
        "export interface SectionResources {",
        ...sectionsOf(schema).map((s) => `    ${s.section}: Record<string, ${s.kind}>;`),
        "}",
        "",
    ].join("\n"));
}

generateApiTypes();
const schema = readSchema();
generateResources(schema);
generateRegistry(schema);
generateInputs(schema).catch((error) => {
    console.error(error);
    process.exitCode = 1;
});

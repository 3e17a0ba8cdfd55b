// GitOps: a declarative permissions.yaml turned into this package's resources (validated first, in
// validation/permissionsFile.ts). Errors are raised while the Pulumi program runs, so `pulumi preview` fails
// before anything is written. With `exclusive`, an AccountGrants guard makes the file the whole truth for the
// account's grants. What a section declares, and which of its values may name another section's key, come from
// schema.json (provider/generated/resources.ts): nothing here is written per resource.
import * as pulumi from "@pulumi/pulumi";
import * as fs from "node:fs";
import { programClaims } from "./dynamic/program";
import type { ExclusiveGrant, PermissionsFile } from "./generated/inputs";
import { REFERENCES, Reference, ResourceKind, Section, SECTIONS } from "./generated/resources";
import type { AccountGrants, AccountGrantsArgs } from "./resources";
import { CLASSES, DEFINITIONS, SectionResources } from "./resources/definitions";
import { declaredGrants, parsePermissionsFile, PermissionsFileError } from "./validation/permissionsFile";

export { parsePermissionsFile, PermissionsFileError };
export type { PermissionsFile };

export type PermissionsFileResources = SectionResources & {
    /** The guard of an exclusive file. */
    exclusive?: AccountGrants;
};

type Args = Record<string, unknown>;

/**
 * An entry's inputs: what the file says, with the input its key supplies in a section keyed by an input (x-key),
 * and the entry's value as one input in a section whose values are that input alone (x-value).
 */
function entryArgs(section: Section, key: string, value: unknown): Args {
    const args = section.valueInput ? { [section.valueInput]: value } : (value as Args);
    return section.keyInput ? { ...args, [section.keyInput]: key } : args;
}

/** The file's entries of one section. */
function entries(file: PermissionsFile, section: Section): [string, Args][] {
    return Object.entries(((file as Record<string, unknown>)[section.section] ?? {}) as Record<string, unknown>).map(([key, value]) => [key, entryArgs(section, key, value)]);
}

/**
 * The file with every value that names a declared entry by its `name` (a group's or a custom role's name, where
 * schema.json's x-references lets the value name that section's key) written as the entry's key: a reviewer may
 * write either, and both then refer to the declared resource (and are compared as one in the claims).
 */
function withKeys(file: PermissionsFile): PermissionsFile {
    const written = structuredClone(file) as Record<string, Record<string, unknown>>;
    const keyByName = (section: string, name: unknown): string | undefined => {
        const target = written[section] as Record<string, { name?: unknown }> | undefined;
        if (typeof name !== "string" || !target || name in target) return undefined;
        return Object.entries(target).find(([, entry]) => entry?.name === name)?.[0];
    };
    for (const section of SECTIONS) {
        for (const entry of Object.values(written[section.section] ?? {})) {
            if (section.valueInput) continue; // its value is one plain input: nothing in it names a key
            for (const reference of REFERENCES[section.kind]) rewriteAt(entry, reference, reference.path, (value) => keyByName(reference.section, value));
        }
    }
    if (typeof written.exclusive === "object" && written.exclusive) {
        for (const reference of REFERENCES.AccountGrants.filter((r) => r.path[0] === "exempt")) rewriteAt(written.exclusive, reference, reference.path, (value) => keyByName(reference.section, value));
    }
    return written as PermissionsFile;
}

/** Replaces the values at a reference's path (where its `when` holds) by what `to` gives, when it gives something. */
function rewriteAt(node: unknown, reference: Reference, path: readonly string[], to: (value: unknown) => unknown): void {
    if (node === null || typeof node !== "object") return;
    const [step, ...rest] = path;
    if (step === "*") {
        if (!Array.isArray(node)) return;
        if (rest.length) for (const item of node) rewriteAt(item, reference, rest, to);
        else node.forEach((value, i) => (node[i] = to(value) ?? value));
        return;
    }
    const values = node as Record<string, unknown>;
    if (rest.length) return rewriteAt(values[step], reference, rest, to);
    const applies = Object.entries(reference.when ?? {}).every(([sibling, value]) => values[sibling] === value);
    if (applies) values[step] = to(values[step]) ?? values[step];
}

/** Sections whose keys others name first, so that their resources exist when the others are declared. */
function declarationOrder(): Section[] {
    const named = new Set(Object.values(REFERENCES).flatMap((refs) => refs.map((r) => r.section)));
    return [...SECTIONS.filter((s) => named.has(s.section)), ...SECTIONS.filter((s) => !named.has(s.section))];
}

/**
 * Conflicts between declarations, by the names written in the file (group and role keys included): claimed
 * before any resource is declared, while a reference is still the key it names rather than another resource's output.
 */
function claimAll(file: PermissionsFile): void {
    const declarations = SECTIONS.flatMap((section) => {
        const claims = DEFINITIONS[section.kind].claims;
        return claims ? entries(file, section).map(([key, args]) => ({ kind: section.kind, key, claim: claims(args) })) : [];
    });
    // Authority first: two owners of one principal or role is the conflict to report, before the grants they fight over.
    for (const { kind, key, claim } of declarations) if (claim.authority) programClaims.claim(kind, key, { authority: claim.authority });
    for (const { kind, key, claim } of declarations) programClaims.claim(kind, key, { ...claim, authority: undefined });
}

/** The id output of a declared resource (roleId, groupId): what a value naming its key stands for. */
function idOutputOf(kind: ResourceKind, resource: pulumi.Resource): pulumi.Output<string> {
    const { id } = DEFINITIONS[kind];
    return "output" in id ? (resource as unknown as Record<string, pulumi.Output<string>>)[id.output] : (resource as pulumi.CustomResource).id;
}

/** `args` with every value that names a key of a declared section (schema.json's x-references) replaced by that resource's id. */
function resolveReferences(kind: ResourceKind, args: Args, declared: Map<string, { kind: ResourceKind; byKey: Record<string, pulumi.Resource> }>): Args {
    const resolved = structuredClone(args);
    for (const reference of REFERENCES[kind]) resolveAt(resolved, reference, reference.path, declared);
    return resolved;
}

function resolveAt(node: unknown, reference: Reference, path: readonly string[], declared: Map<string, { kind: ResourceKind; byKey: Record<string, pulumi.Resource> }>): void {
    rewriteAt(node, reference, path, (value) => referenced(value, reference, declared));
}

function referenced(value: unknown, reference: Reference, declared: Map<string, { kind: ResourceKind; byKey: Record<string, pulumi.Resource> }>): pulumi.Output<string> | undefined {
    const target = declared.get(reference.section);
    const resource = typeof value === "string" ? target?.byKey[value] : undefined;
    return target && resource ? idOutputOf(target.kind, resource) : undefined;
}

/** Declares the file's resources. References by logical name become dependencies on the referenced resource. */
export function declarePermissions(written: PermissionsFile, opts?: pulumi.CustomResourceOptions): PermissionsFileResources {
    const file = withKeys(written);
    claimAll(file);
    const declared = new Map<string, { kind: ResourceKind; byKey: Record<string, pulumi.Resource> }>();
    for (const section of declarationOrder()) {
        const Resource = CLASSES[section.kind] as unknown as new (name: string, args: Args, opts?: pulumi.CustomResourceOptions) => pulumi.Resource;
        const byKey = Object.fromEntries(entries(file, section).map(([key, args]) => [key, new Resource(key, resolveReferences(section.kind, args, declared), opts)]));
        declared.set(section.section, { kind: section.kind, byKey });
    }
    const resources = Object.fromEntries(SECTIONS.map((s) => [s.section, declared.get(s.section)?.byKey ?? {}])) as unknown as PermissionsFileResources;
    if (file.exclusive) {
        const exempt = typeof file.exclusive === "object" ? file.exclusive.exempt : [];
        const guard = resolveReferences("AccountGrants", { declared: declaredGrants(file), exempt, undeclared: [] }, declared);
        const declaredOutputs = (guard.declared as ExclusiveGrant[]).map((g) => pulumi.output(g) as pulumi.Output<ExclusiveGrant>);
        // After every other resource, so that what this run grants is in place before the guard reads the account.
        const dependsOn = [...declared.values()].flatMap((s) => Object.values(s.byKey));
        resources.exclusive = new CLASSES.AccountGrants("exclusive", { ...(guard as AccountGrantsArgs), declared: declaredOutputs }, { ...opts, dependsOn });
    }
    return resources;
}

export function loadPermissionsFile(filePath: string, opts?: pulumi.CustomResourceOptions): PermissionsFileResources {
    return declarePermissions(parsePermissionsFile(fs.readFileSync(filePath, "utf8"), filePath), opts);
}

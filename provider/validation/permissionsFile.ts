// The GitOps permissions.yaml, validated against schema.json (#/$defs/PermissionsFile) and Cloudinary's rules,
// with every problem pointing at the file's line and column.
import { Document, isMap, isScalar, isSeq, LineCounter, parseDocument, Scalar } from "yaml";
import { CloudinaryPermissionsError } from "../api/errors";
import type { ExclusiveGrant, PermissionsFile, RoleAssignmentInputs } from "../generated/inputs";
import { SECTIONS } from "../generated/resources";
import { cedarProblems, describeProblem } from "./cedar";
import { grantFailures } from "./roleAssignment";
import { formatPath, problems } from "./schema";

/** Marked as a RunError (see CloudinaryPermissionsError): the program shows its message alone, with no stack trace. */
export class PermissionsFileError extends CloudinaryPermissionsError {
    readonly name: string = "PermissionsFileError";
    constructor(readonly fileName: string, readonly issues: string[]) {
        super(`${fileName} is not valid:\n${issues.map((i) => `  ${i}`).join("\n")}`);
    }
}

type At = (offset?: number) => string;

/** Parses and validates the file's text; throws PermissionsFileError listing every problem with its line. */
export function parsePermissionsFile(text: string, fileName = "permissions.yaml"): PermissionsFile {
    const lines = new LineCounter();
    const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
    const at: At = (offset) => {
        if (offset === undefined) return fileName;
        const { line, col } = lines.linePos(offset);
        return `${fileName}:${line}:${col}`;
    };
    if (doc.errors.length) throw new PermissionsFileError(fileName, doc.errors.map((e) => `${at(e.pos[0])}: ${e.message.split("\n")[0]}`));
    const value = doc.toJS();
    if (value === null || value === undefined || (typeof value === "object" && Object.keys(value).length === 0)) {
        throw new PermissionsFileError(fileName, [`${fileName}: declares nothing; add at least one of ${SECTIONS.map((s) => s.section).join(", ")}`]);
    }
    const issues = problems("PermissionsFile", value, "section").map((p) => `${at(offsetOf(doc, p.location ?? p.path))}: ${formatPath(p.path) || "(file)"} ${p.reason}`);
    const file = value as PermissionsFile;
    if (issues.length === 0) issues.push(...duplicateNames(file, doc, at), ...duplicateGrants(file, doc, at), ...declaredRoleIssues(file, doc, at), ...statementIssues(file, doc, lines, fileName));
    if (issues.length) throw new PermissionsFileError(fileName, issues);
    return file;
}

/** Where a path points in the document: a key's own position for map entries; a missing key points at its parent. */
function offsetOf(doc: Document, path: (string | number)[]): number | undefined {
    for (let n = path.length; n > 0; n--) {
        const parent = n === 1 ? doc.contents : doc.getIn(path.slice(0, n - 1), true);
        const last = path[n - 1];
        if (isMap(parent)) {
            const pair = parent.items.find((item) => isScalar(item.key) && item.key.value === last);
            if (pair && isScalar(pair.key) && pair.key.range) return pair.key.range[0];
        } else if (isSeq(parent) && typeof last === "number") {
            const item = parent.items[last] as { range?: [number, number, number] } | undefined;
            if (item?.range) return item.range[0];
        }
    }
    return (doc.contents as { range?: [number, number, number] } | null)?.range?.[0];
}

/** Names Cloudinary requires to be unique, declared twice in the file. */
function duplicateNames(file: PermissionsFile, doc: Document, at: At): string[] {
    const issues: string[] = [];
    for (const section of ["customRoles", "groups"] as const) {
        const firstByName = new Map<string, string>();
        for (const [key, entry] of Object.entries(file[section] ?? {})) {
            const first = firstByName.get(entry.name);
            if (first) issues.push(`${at(offsetOf(doc, [section, key, "name"]))}: ${section}.${key}.name '${entry.name}' is already the name of ${section}.${first}; names must be unique`);
            else firstByName.set(entry.name, key);
        }
    }
    return issues;
}

/** Every grant the file declares, with where it is declared; a folder share's roles name its cloud name. */
export function declaredGrants(file: PermissionsFile): ExclusiveGrant[] {
    return declaredGrantsAt(file).map((g) => g.grant);
}

function declaredGrantsAt(file: PermissionsFile): { grant: ExclusiveGrant; path: (string | number)[] }[] {
    const out: { grant: ExclusiveGrant; path: (string | number)[] }[] = [];
    for (const [key, g] of Object.entries(file.roleAssignments ?? {})) out.push({ grant: { ...g, adopt: undefined } as ExclusiveGrant, path: ["roleAssignments", key] });
    for (const [key, p] of Object.entries(file.principalRoles ?? {})) {
        p.roles.forEach((r, i) => out.push({ grant: { ...r, principalType: p.principalType, principalId: p.principalId }, path: ["principalRoles", key, "roles", i] }));
    }
    for (const [key, r] of Object.entries(file.rolePrincipals ?? {})) {
        r.principals.forEach((p, i) => out.push({ grant: { ...p, roleId: r.roleId }, path: ["rolePrincipals", key, "principals", i] }));
    }
    for (const [key, f] of Object.entries(file.folderShares ?? {})) {
        f.roles.forEach((roleId, i) => out.push({ grant: { roleId, principalType: f.principalType, principalId: f.principalId, cloudName: f.cloudName, policyParameters: { folderId: f.folderId } }, path: ["folderShares", key, "roles", i] }));
    }
    return out.map(({ grant, path }) => ({ grant: JSON.parse(JSON.stringify(grant)) as ExclusiveGrant, path }));
}

/** The same grant (role, principal, scope, folder or collection) declared twice, in any of the grant sections. */
function duplicateGrants(file: PermissionsFile, doc: Document, at: At): string[] {
    const firstByGrant = new Map<string, string>();
    const issues: string[] = [];
    for (const { grant, path } of declaredGrantsAt(file)) {
        const identity = JSON.stringify([grant.roleId, grant.principalType, grant.principalId, grant.scopeId ?? grant.cloudName ?? "", grant.policyParameters ?? {}]);
        const where = formatPath(path);
        const first = firstByGrant.get(identity);
        if (first) issues.push(`${at(offsetOf(doc, path))}: ${where} declares the same grant as ${first}; remove one of the two`);
        else firstByGrant.set(identity, where);
    }
    return issues;
}

/**
 * Cloudinary's assignment rules for grants of roles declared in this file. The provider checks grants of existing
 * roles against the API; a role this file creates has no id at preview, so its rules are checked here.
 */
function declaredRoleIssues(file: PermissionsFile, doc: Document, at: At): string[] {
    return declaredGrantsAt(file).flatMap(({ grant, path }) => {
        const role = file.customRoles?.[grant.roleId];
        if (!role || grant.cloudName) return [];
        const declared = { id: grant.roleId, permissionType: role.permissionType, scopeType: role.scopeType, contentType: role.permissionType === "content" ? ("folder" as const) : undefined };
        return grantFailures(declared, grant as RoleAssignmentInputs, new Set()).map((f) => `${at(offsetOf(doc, [...path, f.property]))}: ${formatPath([...path, f.property])} ${f.reason}`);
    });
}

/**
 * Cedar syntax errors of the custom policies' statements, at the file's line and at the line and column inside the
 * statement. (The account's Cedar schema is checked by the provider at preview: it needs the API.)
 */
function statementIssues(file: PermissionsFile, doc: Document, lines: LineCounter, fileName: string): string[] {
    return Object.entries(file.customPolicies ?? {}).flatMap(([key, policy]) => {
        const problems = cedarProblems(policy.policyStatement);
        if (problems.length === 0) return [];
        const node = doc.getIn(["customPolicies", key, "policyStatement"], true) as Scalar;
        const first = lines.linePos(node.range?.[0] ?? 0).line;
        // A block scalar (policyStatement: |) starts on the line after its indicator.
        const offset = node.type === "BLOCK_LITERAL" || node.type === "BLOCK_FOLDED" ? 0 : -1;
        return problems.map((p) => `${fileName}:${first + p.line + offset}: customPolicies.${key}.policyStatement, ${describeProblem(p, " of the statement")}`);
    });
}

// GitOps: a declarative permissions.yaml, validated against schema.json (#/$defs/PermissionsFile) with errors
// that point at the file's line, turned into this package's resources. Errors are raised while the Pulumi
// program runs, so `pulumi preview` fails before anything is written.
import * as pulumi from "@pulumi/pulumi";
import * as fs from "node:fs";
import { Document, isMap, isScalar, isSeq, LineCounter, parseDocument } from "yaml";
import { claimFolderRoles } from "./dynamic/declarations";
import { CustomRole, CustomRoleArgs } from "./resources/customRole";
import { FolderShare, FolderShareArgs } from "./resources/folderShare";
import { Group, GroupArgs } from "./resources/group";
import type { RoleInfo } from "./lookups";
import { RoleAssignment, RoleAssignmentArgs, RoleAssignmentInputs, roleFailures } from "./resources/roleAssignment";
import { formatPath, problems } from "./validation/schema";

type Section<T> = Record<string, T>;

export interface PermissionsFile {
    groups?: Section<{ name: string; memberIds?: string[]; adopt?: boolean }>;
    customRoles?: Section<Omit<CustomRoleArgs, never> & { name: string; systemPolicyIds: string[] }>;
    roleAssignments?: Section<{ roleId: string; principalType: RoleAssignmentArgs["principalType"] & string; principalId: string; scopeId?: string; policyParameters?: { folderId: string } | { collectionId: string }; adopt?: boolean }>;
    folderShares?: Section<{ cloudName: string; folderId: string; principalType: FolderShareArgs["principalType"] & string; principalId: string; roles: string[]; adopt?: boolean }>;
}

export interface PermissionsFileResources {
    groups: Record<string, Group>;
    customRoles: Record<string, CustomRole>;
    roleAssignments: Record<string, RoleAssignment>;
    folderShares: Record<string, FolderShare>;
}

export class PermissionsFileError extends pulumi.RunError {
    constructor(readonly fileName: string, readonly issues: string[]) {
        super(`${fileName} is not valid:\n${issues.map((i) => `  ${i}`).join("\n")}`);
    }
}

/** Parses and validates the file's text; throws PermissionsFileError listing every problem with its line. */
export function parsePermissionsFile(text: string, fileName = "permissions.yaml"): PermissionsFile {
    const lines = new LineCounter();
    const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
    const at = (offset: number | undefined) => {
        if (offset === undefined) return fileName;
        const { line, col } = lines.linePos(offset);
        return `${fileName}:${line}:${col}`;
    };
    if (doc.errors.length) throw new PermissionsFileError(fileName, doc.errors.map((e) => `${at(e.pos[0])}: ${e.message.split("\n")[0]}`));
    const value = doc.toJS();
    if (value === null || value === undefined || (typeof value === "object" && Object.keys(value).length === 0)) {
        throw new PermissionsFileError(fileName, [`${fileName}: declares nothing; add at least one of groups, customRoles, roleAssignments, folderShares`]);
    }
    const issues = problems("PermissionsFile", value, "section").map((p) => `${at(offsetOf(doc, p.location ?? p.path))}: ${formatPath(p.path) || "(file)"} ${p.reason}`);
    if (issues.length === 0) issues.push(...duplicateNames(value as PermissionsFile, doc, at), ...duplicateGrants(value as PermissionsFile, doc, at), ...declaredRoleIssues(value as PermissionsFile, doc, at));
    if (issues.length) throw new PermissionsFileError(fileName, issues);
    return value as PermissionsFile;
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
function duplicateNames(file: PermissionsFile, doc: Document, at: (offset?: number) => string): string[] {
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

/** The same grant (role, principal, scope, folder or collection) declared under two keys. */
function duplicateGrants(file: PermissionsFile, doc: Document, at: (offset?: number) => string): string[] {
    const firstByGrant = new Map<string, string>();
    const issues: string[] = [];
    for (const [key, grant] of Object.entries(file.roleAssignments ?? {})) {
        const identity = JSON.stringify([grant.roleId, grant.principalType, grant.principalId, grant.scopeId ?? "", grant.policyParameters ?? {}]);
        const first = firstByGrant.get(identity);
        if (first) issues.push(`${at(offsetOf(doc, ["roleAssignments", key]))}: roleAssignments.${key} declares the same grant as roleAssignments.${first}; remove one of the two`);
        else firstByGrant.set(identity, key);
    }
    return issues;
}

/**
 * Cloudinary's assignment rules for grants of roles declared in this file. The provider checks grants of existing
 * roles against the API; a role this file creates has no id at preview, so its rules are checked here.
 */
function declaredRoleIssues(file: PermissionsFile, doc: Document, at: (offset?: number) => string): string[] {
    const issues: string[] = [];
    for (const [key, grant] of Object.entries(file.roleAssignments ?? {})) {
        const role = file.customRoles?.[grant.roleId];
        if (!role) continue;
        const info: RoleInfo = {
            id: grant.roleId,
            name: role.name,
            managementType: "custom",
            permissionType: role.permissionType as RoleInfo["permissionType"],
            scopeType: role.scopeType as RoleInfo["scopeType"],
            policyParameters: role.permissionType === "content" ? ["folder_id"] : [],
        };
        for (const failure of roleFailures(info, grant as RoleAssignmentInputs, new Set())) {
            issues.push(`${at(offsetOf(doc, ["roleAssignments", key, failure.property]))}: roleAssignments.${key}.${failure.property} ${failure.reason}`);
        }
    }
    return issues;
}

/** Declares the file's resources. References by logical name become dependencies on the referenced resource. */
export function declarePermissions(file: PermissionsFile, opts?: pulumi.CustomResourceOptions): PermissionsFileResources {
    const groups: Record<string, Group> = {};
    for (const [key, args] of Object.entries(file.groups ?? {})) groups[key] = new Group(key, args as GroupArgs, opts);
    const customRoles: Record<string, CustomRole> = {};
    for (const [key, args] of Object.entries(file.customRoles ?? {})) customRoles[key] = new CustomRole(key, args as CustomRoleArgs, opts);

    const role = (id: string): pulumi.Input<string> => customRoles[id]?.roleId ?? id;
    const principal = (type: string, id: string): pulumi.Input<string> => (type === "group" && groups[id] ? groups[id].groupId : id);

    // Conflicts between shares and folder grants, by the names written in the file (group keys included).
    for (const [key, args] of Object.entries(file.folderShares ?? {})) claimFolderRoles("FolderShare", args.principalType, args.principalId, args.folderId, key);
    for (const [key, args] of Object.entries(file.roleAssignments ?? {})) {
        if (args.policyParameters && "folderId" in args.policyParameters) claimFolderRoles("RoleAssignment", args.principalType, args.principalId, args.policyParameters.folderId, key);
    }

    const roleAssignments: Record<string, RoleAssignment> = {};
    for (const [key, args] of Object.entries(file.roleAssignments ?? {})) {
        roleAssignments[key] = new RoleAssignment(key, { ...args, roleId: role(args.roleId), principalId: principal(args.principalType, args.principalId) }, opts);
    }
    const folderShares: Record<string, FolderShare> = {};
    for (const [key, args] of Object.entries(file.folderShares ?? {})) {
        folderShares[key] = new FolderShare(key, { ...args, roles: args.roles.map(role), principalId: principal(args.principalType, args.principalId) }, opts);
    }
    return { groups, customRoles, roleAssignments, folderShares };
}

export function loadPermissionsFile(filePath: string, opts?: pulumi.CustomResourceOptions): PermissionsFileResources {
    return declarePermissions(parsePermissionsFile(fs.readFileSync(filePath, "utf8"), filePath), opts);
}

// RoleAssignment: one role granted to one principal (Permissions API /roles/{role_id}/principals). Additive:
// it never touches the principal's other grants. Every input but adopt identifies the grant, so changing one
// replaces it. id = "roleId|principalType|principalId|scopeId|folder_id=ID" (empty segments where a part is absent).
import { unlessNotFound } from "../api/cloudinary";
import type { Grant } from "../api/domain";
import type { ProviderContext } from "../context";
import type { Freshness } from "../context/directory";
import { defineResource, IdCodec, Operations } from "../dynamic/define";
import { equalAs } from "../dynamic/diff";
import { Args, Instance, resourceClass } from "../dynamic/program";
import type { PrincipalType, RoleAssignmentInputs } from "../generated/inputs";
import { declaredGrant } from "../validation/effectFacts";
import { roleAssignmentFailures } from "../validation/roleAssignment";

const PARAMETER_KEYS = { folderId: "folder_id", collectionId: "collection_id" } as const;

export function assignmentId(grant: Grant): string {
    const parameter = grant.policyParameters ? Object.entries(grant.policyParameters)[0] : undefined;
    const last = parameter ? `${PARAMETER_KEYS[parameter[0] as keyof typeof PARAMETER_KEYS]}=${parameter[1]}` : "";
    return [grant.roleId, grant.principalType, grant.principalId, grant.scopeId ?? "", last].join("|");
}

export function parseAssignmentId(id: string): Grant {
    const parts = id.split("|");
    if (parts.length !== 5 || !parts[0] || !parts[1] || !parts[2]) {
        throw new Error(`'${id}' is not a RoleAssignment id; expected roleId|principalType|principalId|scopeId|folder_id=ID (empty segments allowed for scopeId and the last part)`);
    }
    const [roleId, principalType, principalId, scopeId, parameter] = parts;
    const grant: Grant = { roleId, principalType: principalType as PrincipalType, principalId, ...(scopeId ? { scopeId } : {}) };
    if (!parameter) return grant;
    const [key, value] = parameter.split("=");
    if (key === "folder_id") return { ...grant, policyParameters: { folderId: value } };
    if (key === "collection_id") return { ...grant, policyParameters: { collectionId: value } };
    throw new Error(`'${id}' is not a RoleAssignment id: the last part must be folder_id=ID or collection_id=ID`);
}

const codec: IdCodec<RoleAssignmentInputs> = { format: assignmentId, parse: parseAssignmentId };

function grantOf(inputs: Partial<RoleAssignmentInputs>): Grant {
    const { roleId, principalType, principalId, scopeId, policyParameters } = inputs as RoleAssignmentInputs;
    return { roleId, principalType, principalId, ...(scopeId ? { scopeId } : {}), ...(policyParameters ? { policyParameters } : {}) };
}

function sameGrant(a: Grant, b: Grant): boolean {
    return a.principalType === b.principalType && a.principalId === b.principalId && (a.scopeId ?? "") === (b.scopeId ?? "") && equalAs("object", a.policyParameters, b.policyParameters);
}

function operations(ctx: ProviderContext): Operations<RoleAssignmentInputs, RoleAssignmentInputs> {
    const directory = ctx.directory;
    // A role that is gone (404) has no holders. One read of a role serves all its grants in the run.
    const holds = async (grant: Grant, freshness: Freshness, reader?: string) => ((await unlessNotFound(directory.holders(grant.roleId, freshness, reader))) ?? []).some((h) => sameGrant(h, grant));
    return {
        async create(inputs) {
            const grant = grantOf(inputs);
            // What the run knows may answer "not granted" (adding is idempotent); "granted" skips the write, so it is read again first.
            if ((await holds(grant, "known")) && (await holds(grant, "fresh"))) {
                if (!inputs.adopt) ctx.warn(`RoleAssignment ${assignmentId(grant)}: the grant already existed; it is now managed by this stack and will be revoked on destroy`);
            } else {
                // Adding is idempotent in Cloudinary, so a retry after a lost reply is harmless.
                await directory.changeHolders(grant.roleId, "add", [grant]);
            }
            return { ...grant, adopt: inputs.adopt };
        },
        async read(_id, known) {
            const grant = grantOf(known);
            return (await holds(grant, "read", assignmentId(grant))) ? { ...grant, adopt: known.adopt } : undefined;
        },
        // Only `adopt` can change without a replacement, and it changes nothing in Cloudinary.
        update: async (_id, _olds, news) => ({ ...grantOf(news), adopt: news.adopt }),
        // A 404 means the role or the principal is gone, and the grant with it.
        delete: (_id, props) => directory.changeHolders(props.roleId, "remove", [grantOf(props)]),
    };
}

export const roleAssignment = defineResource<RoleAssignmentInputs, RoleAssignmentInputs>({
    kind: "RoleAssignment",
    id: codec,
    rules: roleAssignmentFailures,
    claims(args) {
        const { roleId, principalType, principalId, scopeId } = args;
        const parameters = args.policyParameters as { folderId?: unknown; collectionId?: unknown } | undefined;
        return {
            unique: [{ what: "grant", parts: [roleId, principalType, principalId, scopeId, parameters?.folderId, parameters?.collectionId] }],
            folderRoles: parameters?.folderId !== undefined ? { principalType, principalId, folderId: parameters.folderId } : undefined,
            grants: [{ principalType, principalId, roles: [roleId] }],
        };
    },
    operations,
    pendingWrite: (ctx, inputs) => ctx.directory.pendingHoldersChange(inputs.roleId, "add", grantOf(inputs)),
    warnings: (inputs, unknown) => ({ grants: [declaredGrant(inputs, unknown)] }),
});

/** One role granted to one principal; additive. */
export const RoleAssignment = resourceClass(roleAssignment);
export type RoleAssignment = Instance<RoleAssignmentInputs>;
export type RoleAssignmentArgs = Args<RoleAssignmentInputs>;
export type RoleAssignmentOutputs = RoleAssignmentInputs;

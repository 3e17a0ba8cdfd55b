// RoleAssignment: one role granted to one principal (Permissions API /roles/{role_id}/principals). Additive:
// it never touches the principal's other grants.
//
// Inputs: roleId, principalType (user | group | apiKey | provisioningKey), principalId, scopeId (a product
// environment id, or "all"), policyParameters ({ folderId } or { collectionId }), adopt.
// id = "roleId|principalType|principalId|scopeId|folder_id=ID" (empty segments where a part is absent).
// Every input but adopt identifies the grant, so changing one replaces it.
import * as pulumi from "@pulumi/pulumi";
import { CloudinaryApiError } from "../api/errors";
import { PrincipalType, RolePrincipal, RolePrincipalChange } from "../api/permissions";
import { ProviderContext } from "../context";
import { RoleInfo } from "../lookups";
import { claimFolderRoles, claimUnique } from "../dynamic/declarations";
import { diffFields, equalAs, FieldRule } from "../dynamic/diff";
import { changedSince, checkInputs, Props, ResourceHandler, RuleContext } from "../dynamic/handler";
import { delegatingProvider } from "../dynamic/shim";
import { registeredProps } from "../dynamic/resource";
import { principalFailures } from "../validation/principals";
import { Failure } from "../validation/schema";
import { didYouMean } from "../validation/suggest";

// ---- inputs --------------------------------------------------------------------------------------------

export type PolicyParameters = { folderId: string } | { collectionId: string };

export interface RoleAssignmentArgs {
    roleId: pulumi.Input<string>;
    principalType: pulumi.Input<PrincipalType>;
    /** A user id, a group id, or the API key itself for apiKey and provisioningKey principals. */
    principalId: pulumi.Input<string>;
    /** For product-environment roles: a product environment id, or "all". */
    scopeId?: pulumi.Input<string>;
    /** For content roles: the folder or collection the role applies to. */
    policyParameters?: pulumi.Input<PolicyParameters>;
    /** Manage the grant even if it already exists, without a warning. */
    adopt?: pulumi.Input<boolean>;
}

export interface RoleAssignmentInputs {
    roleId: string;
    principalType: PrincipalType;
    principalId: string;
    scopeId?: string;
    policyParameters?: { folderId?: string; collectionId?: string };
    adopt?: boolean;
}

/** The parts that identify a grant in Cloudinary. */
type Grant = Omit<RoleAssignmentInputs, "adopt">;

// ---- validation ----------------------------------------------------------------------------------------

async function rules(ctx: ProviderContext, inputs: RoleAssignmentInputs, { unknown, olds }: RuleContext<RoleAssignmentInputs>): Promise<Failure[]> {
    const failures: Failure[] = [];
    if (!unknown.has("scopeId") && inputs.scopeId && inputs.scopeId !== "all" && changedSince(olds, inputs, ["scopeId"])) {
        failures.push(...(await scopeFailures(ctx, inputs.scopeId)));
    }
    if (!unknown.has("principalType") && !unknown.has("principalId") && changedSince(olds, inputs, ["principalType", "principalId"])) {
        failures.push(...(await principalFailures(ctx, inputs.principalType, inputs.principalId)));
    }
    if (!unknown.has("scopeId") && !unknown.has("policyParameters") && inputs.policyParameters?.folderId && changedSince(olds, inputs, ["scopeId", "policyParameters"])) {
        failures.push(...(await folderFailures(ctx, inputs.scopeId, inputs.policyParameters.folderId)));
    }
    const watched: (keyof RoleAssignmentInputs)[] = ["roleId", "principalType", "scopeId", "policyParameters"];
    if (unknown.has("roleId") || !changedSince(olds, inputs, watched)) return failures;
    const role = await ctx.lookups.role(inputs.roleId);
    if (!role) {
        const { roles } = await ctx.lookups.catalog.get();
        const reason = inputs.roleId.startsWith("cld::")
            ? `'${inputs.roleId}' is not a Cloudinary system role${didYouMean(inputs.roleId, roles.keys())}`
            : `no role '${inputs.roleId}' exists in the account. For a CustomRole declared in this program, pass its roleId output (role.roleId), so that the grant waits for the role`;
        return failures.concat({ property: "roleId", reason });
    }
    return failures.concat(roleFailures(role, inputs, unknown));
}

/** A folder named in policyParameters must exist, when the product environment's Admin API is configured. */
async function folderFailures(ctx: ProviderContext, scopeId: string | undefined, folderId: string): Promise<Failure[]> {
    const environment = scopeId ? await ctx.lookups.productEnvironment(scopeId) : undefined;
    const cloudName = environment?.cloud_name;
    if (!cloudName || !ctx.hasProductEnvironment(cloudName) || (await ctx.lookups.folderExists(cloudName, folderId))) return [];
    return [{ property: "policyParameters", reason: `policyParameters.folderId: no folder with external id '${folderId}' in product environment '${cloudName}'; use the folder's external_id from the Admin API (GET /folders)` }];
}

/** Cloudinary's assignment rules for the role's scope and permission types. */
export function roleFailures(role: RoleInfo, inputs: RoleAssignmentInputs, unknown: ReadonlySet<string>): Failure[] {
    const failures: Failure[] = [];
    const label = `role '${role.id}'`;
    if (inputs.principalType === "provisioningKey" && role.scopeType === "prodenv" && !unknown.has("principalType")) {
        failures.push({ property: "principalType", reason: `${label} applies in product environments, and provisioning keys hold account-level roles only; grant it to a user, a group or an API key` });
    }
    if (!unknown.has("scopeId")) {
        if (role.scopeType === "prodenv" && !inputs.scopeId) {
            failures.push({ property: "scopeId", reason: `is required: ${label} applies in product environments; set scopeId to a product environment id${role.permissionType === "global" ? " or 'all'" : ""}` });
        } else if (role.scopeType === "account" && inputs.scopeId) {
            failures.push({ property: "scopeId", reason: `must not be set: ${label} is an account-level role; remove scopeId` });
        } else if (role.permissionType === "content" && inputs.scopeId === "all") {
            failures.push({ property: "scopeId", reason: `${label} is a content role, which applies inside one product environment; set scopeId to that product environment's id, not 'all'` });
        }
    }
    if (unknown.has("policyParameters")) return failures;
    const wanted = role.policyParameters[0] === "collection_id" ? "collectionId" : "folderId";
    const given = inputs.policyParameters ? Object.keys(inputs.policyParameters)[0] : undefined;
    if (role.permissionType === "content") {
        if (!given) {
            failures.push({ property: "policyParameters", reason: `is required: ${label} is a content role; set policyParameters: { ${wanted}: "..." } to say which ${wanted === "folderId" ? "folder" : "collection"} it applies to` });
        } else if (given !== wanted) {
            failures.push({ property: "policyParameters", reason: `${label} applies to ${wanted === "folderId" ? "folders" : "collections"}; use { ${wanted}: "..." } instead of ${given}` });
        }
        if (wanted === "collectionId" && inputs.principalType === "apiKey" && !unknown.has("principalType")) {
            failures.push({ property: "principalType", reason: `${label} is a collection role, and collection roles can be given to users and groups only, not to API keys` });
        }
    } else if (given) {
        failures.push({ property: "policyParameters", reason: `must not be set: ${label} is a global role; remove policyParameters` });
    }
    return failures;
}

async function scopeFailures(ctx: ProviderContext, scopeId: string): Promise<Failure[]> {
    if (await ctx.lookups.productEnvironment(scopeId)) return [];
    const environments = [...(await ctx.lookups.productEnvironments.get()).values()];
    const byCloudName = environments.find((pe) => pe.cloud_name === scopeId);
    const hint = byCloudName
        ? `; '${scopeId}' is a cloud name, its product environment id is '${byCloudName.id}'`
        : didYouMean(scopeId, environments.map((pe) => pe.id ?? ""));
    const known = environments.map((pe) => `${pe.cloud_name}: ${pe.id}`).join(", ");
    return [{ property: "scopeId", reason: `'${scopeId}' is not a product environment of this account${hint}. Known: ${known}, or 'all'` }];
}

// ---- diff ----------------------------------------------------------------------------------------------

const FIELDS: Record<string, FieldRule> = {
    roleId: { onChange: "replace" },
    principalType: { onChange: "replace" },
    principalId: { onChange: "replace" },
    scopeId: { onChange: "replace", compare: "optionalString" },
    policyParameters: { onChange: "replace", compare: "object" },
    adopt: { onChange: "state" },
};

// ---- create / read / update / delete -----------------------------------------------------------------

export function assignmentId(grant: Grant): string {
    const [key, value] = parameterOf(grant);
    return [grant.roleId, grant.principalType, grant.principalId, grant.scopeId ?? "", key ? `${key}=${value}` : ""].join("|");
}

export function parseAssignmentId(id: string): Grant {
    const parts = id.split("|");
    if (parts.length !== 5 || !parts[0] || !parts[1] || !parts[2]) {
        throw new Error(`'${id}' is not a RoleAssignment id; expected roleId|principalType|principalId|scopeId|folder_id=ID (empty segments allowed for scopeId and the last part)`);
    }
    const [roleId, principalType, principalId, scopeId, parameter] = parts;
    const grant: Grant = { roleId, principalType: principalType as PrincipalType, principalId };
    if (scopeId) grant.scopeId = scopeId;
    if (parameter) {
        const [key, value] = parameter.split("=");
        if (key === "folder_id") grant.policyParameters = { folderId: value };
        else if (key === "collection_id") grant.policyParameters = { collectionId: value };
        else throw new Error(`'${id}' is not a RoleAssignment id: the last part must be folder_id=ID or collection_id=ID`);
    }
    return grant;
}

function parameterOf(grant: Grant): [("folder_id" | "collection_id")?, string?] {
    if (grant.policyParameters?.folderId) return ["folder_id", grant.policyParameters.folderId];
    if (grant.policyParameters?.collectionId) return ["collection_id", grant.policyParameters.collectionId];
    return [];
}

function changeOf(grant: Grant): RolePrincipalChange {
    const [key, value] = parameterOf(grant);
    return {
        principal_type: grant.principalType,
        principal_id: grant.principalId,
        ...(grant.scopeId ? { scope_id: grant.scopeId } : {}),
        ...(key ? { policy_parameters: { [key]: value } } : {}),
    };
}

function grantOf(inputs: Props): Grant {
    const { roleId, principalType, principalId, scopeId, policyParameters } = inputs as RoleAssignmentInputs;
    return { roleId, principalType, principalId, ...(scopeId ? { scopeId } : {}), ...(policyParameters ? { policyParameters } : {}) };
}

function matches(principal: RolePrincipal, grant: Grant): boolean {
    const [key, value] = parameterOf(grant);
    return (
        principal.type === grant.principalType &&
        principal.id === grant.principalId &&
        (principal.scope_id ?? "") === (grant.scopeId ?? "") &&
        equalAs("object", principal.policy_parameters ?? {}, key ? { [key]: value } : {})
    );
}

class RoleAssignmentHandler implements ResourceHandler {
    constructor(private readonly ctx: ProviderContext) {}

    check(olds: Props, news: Props) {
        return checkInputs<RoleAssignmentInputs>("RoleAssignment", olds, news, (inputs, context) => rules(this.ctx, inputs, context));
    }

    async diff(_id: string, olds: Props, news: Props) {
        return diffFields(olds, news, FIELDS);
    }

    async create(inputs: Props): Promise<pulumi.dynamic.CreateResult> {
        const grant = grantOf(inputs);
        const id = assignmentId(grant);
        if (await this.exists(grant)) {
            if (!inputs.adopt) this.ctx.warn(`RoleAssignment ${id}: the grant already existed; it is now managed by this stack and will be revoked on destroy`);
        } else {
            // Adding is idempotent in Cloudinary, so a retry after a lost reply is harmless.
            await this.ctx.permissions.updateRolePrincipals(grant.roleId, "add", [changeOf(grant)]);
        }
        return { id, outs: { ...grant, adopt: inputs.adopt } };
    }

    async read(id: string, props: Props): Promise<pulumi.dynamic.ReadResult> {
        const grant = props.roleId ? grantOf(props) : parseAssignmentId(id);
        if (!(await this.exists(grant))) return { id: "" };
        return { id: assignmentId(grant), props: { ...grant, adopt: props.adopt } };
    }

    async update(_id: string, _olds: Props, news: Props): Promise<pulumi.dynamic.UpdateResult> {
        // Only `adopt` can change without a replacement, and it changes nothing in Cloudinary.
        return { outs: { ...grantOf(news), adopt: news.adopt } };
    }

    async delete(_id: string, props: Props): Promise<void> {
        const grant = grantOf(props);
        try {
            await this.ctx.permissions.updateRolePrincipals(grant.roleId, "remove", [changeOf(grant)]);
        } catch (e) {
            // The role or the principal is gone, and the grant with it.
            if (e instanceof CloudinaryApiError && e.isNotFound) return;
            throw e;
        }
    }

    private async exists(grant: Grant): Promise<boolean> {
        const [key, value] = parameterOf(grant);
        try {
            const holders = await this.ctx.permissions.listRolePrincipals(grant.roleId, {
                ...(grant.scopeId ? { scope_id: grant.scopeId } : {}),
                ...(key ? { [key]: value } : {}),
            });
            return holders.some((p) => matches(p, grant));
        } catch (e) {
            if (e instanceof CloudinaryApiError && e.isNotFound) return false;
            throw e;
        }
    }
}

export const roleAssignmentHandler = (ctx: ProviderContext): ResourceHandler => new RoleAssignmentHandler(ctx);

// ---- the resource ----------------------------------------------------------------------------------------

const provider = delegatingProvider("RoleAssignment");

export class RoleAssignment extends pulumi.dynamic.Resource {
    declare readonly roleId: pulumi.Output<string>;
    declare readonly principalType: pulumi.Output<PrincipalType>;
    declare readonly principalId: pulumi.Output<string>;
    declare readonly scopeId: pulumi.Output<string | undefined>;
    declare readonly policyParameters: pulumi.Output<PolicyParameters | undefined>;

    constructor(name: string, args: RoleAssignmentArgs, opts?: pulumi.CustomResourceOptions) {
        if (!opts?.id) {
            const parameters = args.policyParameters as { folderId?: unknown; collectionId?: unknown } | undefined;
            claimUnique("RoleAssignment", "grant", [args.roleId, args.principalType, args.principalId, args.scopeId, parameters?.folderId, parameters?.collectionId], name);
            if (parameters?.folderId !== undefined) claimFolderRoles("RoleAssignment", args.principalType, args.principalId, parameters.folderId, name);
        }
        super(provider, name, registeredProps(["roleId", "principalType", "principalId", "scopeId", "policyParameters"], args), opts, "cloudinary", "RoleAssignment");
    }

    /** Reads an existing grant; `id` is "roleId|principalType|principalId|scopeId|folder_id=ID". */
    static get(name: string, id: pulumi.Input<string>, opts?: pulumi.CustomResourceOptions): RoleAssignment {
        return new RoleAssignment(name, {} as RoleAssignmentArgs, { ...opts, id });
    }
}

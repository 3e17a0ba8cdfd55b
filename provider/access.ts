// Effective access: what one principal can do, where, built on the Permissions API's inspect (roles, including
// those held through groups and those inherited from ancestor folders) and effective policies (the enabled custom
// policies that apply to it). For programs, audits and debugging "why can (not) this user open that folder".
import { resolveSettings } from "./api/settings";
import { ProviderContext } from "./context";
import type { EffectiveCustomPolicy, HeldRole, InspectedPrincipal, PrincipalType } from "./api/domain";

export interface EffectivePermissionsQuery {
    principalType: PrincipalType;
    principalId: string;
    /** One product environment (its grants to "all" included); all of them when absent. */
    scopeId?: string;
    /** One folder: its own folder roles and those inherited from its ancestors (other folders' roles left out). */
    folderId?: string;
}

/** A role the principal holds, directly or through a group, possibly inherited from an ancestor folder. */
export interface EffectiveGrant extends HeldRole {
    /** Held through this group (the principal is a member), not directly. */
    viaGroupId?: string;
    /** Granted on this ancestor of the folder asked about. */
    inheritedFromFolderId?: string;
}

export interface EffectivePermissions {
    principalType: PrincipalType;
    principalId: string;
    grants: EffectiveGrant[];
    /** Enabled custom policies that apply to the principal: naming it, one of its groups, or every principal. */
    customPolicies: EffectiveCustomPolicy[];
}

/** Four reads (five for a folder): inspect and effective policies, for the account and for the product environments. */
export async function effectivePermissions(ctx: ProviderContext, query: EffectivePermissionsQuery): Promise<EffectivePermissions> {
    const principal = { principalType: query.principalType, principalId: query.principalId };
    const policies = ctx.api.policies;
    const prodenv = { scopeType: "prodenv" as const, ...(query.scopeId ? { scopeId: query.scopeId } : {}), principal };
    const [account, environments, onFolder, accountPolicies, environmentPolicies] = await Promise.all([
        policies.inspect({ scopeType: "account", principal }),
        policies.inspect(prodenv),
        query.folderId ? policies.inspect({ ...prodenv, folderId: query.folderId }) : Promise.resolve([]),
        policies.effectiveCustomPolicies({ scopeType: "account", principal }),
        policies.effectiveCustomPolicies(prodenv),
    ]);
    // For one folder: the product environments' roles that are not folder roles, and the folder's own and inherited ones.
    const global = query.folderId ? environments.map((p) => ({ ...p, roles: p.roles.filter((r) => !r.folderId && !r.collectionId) })) : environments;
    const grants = [...account, ...global, ...onFolder].flatMap((p) => grantsOf(p, query));
    const customPolicies = [...accountPolicies, ...environmentPolicies].filter((p, i, all) => all.findIndex((q) => q.id === p.id) === i);
    return { ...principal, grants, customPolicies };
}

function grantsOf(holder: InspectedPrincipal, query: EffectivePermissionsQuery): EffectiveGrant[] {
    const viaGroup = holder.principalType !== query.principalType || holder.principalId !== query.principalId;
    return holder.roles.map((role) => ({
        ...role,
        ...(viaGroup ? { viaGroupId: holder.principalId } : {}),
        ...(query.folderId && role.folderId && role.folderId !== query.folderId ? { inheritedFromFolderId: role.folderId } : {}),
    }));
}

/**
 * What one principal can do, where: its roles (direct, through groups, inherited from ancestor folders) and the
 * custom policies that apply to it. Credentials are read as the provider reads them from the environment
 * (CLOUDINARY_ACCOUNT_URL, CLOUDINARY_API_BASE_URL).
 */
export function getEffectivePermissions(query: EffectivePermissionsQuery, env: NodeJS.ProcessEnv = process.env): Promise<EffectivePermissions> {
    return effectivePermissions(new ProviderContext(resolveSettings(undefined, env)), query);
}

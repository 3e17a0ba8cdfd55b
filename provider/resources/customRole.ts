// CustomRole: a custom role made of system policies (Permissions API /roles). Its id is the role id.
import type { Role } from "../api/domain";
import { CloudinaryApiError } from "../api/errors";
import type { ProviderContext } from "../context";
import { defineResource, Operations } from "../dynamic/define";
import { Args, Instance, resourceClass } from "../dynamic/program";
import { createOrTakeOver, TakeOverReason } from "../dynamic/takeOver";
import { sameSet } from "../dynamic/sets";
import type { CustomRoleInputs } from "../generated/inputs";
import { customRoleFailures } from "../validation/customRole";

export interface CustomRoleOutputs extends CustomRoleInputs {
    roleId: string;
}

function outputsOf(role: Role, inputs: Pick<CustomRoleInputs, "forceDelete" | "adopt">): CustomRoleOutputs {
    const { id, name, description, permissionType, scopeType, systemPolicyIds } = role;
    return { roleId: id, name, description, permissionType, scopeType, systemPolicyIds, forceDelete: inputs.forceDelete, adopt: inputs.adopt };
}

/** The mutable fields in which a live role differs from the declaration. */
function differences(role: Role, inputs: CustomRoleInputs): string[] {
    const out: string[] = [];
    if (role.name !== inputs.name) out.push("name");
    if ((role.description ?? "") !== (inputs.description ?? "")) out.push("description");
    if (!sameSet(role.systemPolicyIds, inputs.systemPolicyIds)) out.push("systemPolicyIds");
    return out;
}

function operations(ctx: ProviderContext): Operations<CustomRoleInputs, CustomRoleOutputs> {
    const account = ctx.api.account;
    const directory = ctx.directory;

    /** The live role with the declared id, or else with the declared name (names are unique across both permission types). */
    async function findExisting(declared: CustomRoleInputs): Promise<Role | undefined> {
        const byId = declared.roleId ? await account.getRole(declared.roleId) : undefined;
        if (byId) return byId;
        const order = declared.permissionType === "global" ? (["global", "content"] as const) : (["content", "global"] as const);
        for (const permissionType of order) {
            const match = (await account.listRoles(permissionType)).find((r) => r.name === declared.name);
            if (match) return account.getRole(match.id);
        }
        return undefined;
    }

    /**
     * An existing role stands where the declared one would be created. It is taken over when it is identical (as
     * after an interrupted run, or a reply lost after Cloudinary committed the create), or when `adopt` is set and
     * only mutable fields differ (they are then updated). Anything else is an error that says what differs.
     */
    async function takeOver(role: Role, declared: CustomRoleInputs, why: TakeOverReason): Promise<CustomRoleOutputs> {
        const label = `role '${role.name}' (${role.id})`;
        if (role.managementType !== "custom") throw new Error(`CustomRole '${declared.name}': the name or id is taken by the system ${label}; choose another name or roleId`);
        const immutable = [
            declared.roleId && role.id !== declared.roleId ? `roleId (existing: ${role.id})` : "",
            role.permissionType !== declared.permissionType ? `permissionType (existing: ${role.permissionType})` : "",
            role.scopeType !== declared.scopeType ? `scopeType (existing: ${role.scopeType})` : "",
        ].filter(Boolean);
        if (immutable.length) throw new Error(`CustomRole '${declared.name}': the existing ${label} differs in immutable fields: ${immutable.join(", ")}; rename the role or delete the existing one`);
        const changed = differences(role, declared);
        if (changed.length === 0) {
            if (why === "conflict") ctx.warn(`CustomRole '${declared.name}': the identical ${label} already existed; it is now managed by this stack`);
            return outputsOf(role, declared);
        }
        if (!declared.adopt) {
            throw new Error(`CustomRole '${declared.name}': ${label} already exists and differs in ${changed.join(", ")}. Set adopt: true to take it over and update it, or choose another name.`);
        }
        return outputsOf(await directory.updateRole(role.id, declared), declared);
    }

    async function explainDeleteRefusal(id: string, error: CloudinaryApiError): Promise<Error> {
        const holders = await account.holders(id).catch(() => []);
        const names = holders.slice(0, 5).map((h) => `${h.principalType} ${h.principalId}${h.scopeId ? ` in ${h.scopeId}` : ""}`);
        const more = holders.length > 5 ? ` and ${holders.length - 5} more` : "";
        const who = names.length ? `; it is still held by ${names.join(", ")}${more}` : "";
        return new Error(`${error.message}${who}. Remove those assignments, or set forceDelete: true to delete the role anyway.`);
    }

    return {
        async create(declared) {
            const existing = declared.adopt ? await findExisting(declared) : undefined;
            if (existing) return takeOver(existing, declared, "adopt");
            const create = async () => {
                const role = await directory.createRole({ ...declared, id: declared.roleId });
                return outputsOf(role, declared);
            };
            return createOrTakeOver(create, () => findExisting(declared), (taken, why) => takeOver(taken, declared, why));
        },
        async read(id, known) {
            // The grants of this role are refreshed next, all at once, once the role is: their one read of its
            // holders starts now, beside the role's, instead of holding an engine worker per grant later.
            directory.readAhead(id);
            const role = await directory.customRole(id, "read", id);
            return role?.managementType === "custom" ? outputsOf(role, known) : undefined;
        },
        async update(id, _olds, declared) {
            return outputsOf(await directory.updateRole(id, declared), declared);
        },
        async delete(id, props) {
            try {
                await directory.deleteRole(id, props.forceDelete === true);
            } catch (e) {
                if (e instanceof CloudinaryApiError && !e.isNotFound && e.status < 500 && !props.forceDelete) throw await explainDeleteRefusal(id, e);
                throw e;
            }
        },
    };
}

export const customRole = defineResource<CustomRoleInputs, CustomRoleOutputs>({
    kind: "CustomRole",
    id: { output: "roleId" },
    // Role names are unique, so the old role must go before its replacement can take the name.
    deleteBeforeReplace: true,
    rules: customRoleFailures,
    claims: (args) => ({ unique: [{ what: "role name", parts: [args.name] }, ...(args.roleId !== undefined ? [{ what: "role id", parts: [args.roleId] }] : [])] }),
    operations,
    warnings({ roleId, name, permissionType, scopeType, systemPolicyIds }, unknown) {
        if (["name", "permissionType", "scopeType", "systemPolicyIds"].some((k) => unknown.has(k)) || !name || !permissionType || !scopeType || !systemPolicyIds) return {};
        return { role: { ...(roleId && !unknown.has("roleId") ? { id: roleId } : {}), name, permissionType, scopeType, systemPolicyIds } };
    },
});

/** A custom role made of system policies; `roleId` is the declared id or the one Cloudinary generated. */
export const CustomRole = resourceClass(customRole);
export type CustomRole = Instance<CustomRoleOutputs>;
export type CustomRoleArgs = Args<CustomRoleInputs>;

// Group: a user group (Provisioning API /user_groups). When memberIds is given it is the authoritative list
// of the group's users; when it is absent, membership is left to others (the Console, SSO). Its id is the group id.
import type { Group as LiveGroup } from "../api/domain";
import { CloudinaryApiError } from "../api/errors";
import type { ProviderContext } from "../context";
import { defineResource, Operations } from "../dynamic/define";
import { partialCreate } from "../dynamic/errors";
import { Args, Instance, resourceClass } from "../dynamic/program";
import { setChanges, sorted } from "../dynamic/sets";
import type { GroupInputs } from "../generated/inputs";
import { groupFailures } from "../validation/group";

export interface GroupOutputs extends GroupInputs {
    groupId: string;
}

function outputsOf(group: LiveGroup, inputs: Pick<GroupInputs, "memberIds" | "adopt">, members?: string[]): GroupOutputs {
    return {
        groupId: group.id,
        name: group.name,
        ...(inputs.memberIds !== undefined ? { memberIds: sorted(members ?? inputs.memberIds) } : {}),
        ...(inputs.adopt !== undefined ? { adopt: inputs.adopt } : {}),
    };
}

function operations(ctx: ProviderContext): Operations<GroupInputs, GroupOutputs> {
    const directory = ctx.directory;

    async function changeMembers(groupId: string, current: string[], desired: string[]): Promise<void> {
        const { added, removed } = setChanges(current, desired);
        for (const userId of added) await directory.addMember(groupId, userId);
        for (const userId of removed) await directory.removeMember(groupId, userId);
    }

    /** Membership was left to others until now: the declared list replaces whatever the group holds. */
    async function liveMembers(groupId: string): Promise<string[]> {
        return (await directory.groups("fresh")).get(groupId)?.memberIds ?? [];
    }

    /**
     * A group with the declared name exists. Without `adopt` it is taken over only when none of its members would
     * be removed: all of them are declared. That is also what this create leaves when it is cut off between
     * creating the group and adding its members (a lost reply, a killed run), so the next run finishes it.
     * Otherwise the user is told what differs; with `adopt` its members are converged.
     */
    async function takeOver(group: LiveGroup, declared: GroupInputs, why: "adopt" | "conflict" | "lostReply"): Promise<GroupOutputs> {
        const members = group.memberIds ?? [];
        const undeclared = declared.memberIds === undefined ? [] : setChanges(declared.memberIds, members).added;
        if (undeclared.length > 0 && !declared.adopt) {
            throw new Error(
                `Group '${declared.name}' already exists (${group.id}) with members that are not declared (${undeclared.join(", ")}). ` +
                    `Set adopt: true to take it over and converge its members, or choose another name.`,
            );
        }
        if (why === "conflict") ctx.warn(`Group '${declared.name}': the existing group ${group.id} is now managed by this stack`);
        const desired = declared.memberIds;
        if (desired !== undefined) await partialCreate(group.id, outputsOf(group, declared, members), () => changeMembers(group.id, members, desired));
        return outputsOf(group, declared);
    }

    return {
        async create(declared) {
            const existing = declared.adopt ? await directory.groupNamed(declared.name) : undefined;
            if (existing) return takeOver(existing, declared, "adopt");
            let group: LiveGroup;
            try {
                group = await directory.createGroup(declared.name);
            } catch (e) {
                if (!(e instanceof CloudinaryApiError && e.isConflict)) throw e;
                const taken = await directory.groupNamed(declared.name);
                if (!taken) throw e;
                return takeOver(taken, declared, e.afterLostReply ? "lostReply" : "conflict");
            }
            await partialCreate(group.id, outputsOf(group, declared, []), () => changeMembers(group.id, [], declared.memberIds ?? []));
            return outputsOf(group, declared);
        },
        async read(id, known) {
            // One listing of the groups with their members serves every Group of the run.
            const group = (await directory.groups("read", id)).get(id);
            return group && outputsOf(group, known, group.memberIds);
        },
        async update(id, olds, declared) {
            if (olds.name !== declared.name) await directory.renameGroup(id, declared.name);
            if (declared.memberIds !== undefined) await changeMembers(id, olds.memberIds ?? (await liveMembers(id)), declared.memberIds);
            return outputsOf({ id, name: declared.name }, declared);
        },
        async delete(id) {
            await directory.deleteGroup(id);
        },
    };
}

export const group = defineResource<GroupInputs, GroupOutputs>({
    kind: "Group",
    id: { output: "groupId" },
    rules: groupFailures,
    claims: (args) => ({ unique: [{ what: "group name", parts: [args.name] }] }),
    operations,
    warnings: ({ name, memberIds, adopt }) => (name !== undefined ? { group: { name, ...(memberIds ? { memberIds } : {}), ...(adopt ? { adopt } : {}) } } : {}),
});

/** A user group; `groupId` is the id Cloudinary generated. */
export const Group = resourceClass(group);
export type Group = Instance<GroupOutputs>;
export type GroupArgs = Args<GroupInputs>;

// Group: a user group (Provisioning API /user_groups). When memberIds is given it is the authoritative list
// of the group's users; when it is absent, membership is left to others (the Console, SSO).
//
// Inputs: name, memberIds, adopt. id = the group id. Every input updates in place.
import * as pulumi from "@pulumi/pulumi";
import { CloudinaryApiError } from "../api/errors";
import { UserGroup } from "../api/provisioning";
import { ProviderContext } from "../context";
import { claimUnique } from "../dynamic/declarations";
import { diffFields, FieldRule } from "../dynamic/diff";
import { partialCreate } from "../dynamic/errors";
import { changedSince, checkInputs, Props, ResourceHandler, RuleContext } from "../dynamic/handler";
import { setChanges, sorted } from "../dynamic/sets";
import { delegatingProvider } from "../dynamic/shim";
import { idOutput, registeredProps } from "../dynamic/resource";
import { Failure } from "../validation/schema";
import { didYouMean } from "../validation/suggest";

// ---- inputs --------------------------------------------------------------------------------------------

export interface GroupArgs {
    name: pulumi.Input<string>;
    /** The user ids of the group's members; when given, users not listed are removed from the group. */
    memberIds?: pulumi.Input<pulumi.Input<string>[]>;
    /** Take over an existing group of the same name and converge its members. */
    adopt?: pulumi.Input<boolean>;
}

export interface GroupInputs {
    name: string;
    memberIds?: string[];
    adopt?: boolean;
}

export interface GroupOutputs extends GroupInputs {
    groupId: string;
}

// ---- validation ----------------------------------------------------------------------------------------

async function rules(ctx: ProviderContext, inputs: GroupInputs, { unknown, olds }: RuleContext<GroupInputs>): Promise<Failure[]> {
    if (!inputs.memberIds || unknown.has("memberIds") || !changedSince(olds, inputs, ["memberIds"])) return [];
    const missing = await missingUsers(ctx, inputs.memberIds);
    if (missing.length === 0) return [];
    const known = [...(await ctx.lookups.users.get()).keys()];
    return missing.map(({ id, i }) => ({ property: "memberIds", reason: `memberIds[${i}] '${id}' is not a user of this account${didYouMean(id, known)}` }));
}

async function missingUsers(ctx: ProviderContext, ids: string[]): Promise<{ id: string; i: number }[]> {
    const found = await Promise.all(ids.map((id) => ctx.lookups.user(id)));
    return ids.flatMap((id, i) => (found[i] ? [] : [{ id, i }]));
}

// ---- diff ----------------------------------------------------------------------------------------------

const FIELDS: Record<string, FieldRule> = {
    name: { onChange: "update" },
    memberIds: { onChange: "update", compare: "set" },
    adopt: { onChange: "state" },
};

function diff(olds: Props, news: Props): pulumi.dynamic.DiffResult {
    // Without memberIds, membership is not managed here, so live members are no difference.
    return diffFields(olds, news, news.memberIds === undefined ? { name: FIELDS.name, adopt: FIELDS.adopt } : FIELDS);
}

// ---- create / read / update / delete -----------------------------------------------------------------

function outputsOf(group: UserGroup, inputs: Pick<GroupInputs, "memberIds" | "adopt">, members?: string[]): GroupOutputs {
    return {
        groupId: group.id as string,
        name: group.name as string,
        ...(inputs.memberIds !== undefined ? { memberIds: sorted(members ?? inputs.memberIds) } : {}),
        ...(inputs.adopt !== undefined ? { adopt: inputs.adopt } : {}),
    };
}

function membersOf(group: UserGroup): string[] {
    return (group.users ?? []).map((u) => u.id as string);
}

class GroupHandler implements ResourceHandler {
    constructor(private readonly ctx: ProviderContext) {}

    check(olds: Props, news: Props) {
        return checkInputs<GroupInputs>("Group", olds, news, (inputs, context) => rules(this.ctx, inputs, context));
    }

    async diff(_id: string, olds: Props, news: Props) {
        return diff(olds, news);
    }

    async create(inputs: Props): Promise<pulumi.dynamic.CreateResult> {
        const declared = inputs as GroupInputs;
        const existing = declared.adopt ? await this.findByName(declared.name) : undefined;
        if (existing) return this.takeOver(existing, declared, "adopt");
        let group: UserGroup;
        try {
            group = await this.ctx.provisioning.createUserGroup(declared.name);
        } catch (e) {
            if (!(e instanceof CloudinaryApiError && e.isConflict)) throw e;
            const taken = await this.findByName(declared.name);
            if (!taken) throw e;
            return this.takeOver(taken, declared, e.afterLostReply ? "lostReply" : "conflict");
        }
        const id = group.id as string;
        this.ctx.lookups.groupSaved(group);
        await partialCreate(id, outputsOf(group, declared, []), () => this.changeMembers(id, [], declared.memberIds ?? []));
        return { id, outs: outputsOf(group, declared) };
    }

    async read(id: string, props: Props): Promise<pulumi.dynamic.ReadResult> {
        const group = await this.getGroup(id);
        if (!group) return { id: "" };
        return { id, props: outputsOf(group, props as GroupInputs, membersOf(group)) };
    }

    async update(id: string, olds: Props, news: Props): Promise<pulumi.dynamic.UpdateResult> {
        const declared = news as GroupInputs;
        if (olds.name !== declared.name) this.ctx.lookups.groupSaved(await this.ctx.provisioning.updateUserGroup(id, declared.name));
        if (declared.memberIds !== undefined) await this.changeMembers(id, olds.memberIds ?? [], declared.memberIds);
        return { outs: { groupId: id, ...declared, ...(declared.memberIds ? { memberIds: sorted(declared.memberIds) } : {}) } };
    }

    async delete(id: string): Promise<void> {
        try {
            await this.ctx.provisioning.deleteUserGroup(id);
            this.ctx.lookups.groupDeleted(id);
        } catch (e) {
            if (e instanceof CloudinaryApiError && e.isNotFound) return; // already gone
            throw e;
        }
    }

    private async getGroup(id: string): Promise<UserGroup | undefined> {
        try {
            return await this.ctx.provisioning.getUserGroup(id);
        } catch (e) {
            if (e instanceof CloudinaryApiError && e.isNotFound) return undefined;
            throw e;
        }
    }

    private async findByName(name: string): Promise<UserGroup | undefined> {
        const match = (await this.ctx.provisioning.listUserGroups()).find((g) => g.name === name);
        return match ? this.getGroup(match.id as string) : undefined;
    }

    /**
     * A group with the declared name exists. Without `adopt` it is taken over only when none of its members would
     * be removed: all of them are declared. That is also what this create leaves when it is cut off between
     * creating the group and adding its members (a lost reply, a killed run), so the next run finishes it.
     * Otherwise the user is told what differs; with `adopt` its members are converged.
     */
    private async takeOver(group: UserGroup, declared: GroupInputs, why: "adopt" | "conflict" | "lostReply"): Promise<pulumi.dynamic.CreateResult> {
        const id = group.id as string;
        const members = membersOf(group);
        const undeclared = declared.memberIds === undefined ? [] : setChanges(declared.memberIds, members).added;
        if (undeclared.length > 0 && !declared.adopt) {
            throw new Error(
                `Group '${declared.name}' already exists (${id}) with members that are not declared (${undeclared.join(", ")}). ` +
                    `Set adopt: true to take it over and converge its members, or choose another name.`,
            );
        }
        if (why === "conflict") this.ctx.warn(`Group '${declared.name}': the existing group ${id} is now managed by this stack`);
        if (declared.memberIds !== undefined) {
            await partialCreate(id, outputsOf(group, declared, members), () => this.changeMembers(id, members, declared.memberIds as string[]));
        }
        return { id, outs: outputsOf(group, declared) };
    }

    private async changeMembers(groupId: string, current: string[], desired: string[]): Promise<void> {
        const { added, removed } = setChanges(current, desired);
        for (const userId of added) await this.tolerate(409, () => this.ctx.provisioning.addUserToGroup(groupId, userId));
        for (const userId of removed) await this.tolerate(404, () => this.ctx.provisioning.removeUserFromGroup(groupId, userId));
    }

    /** Membership changes converge: "already a member" on add and "not a member" on remove mean done. */
    private async tolerate(status: number, change: () => Promise<void>): Promise<void> {
        try {
            await change();
        } catch (e) {
            if (!(e instanceof CloudinaryApiError && e.status === status)) throw e;
        }
    }
}

export const groupHandler = (ctx: ProviderContext): ResourceHandler => new GroupHandler(ctx);

// ---- the resource ----------------------------------------------------------------------------------------

const provider = delegatingProvider("Group");

export class Group extends pulumi.dynamic.Resource {
    /** The group's id, generated by the API. */
    readonly groupId: pulumi.Output<string>;
    declare readonly name: pulumi.Output<string>;
    declare readonly memberIds: pulumi.Output<string[] | undefined>;

    constructor(name: string, args: GroupArgs, opts?: pulumi.CustomResourceOptions) {
        if (!opts?.id) claimUnique("Group", "group name", [args.name], name);
        super(provider, name, registeredProps(["groupId", "name", "memberIds"], args), opts, "cloudinary", "Group");
        this.groupId = idOutput(this);
    }

    /** Reads an existing group; `id` is the group id. */
    static get(name: string, id: pulumi.Input<string>, opts?: pulumi.CustomResourceOptions): Group {
        return new Group(name, {} as GroupArgs, { ...opts, id });
    }
}

// Facts from Cloudinary's documents about grants that do nothing (grant-effects.json, each with its source), typed,
// and the warning codes that name the four rules built on them. Data only: every layer may read it.
import facts from "./grant-effects.json";

export type PermissionKind = "global" | "content";

/** One permission a task needs, as the Console guide's table names it; any of `policyIds` gives it. */
export interface TaskPart {
    label: string;
    permissionType: PermissionKind;
    /** Empty when no source gives the policy id: such a part is never reported missing. */
    policyIds: string[];
    /** The task's own permission: holding it means the role is meant for the task. */
    trigger?: boolean;
    /** Comes from a grant on another folder (the destination of a move). */
    otherGrant?: boolean;
    /** Needed only in this mode (e.g. "fixed-folder mode"). */
    onlyIn?: string;
    /** Where the guide says the part applies ("on the folder of origin"). */
    where?: string;
    /** The guide's note that this part exists only as a global permission, which the content column implies. */
    fromNote?: string;
}

export interface Task {
    id: string;
    /** The guide's wording, "Use Moderation tab to moderate assets". */
    action: string;
    /** "Global Permissions (All Content)". */
    global: TaskPart[];
    /** "Content-Specific Permissions (Per Folder/Collection)". */
    content: TaskPart[];
}

export interface ConsoleOnlyPolicy {
    policyId: string;
    label: string;
    why: string;
}

export const GRANT_EFFECTS = facts as unknown as {
    productEnvironmentAccess: { allAccessAccountRole: string };
    mediaLibraryAccess: { policyId: string; label: string; systemRolesThatInclude: { roleId: string; label: string }[] };
    consoleOnly: { policies: ConsoleOnlyPolicy[]; notConsoleOnly: { policyId: string }[] };
    tasks: { list: Task[] };
};

export const TASKS: readonly Task[] = GRANT_EFFECTS.tasks.list;
export const MEDIA_LIBRARY_POLICY = GRANT_EFFECTS.mediaLibraryAccess.policyId;
export const CONSOLE_ONLY_POLICIES: ReadonlyMap<string, ConsoleOnlyPolicy> = new Map(GRANT_EFFECTS.consoleOnly.policies.map((p) => [p.policyId, p]));

/** The warnings, by stable code, with what each means (the README's table says the same). */
export const WARNING_CODES = {
    "group-member-without-environment": "a product-environment role held by a group does not reach a member who cannot enter that product environment",
    "content-role-key-without-media-library": "a folder or collection role on an API key needs a global role with Access the Media Library for that key in that product environment",
    "partial-task": "a custom role holds part of a task that needs several permissions together, without the others",
    "console-only-role-on-key": "a role that grants only Console areas has no effect on an API key",
} as const;

export type WarningCode = keyof typeof WARNING_CODES;

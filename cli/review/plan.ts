// The stack's plan as `pulumi preview --json` prints it, reduced to what review needs: for each resource of this
// package that the plan changes, its inputs before (the state) and after (what the provider's check returned),
// and where each input came from (propertyDependencies: the URNs of the resources whose outputs it holds).
//
// What the engine prints (3.248, verified on real stacks; tests/cli/fixtures/): { steps: [{ op, urn, oldState?,
// newState? }], diagnostics, changeSummary }. Unchanged resources are left out (only the stack's own "same" step
// is listed); a replacement is one "replace" step with both states; `--refresh` adds a "refresh" step per resource
// first. A value unknown at preview (an id Cloudinary assigns at create) is the string UNKNOWN.

/** The engine's marker for a value only known once the resource is created or updated. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export const KINDS = ["CustomRole", "RoleAssignment", "FolderShare", "Group", "PrincipalRoles", "RolePrincipals", "AccountGrants", "CustomPolicy", "ProductEnvironmentAccess"] as const;
export type Kind = (typeof KINDS)[number];

const TYPE_PREFIX = "pulumi-nodejs:dynamic/cloudinary:";

/** One side of a change: the resource's inputs, its id and outputs where the state has them, and their sources. */
export interface ResourceSide {
    id?: string;
    inputs: Record<string, unknown>;
    outputs?: Record<string, unknown>;
    /** input name → URNs of the resources its value came from */
    dependencies: Record<string, string[]>;
}

/** A resource of this package that the plan creates, updates, replaces or deletes. */
export interface PlannedResource {
    urn: string;
    kind: Kind;
    /** The resource's name in the program (the file key for permissions.yaml). */
    name: string;
    op: string;
    /** What it declares now (absent when the plan deletes it). */
    before?: ResourceSide;
    /** What it will declare (absent when the plan deletes it). */
    after?: ResourceSide;
}

export interface Plan {
    resources: PlannedResource[];
    /** Resources of other types the plan changes (another provider's, a component): not access, listed for the record. */
    others: { urn: string; op: string }[];
}

// Which side of a resource each step operation describes. A delete of a resource with retainOnDelete leaves the
// object in Cloudinary (and "discard" forgets it from the state), so neither revokes anything.
const BEFORE_OPS = new Set(["update", "replace", "delete", "delete-replaced"]);
const AFTER_OPS = new Set(["create", "create-replacement", "update", "replace"]);

interface StepState {
    type?: string;
    id?: string;
    inputs?: Record<string, unknown>;
    outputs?: Record<string, unknown>;
    propertyDependencies?: Record<string, string[]>;
    retainOnDelete?: boolean;
}

interface Step {
    op: string;
    urn: string;
    oldState?: StepState;
    newState?: StepState;
}

export class PlanError extends Error {}

/** The plan in `text` (the whole output of `pulumi preview --json`). */
export function parsePlan(text: string, source = "the plan"): Plan {
    let json: unknown;
    try {
        json = JSON.parse(text);
    } catch (e) {
        throw new PlanError(`${source} is not JSON (${(e as Error).message}); expected the output of \`pulumi preview --json\``);
    }
    const steps = (json as { steps?: unknown }).steps;
    if (!json || typeof json !== "object" || !Array.isArray(steps)) {
        throw new PlanError(`${source} has no "steps" list; expected the output of \`pulumi preview --json\``);
    }
    const byUrn = new Map<string, PlannedResource>();
    const others: Plan["others"] = [];
    for (const step of steps as Step[]) {
        if (typeof step?.urn !== "string" || typeof step.op !== "string") throw new PlanError(`${source}: a step without op or urn: ${JSON.stringify(step).slice(0, 200)}`);
        const type = step.newState?.type ?? step.oldState?.type ?? typeOfUrn(step.urn);
        const changes = BEFORE_OPS.has(step.op) || AFTER_OPS.has(step.op);
        if (!type.startsWith(TYPE_PREFIX)) {
            if (changes && !type.startsWith("pulumi:")) others.push({ urn: step.urn, op: step.op });
            continue;
        }
        const kind = type.slice(TYPE_PREFIX.length) as Kind;
        if (!changes) continue;
        if (!KINDS.includes(kind)) {
            others.push({ urn: step.urn, op: step.op });
            continue;
        }
        const resource = byUrn.get(step.urn) ?? { urn: step.urn, kind, name: nameOfUrn(step.urn), op: step.op };
        if (BEFORE_OPS.has(step.op) && step.oldState && !step.oldState.retainOnDelete) resource.before ??= sideOf(step.oldState);
        if (AFTER_OPS.has(step.op) && step.newState) resource.after ??= sideOf(step.newState);
        // A replacement may come as one "replace" step or as its two halves.
        if (byUrn.has(step.urn) && resource.op !== step.op) resource.op = "replace";
        byUrn.set(step.urn, resource);
    }
    return { resources: [...byUrn.values()].filter((r) => r.before || r.after), others };
}

function sideOf(state: StepState): ResourceSide {
    const { __provider: _provider, ...inputs } = state.inputs ?? {};
    return {
        ...(state.id ? { id: state.id } : {}),
        inputs,
        ...(state.outputs ? { outputs: state.outputs } : {}),
        dependencies: Object.fromEntries(Object.entries(state.propertyDependencies ?? {}).filter(([, urns]) => urns.length > 0)),
    };
}

/** urn:pulumi:STACK::PROJECT::[PARENT$]TYPE::NAME → TYPE */
export function typeOfUrn(urn: string): string {
    const parts = urn.split("::");
    const qualified = parts[2] ?? "";
    return qualified.slice(qualified.lastIndexOf("$") + 1);
}

export function nameOfUrn(urn: string): string {
    return urn.slice(urn.lastIndexOf("::") + 2);
}

/** "Group 'platform'": how messages name a declaration. */
export function declarationLabel(urn: string): string {
    const type = typeOfUrn(urn);
    return `${type.startsWith(TYPE_PREFIX) ? type.slice(TYPE_PREFIX.length) : type} '${nameOfUrn(urn)}'`;
}

export function isUnknown(value: unknown): boolean {
    return value === UNKNOWN;
}

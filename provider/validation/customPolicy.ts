// CustomPolicy's rules: the scope, then the Cedar statement checked locally by the Cedar engine against the
// account's Cedar schema (strict mode), each problem named by its line and column inside the statement with the fix
// where one is clear; then the users, groups and folders the statement names must exist.
import type { ProviderContext } from "../context";
import type { CustomPolicyInputs } from "../generated/inputs";
import { CedarProblem, cedarProblems, CedarSchema, describeProblem, NamedEntity, namedEntities } from "./cedar";
import { changedSince, RuleContext } from "./rules";
import { Failure } from "./schema";
import { didYouMean } from "./suggest";

const STATEMENT = "policyStatement";

export async function customPolicyFailures(ctx: ProviderContext, inputs: CustomPolicyInputs, { unknown, olds }: RuleContext<CustomPolicyInputs>): Promise<Failure[]> {
    const watched: (keyof CustomPolicyInputs)[] = ["policyStatement", "scopeType", "scopeId"];
    if (!changedSince(olds, inputs, watched)) return [];
    const scope = unknown.has("scopeId") ? [] : await scopeFailures(ctx, inputs);
    if (unknown.has(STATEMENT)) return scope;
    const problems = await statementProblems(ctx, inputs.policyStatement);
    if (problems.length) return [...scope, ...problems.map((p) => ({ property: STATEMENT, reason: describeProblem(p, OF_STATEMENT) }))];
    return [...scope, ...(await entityFailures(ctx, inputs))];
}

const OF_STATEMENT = " of the statement";

function where(p: Pick<CedarProblem, "line" | "column">): string {
    return `line ${p.line}, column ${p.column}${OF_STATEMENT}: `;
}

async function scopeFailures(ctx: ProviderContext, inputs: CustomPolicyInputs): Promise<Failure[]> {
    if (inputs.scopeType === "account") {
        return inputs.scopeId === undefined ? [] : [{ property: "scopeId", reason: "must not be set: account policies apply to the whole account; remove scopeId or use scopeType: prodenv" }];
    }
    // The product environment itself was found when its id or cloud name was resolved (names.ts).
    return inputs.scopeId === undefined ? [{ property: "scopeId", reason: "is required for scopeType prodenv: a product environment id or cloud name, or 'all'" }] : [];
}

/** Syntax first (no request), then the schema; a refusal is confirmed against a freshly read schema (a cache never says no alone). */
async function statementProblems(ctx: ProviderContext, statement: string): Promise<CedarProblem[]> {
    const syntax = cedarProblems(statement);
    if (syntax.length) return syntax;
    const problems = cedarProblems(statement, (await ctx.directory.cedarSchema()) as CedarSchema);
    return problems.length ? cedarProblems(statement, (await ctx.directory.cedarSchema("fresh")) as CedarSchema) : [];
}

/** The users, groups and folders the statement names. API keys are not listed by the account APIs: Cloudinary checks them. */
async function entityFailures(ctx: ProviderContext, inputs: CustomPolicyInputs): Promise<Failure[]> {
    const entities = namedEntities(inputs.policyStatement);
    const missing = await Promise.all(entities.map((e) => missingEntity(ctx, e, inputs)));
    return missing.filter((m): m is string => m !== undefined).map((reason) => ({ property: STATEMENT, reason }));
}

async function missingEntity(ctx: ProviderContext, e: NamedEntity, inputs: CustomPolicyInputs): Promise<string | undefined> {
    const at = where(e);
    if (e.type === "User") {
        if (await ctx.directory.user(e.id)) return undefined;
        return `${at}'${e.id}' is not a user of this account${didYouMean(e.id, (await ctx.directory.users()).keys())}`;
    }
    if (e.type === "Group") {
        if (await ctx.directory.group(e.id)) return undefined;
        return `${at}'${e.id}' is not a user group of this account${didYouMean(e.id, (await ctx.directory.groups()).keys())}`;
    }
    if (e.type === "Folder") {
        const clouds = await cloudsToSearch(ctx, inputs);
        if (clouds.length === 0) return undefined; // no Admin API credentials to look with
        const found = await Promise.all(clouds.map((cloud) => ctx.directory.folders(cloud).folderExists(e.id)));
        return found.some(Boolean) ? undefined : `${at}no folder with external id '${e.id}' in ${clouds.join(", ")}; folder ids come from the Admin API's folder listings`;
    }
    return undefined;
}

/** The configured product environments a folder of this policy may live in. */
async function cloudsToSearch(ctx: ProviderContext, inputs: CustomPolicyInputs): Promise<string[]> {
    const configured = Object.keys(ctx.settings.productEnvironments);
    if (inputs.scopeType !== "prodenv" || !inputs.scopeId || inputs.scopeId === "all") return configured;
    const pe = await ctx.directory.productEnvironment(inputs.scopeId);
    return pe && configured.includes(pe.cloudName) ? [pe.cloudName] : [];
}

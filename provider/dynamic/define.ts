// One definition per resource. A resource declares only what is its own: its kind, where its id comes from,
// its rules, what a declaration claims, and its create / read / update / delete in domain types. Everything they
// share is here: the diff table and the output keys (derived from the resource's schema.json entry), check (the
// schema, the rules, then the claims on resolved values), announcing a new object's write and withdrawing it once
// created, an absent object that counts as gone on read and as done on delete, and the engine's wire format.
import type * as pulumi from "@pulumi/pulumi";
import type { HoldPolicy, PendingChange } from "../api/coalesce";
import { CloudinaryApiError } from "../api/errors";
import type { ProviderContext } from "../context";
import { Claim, DeclarationConflict, ResolvedClaims } from "../validation/declarations";
import { RuleContext } from "../validation/rules";
import { Names, resolveNames, takesNames } from "../validation/names";
import type { DeclaredEffect } from "../validation/effectFacts";
import { Failure, ResourceKind, schemaFailures } from "../validation/schema";
import { diffFields, fieldRules, FieldRule } from "./diff";
import { StrippedInputs, stripInputs } from "./inputs";
import { noteEffect } from "./warnings";
import { engineHold, EngineWorkers } from "./workers";

export type Props = Record<string, any>;

/** What a resource does against Cloudinary, in domain types. */
export interface Operations<I, O> {
    create(inputs: I): Promise<O>;
    /** The live object, or undefined when it is gone (a 404 also counts as gone). `known` is empty after `get`. */
    read(id: string, known: Partial<O>): Promise<O | undefined>;
    update(id: string, olds: O, news: I): Promise<O>;
    /** A 404 counts as done. */
    delete(id: string, props: O): Promise<void>;
}

/** An id made of the inputs that identify the object (a grant, a share), and those inputs read back from it. */
export interface IdCodec<O> {
    format(outputs: O): string;
    parse(id: string): Partial<O>;
}

export interface ResourceDefinition<I extends object, O extends I> {
    kind: ResourceKind;
    /** The output holding the id Cloudinary assigns (roleId, groupId), or the codec of an id made of inputs. */
    id: { output: keyof O & string } | IdCodec<O>;
    /** The product environment whose Admin API the resource writes through (its key is checked at preview). */
    productEnvironmentOf?(inputs: Props): unknown;
    /** Delete the old object before creating its replacement (its name must stay unique). */
    deleteBeforeReplace?: boolean;
    rules(ctx: ProviderContext, inputs: I, context: RuleContext<I>): Promise<Failure[]>;
    /** What a declaration claims (the objects it declares, the grants it makes or owns), from its inputs; see validation/declarations.ts. */
    claims?(args: Record<string, unknown>): Claim;
    operations(ctx: ProviderContext): Operations<I, O>;
    /**
     * The write a new object's create makes that other changes can share (see api/coalesce.ts). It is announced
     * when the engine has checked the object with every input known, since its create follows in moments, and
     * withdrawn when that create is over.
     */
    pendingWrite?(ctx: ProviderContext, inputs: I): PendingChange;
    /** What the resource grants, for the warnings about grants that do nothing (dynamic/warnings.ts). */
    warnings?(inputs: Partial<I>, unknown: ReadonlySet<string>): DeclaredEffect;
}

/** What the handlers of one provider process share besides the context: the claims checked so far and the engine's hold policy. */
export interface ProviderRun {
    claims: ResolvedClaims;
    hold: HoldPolicy;
}

/** A run of its own, for a handler used outside the runtime (tests, benchmarks): no engine, so a hold never keeps one waiting. */
export function providerRun(hold: HoldPolicy = engineHold(new EngineWorkers())): ProviderRun {
    return { claims: new ResolvedClaims(), hold };
}

/** The provider side of one resource type, as the runtime hands the engine's calls to it. */
export interface ResourceHandler {
    check(olds: Props, news: Props): Promise<pulumi.dynamic.CheckResult>;
    diff(id: string, olds: Props, news: Props): Promise<pulumi.dynamic.DiffResult>;
    create(inputs: Props): Promise<pulumi.dynamic.CreateResult>;
    read(id: string, props: Props): Promise<pulumi.dynamic.ReadResult>;
    update(id: string, olds: Props, news: Props): Promise<pulumi.dynamic.UpdateResult>;
    delete(id: string, props: Props): Promise<void>;
}

export interface DefinedResource<I extends object, O extends I> extends ResourceDefinition<I, O> {
    /** The diff table, from the x-onChange annotations of the resource's schema.json entry. */
    fields: Record<string, FieldRule>;
    /** Some inputs also take names (schema.json x-name): the outputs then carry `names`, id → name. */
    takesNames: boolean;
    /** The outputs every instance has: the id output, then each input that is not a setting. */
    outputKeys: string[];
    idOf(outputs: O): string;
    handler(ctx: ProviderContext, run?: ProviderRun): ResourceHandler;
}

export function defineResource<I extends object, O extends I>(definition: ResourceDefinition<I, O>): DefinedResource<I, O> {
    const fields = fieldRules(definition.kind);
    const idOutput = "output" in definition.id ? definition.id.output : undefined;
    const named = takesNames(definition.kind);
    const outputKeys = [...new Set([...(idOutput ? [idOutput] : []), ...Object.keys(fields).filter((k) => fields[k].onChange !== "state"), ...(named ? [NAMES_OUTPUT] : [])])];
    const idOf = (outputs: O) => ("output" in definition.id ? String(outputs[definition.id.output]) : definition.id.format(outputs));
    const defined: DefinedResource<I, O> = {
        ...definition,
        fields,
        takesNames: named,
        outputKeys,
        idOf,
        handler: (ctx, run = providerRun()) => handlerOf(defined, ctx, run),
    };
    return defined;
}

function handlerOf<I extends object, O extends I>(defined: DefinedResource<I, O>, ctx: ProviderContext, run: ProviderRun): ResourceHandler {
    const operations = defined.operations(ctx);
    const known = (id: string, props: Props): Partial<O> => {
        if (Object.keys(props).some((k) => !k.startsWith("__"))) return props as Partial<O>;
        return "parse" in defined.id ? defined.id.parse(id) : ({} as Partial<O>);
    };
    return {
        check: async (olds, news) => {
            const resolve = defined.takesNames ? (known: Props) => resolveNames(ctx, defined.kind, known, olds && stripInputs(olds).known, olds?.[NAMES_INPUT]) : undefined;
            const result = await checkInputs<I>(defined.kind, olds, news, (inputs, context) => defined.rules(ctx, inputs, context), resolve);
            if (result.failures?.length) return result;
            const stripped = stripInputs(result.inputs);
            const failures = claimFailures(defined, run.claims, stripped);
            if (!failures.length && aboutToBeCreated(olds, stripped)) defined.pendingWrite?.(ctx, stripped.known as I).announce(run.hold);
            if (!failures.length && defined.warnings) noteEffect(ctx, defined.kind, ownerOf(defined, stripped.known), olds, news, defined.warnings(stripped.known as Partial<I>, stripped.unknown));
            return { inputs: result.inputs, failures };
        },
        diff: async (_id, olds, news) => diffFields(olds, news, defined.fields, { deleteBeforeReplace: defined.deleteBeforeReplace }),
        create: async (inputs) => {
            const known = stripInputs(inputs).known as I;
            try {
                const outs = await operations.create(known);
                return { id: defined.idOf(outs), outs: wire({ ...outs, ...namesOf(defined, inputs[NAMES_INPUT]) }) };
            } finally {
                // Announced at its check: other writes to its target need not wait for it any longer.
                defined.pendingWrite?.(ctx, known).withdraw();
            }
        },
        read: async (id, props) => {
            const live = await goneOnNotFound(operations.read(id, known(id, props)));
            // Names are what the last check resolved: a refresh reads ids, and keeps them.
            return live === undefined ? { id: "" } : { id: defined.idOf(live), props: wire({ ...live, ...namesOf(defined, props[NAMES_OUTPUT]) }) };
        },
        update: async (id, olds, news) => ({ outs: wire({ ...(await operations.update(id, olds as O, stripInputs(news).known as I)), ...namesOf(defined, news[NAMES_INPUT]) }) }),
        delete: async (id, props) => {
            await goneOnNotFound(operations.delete(id, props as O));
        },
    };
}

/** A new resource (no old inputs) whose inputs are all known is about to be created. */
/** The checked inputs keep the names they were given as (id → name) under this key, which the diff ignores... */
const NAMES_INPUT = "__names";
/** ...and the outputs show them under this one. */
export const NAMES_OUTPUT = "names";

function namesOf<I extends object, O extends I>(defined: DefinedResource<I, O>, names: Names | undefined): Props {
    return defined.takesNames ? { [NAMES_OUTPUT]: names ?? {} } : {};
}

function aboutToBeCreated(olds: Props, { unknown }: StrippedInputs): boolean {
    return unknown.size === 0 && !Object.keys(olds ?? {}).length;
}

/**
 * The program compares declarations on plain values; here the authoritative rules run on what other resources'
 * outputs resolved to, when the engine checks a resource before creating or updating it. Only fully known
 * inputs are claimed, so a resource checked again in the same run claims the same thing.
 */
function claimFailures<I extends object, O extends I>(defined: DefinedResource<I, O>, claims: ResolvedClaims, { known, unknown }: StrippedInputs): Failure[] {
    if (!defined.claims || unknown.size > 0) return [];
    const owner = ownerOf(defined, known);
    // An id made of identifying inputs, declared again with other inputs, is a second declaration of the same
    // object (two RolePrincipals of one role share its id). Names are compared by the program and by Cloudinary.
    const declaration = "parse" in defined.id ? JSON.stringify(Object.entries(known).filter(([k]) => defined.fields[k]?.onChange !== "state")) : undefined;
    try {
        claims.claim(defined.kind, owner, defined.claims(known), declaration);
        return [];
    } catch (e) {
        if (e instanceof DeclarationConflict) return [{ property: "", reason: e.message }];
        throw e;
    }
}

/** How messages name the object: its id when made of inputs, else its name. */
function ownerOf<I extends object, O extends I>(defined: DefinedResource<I, O>, known: Props): string {
    return "parse" in defined.id ? defined.id.format(known as O) : String(known.name ?? "");
}

/** A 404 answer: the object is gone, so a read finds nothing and a delete has nothing left to do. */
async function goneOnNotFound<T>(operation: Promise<T>): Promise<T | undefined> {
    try {
        return await operation;
    } catch (e) {
        if (e instanceof CloudinaryApiError && e.isNotFound) return undefined;
        throw e;
    }
}

/** The engine's wire format (a protobuf Struct) has no `undefined`: an optional output left unset is omitted. */
function wire(outputs: object): Props {
    return Object.fromEntries(Object.entries(outputs).filter(([, v]) => v !== undefined));
}

/**
 * Runs the schema, then resolves names (`resolve`), then the resource's own rules on the resolved inputs. Rules
 * that need the API only run when the inputs they look at changed, and names are only looked up when they are
 * new, so an unchanged stack previews without API calls of its own. The inputs returned carry the ids.
 */
export async function checkInputs<I>(
    kind: ResourceKind,
    olds: Props,
    news: Props,
    rules: (inputs: I, context: RuleContext<I>) => Promise<Failure[]>,
    resolve?: (known: Props) => Promise<{ inputs: Props; names: Names; failures: Failure[] }>,
): Promise<pulumi.dynamic.CheckResult> {
    const { known, unknown } = stripInputs(news);
    const failures = schemaFailures(kind, known, unknown);
    if (failures.length) return { inputs: news, failures };
    const resolved = resolve ? await resolve(known) : undefined;
    const inputs = resolved ? { ...news, ...resolved.inputs, [NAMES_INPUT]: resolved.names } : news;
    const previous = olds && Object.keys(olds).length ? (stripInputs(olds).known as Partial<I>) : undefined;
    const ruleFailures = await rules(stripInputs(inputs).known as I, { unknown, olds: previous });
    // A property the rules refuse as it stands (policyParameters on a global role) needs no word on the names in it.
    const nameFailures = (resolved?.failures ?? []).filter((f) => !ruleFailures.some((r) => r.property === f.property));
    return { inputs: nameFailures.length ? news : inputs, failures: [...ruleFailures, ...nameFailures] };
}

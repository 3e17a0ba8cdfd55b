// The shape every resource's provider implementation has, and the check flow they share: schema validation
// first (cheap, no API call), then Cloudinary's rules that may need the live catalog.
import type * as pulumi from "@pulumi/pulumi";
import type { ProviderContext } from "../context";
import { Failure, ResourceKind, schemaFailures } from "../validation/schema";
import { stripInputs } from "./inputs";

export type Props = Record<string, any>;

export interface ResourceHandler {
    check(olds: Props, news: Props): Promise<pulumi.dynamic.CheckResult>;
    diff(id: string, olds: Props, news: Props): Promise<pulumi.dynamic.DiffResult>;
    create(inputs: Props): Promise<pulumi.dynamic.CreateResult>;
    read(id: string, props: Props): Promise<pulumi.dynamic.ReadResult>;
    update(id: string, olds: Props, news: Props): Promise<pulumi.dynamic.UpdateResult>;
    delete(id: string, props: Props): Promise<void>;
}

export interface RuleContext<I> {
    /** The inputs' properties whose values are not known yet (preview of a dependent resource). */
    unknown: ReadonlySet<string>;
    /** The previous inputs, when the resource already exists. */
    olds?: Partial<I>;
}

/**
 * Runs the schema, then the resource's own rules when the schema passed. Rules that need the API only run
 * when the inputs they look at changed, so an unchanged stack previews without API calls.
 */
export async function checkInputs<I>(
    kind: ResourceKind,
    olds: Props,
    news: Props,
    rules: (inputs: I, context: RuleContext<I>) => Promise<Failure[]>,
): Promise<pulumi.dynamic.CheckResult> {
    const { known, unknown } = stripInputs(news);
    let failures = schemaFailures(kind, known, unknown);
    if (failures.length === 0) {
        const previous = olds && Object.keys(olds).length ? (stripInputs(olds).known as Partial<I>) : undefined;
        failures = await rules(known as I, { unknown, olds: previous });
    }
    return { inputs: news, failures };
}

/** True when any of the keys differs between the previous and the new inputs (or there were none before). */
export function changedSince<I>(olds: Partial<I> | undefined, news: I, keys: (keyof I)[]): boolean {
    if (!olds) return true;
    return keys.some((k) => JSON.stringify(olds[k] ?? null) !== JSON.stringify(news[k] ?? null));
}

export type HandlerFactory = (ctx: ProviderContext) => ResourceHandler;

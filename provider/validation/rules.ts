// What a resource's rules are given besides its inputs, and the test that keeps unchanged inputs from costing
// API calls at every preview.

export interface RuleContext<I> {
    /** The inputs' properties whose values are not known yet (preview of a dependent resource). */
    unknown: ReadonlySet<string>;
    /** The previous inputs, when the resource already exists. */
    olds?: Partial<I>;
}

/** True when any of the keys differs between the previous and the new inputs (or there were none before). */
export function changedSince<I>(olds: Partial<I> | undefined, news: I, keys: (keyof I)[]): boolean {
    if (!olds) return true;
    return keys.some((k) => JSON.stringify(olds[k] ?? null) !== JSON.stringify(news[k] ?? null));
}

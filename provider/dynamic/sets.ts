// Set semantics for list inputs (policy ids, members, roles): order and duplicates never make a diff.

export function sameSet(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
    const left = new Set(a ?? []);
    const right = new Set(b ?? []);
    if (left.size !== right.size) return false;
    for (const item of left) if (!right.has(item)) return false;
    return true;
}

export function setChanges(current: readonly string[] | undefined, desired: readonly string[] | undefined): { added: string[]; removed: string[] } {
    const from = new Set(current ?? []);
    const to = new Set(desired ?? []);
    return { added: [...to].filter((x) => !from.has(x)), removed: [...from].filter((x) => !to.has(x)) };
}

export function sorted(items: Iterable<string>): string[] {
    return [...new Set(items)].sort();
}

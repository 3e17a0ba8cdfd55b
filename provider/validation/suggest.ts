// "Did you mean ...?" for ids and enum values: the closest candidate by edit distance, when it is close enough
// to be a plausible typo.
import { distance } from "fastest-levenshtein";

export function closest(value: string, candidates: Iterable<string>): string | undefined {
    let best: string | undefined;
    let bestDistance = Infinity;
    for (const candidate of candidates) {
        const d = distance(value, candidate);
        if (d < bestDistance) {
            best = candidate;
            bestDistance = d;
        }
    }
    return best !== undefined && bestDistance <= Math.max(3, Math.floor(value.length / 3)) ? best : undefined;
}

export function didYouMean(value: string, candidates: Iterable<string>): string {
    const match = closest(value, candidates);
    return match ? `; did you mean '${match}'?` : "";
}

// Group's rules: none beyond the schema; its members were found when their ids or emails were resolved (names.ts).
import { Failure } from "./schema";

export async function groupFailures(): Promise<Failure[]> {
    return [];
}

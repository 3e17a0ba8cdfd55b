// A create that finds its object already there takes it over instead of failing or duplicating: Cloudinary
// answers 409 when an earlier, interrupted run (or a create whose reply was lost) already made it.
import { CloudinaryApiError } from "../api/errors";

export type TakeOverReason = "adopt" | "conflict" | "lostReply";

export async function createOrTakeOver<T, O>(
    create: () => Promise<O>,
    findExisting: () => Promise<T | undefined>,
    takeOver: (existing: T, why: Exclude<TakeOverReason, "adopt">) => Promise<O>,
): Promise<O> {
    try {
        return await create();
    } catch (e) {
        if (!(e instanceof CloudinaryApiError && e.isConflict)) throw e;
        const taken = await findExisting();
        if (!taken) throw e;
        return takeOver(taken, e.afterLostReply ? "lostReply" : "conflict");
    }
}

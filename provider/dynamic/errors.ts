// Failures in the middle of a multi-step create. The Pulumi engine records a resource whose create throws an
// error carrying `id` and `properties` (as "created, but failed to initialize"), so nothing is orphaned: the
// next run sees the partial object in state and converges it with an update.
import { CloudinaryPermissionsError, isExpected } from "../api/errors";

/** Expected when its cause is (an API answer, a refused plan): a bug in a later step keeps its stack. */
export class PartialCreateError extends CloudinaryPermissionsError {
    readonly name: string = "PartialCreateError";
    readonly reasons: string[];
    readonly properties: object;
    constructor(readonly id: string, properties: object, cause: unknown) {
        const message = cause instanceof Error ? cause.message : String(cause);
        super(`${message} (the object was created as ${id}; the next \`pulumi up\` finishes it)`, { expected: isExpected(cause), field: isExpected(cause) ? cause.field : undefined });
        // The engine shows the reasons of a resource that failed to initialize, not the message.
        this.reasons = [this.message];
        // The engine's wire format has no `undefined`.
        this.properties = Object.fromEntries(Object.entries(properties).filter(([, v]) => v !== undefined));
    }
}

export function partialCreate<T>(id: string, properties: object, step: () => Promise<T>): Promise<T> {
    return step().catch((e) => {
        throw new PartialCreateError(id, properties, e);
    });
}


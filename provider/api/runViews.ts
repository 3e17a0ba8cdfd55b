// What one provider process (one engine run) knows of keyed objects it reads whole: a role's principals, a
// folder's roles, the account's groups, users and product environments (see context/directory.ts). One read of
// a key serves every resource of it in the run, and reads asked for while it is in flight share it. A resource that asks again (a later refresh in the same process)
// gets a new read: in a run the engine reads each resource once. What the process writes itself is applied to
// the view (write-through), and the view then no longer counts as read, so a refresh reads it again. A view is
// dropped when a write's outcome is unknown, and a failed read is not remembered.

/** How much a caller may rely on what the run already knows. */
export type Freshness =
    /** A refresh: the run's read of this key, unless this process wrote to it since or this reader was served by it. */
    | "read"
    /** Before a write: what the run knows (its read and its own writes), or else a new read. */
    | "known"
    /** A read started now, or one in flight that started after this process's last write to the key. */
    | "fresh";

interface View<V> {
    value: Promise<V>;
    /** Came straight from a read (no write of this process applied since). */
    read: boolean;
    pending: boolean;
    /** The resources a refresh answered from this view. */
    served: Set<string>;
}

export class RunViews<V> {
    private readonly views = new Map<string, View<V>>();

    constructor(private readonly load: (key: string) => Promise<V>) {}

    /** `reader` names the resource asking, for refreshes. */
    get(key: string, freshness: Freshness, reader?: string): Promise<V> {
        let view = this.views.get(key);
        if (!view || !usable(view, freshness, reader)) view = this.read(key);
        if (reader !== undefined) view.served.add(reader);
        return view.value;
    }

    /**
     * `pick` on what the run knows, or else on a fresh read: undefined only when a read made after this call has
     * it missing (a cache may answer yes; before it answers no, the API is asked again).
     */
    async find<R>(key: string, pick: (value: V) => R | undefined): Promise<R | undefined> {
        // A read this call starts is itself fresh: a miss in it needs no second one.
        const startsRead = !this.views.has(key);
        const known = pick(await this.get(key, "known"));
        return known !== undefined || startsRead ? known : pick(await this.get(key, "fresh"));
    }

    /** What the run knows of the key, without a read: undefined when it knows nothing (or its read fails). */
    async known(key: string): Promise<V | undefined> {
        return this.views.get(key)?.value.catch(() => undefined);
    }

    /** A fact this process established by writing (a role it just created has no principals). */
    seed(key: string, value: V): void {
        this.views.set(key, { value: Promise.resolve(value), read: false, pending: false, served: new Set() });
    }

    /** Write-through of a write that succeeded; a key the run has not read stays unknown. `change` must be idempotent. */
    update(key: string, change: (value: V) => V): void {
        const view = this.views.get(key);
        if (view) this.views.set(key, { value: view.value.then(change), read: false, pending: false, served: new Set() });
    }

    /** Write-through to every key the run knows (a group deleted: its grants are gone from every role). */
    updateAll(change: (value: V) => V): void {
        for (const key of [...this.views.keys()]) this.update(key, change);
    }

    forget(key: string): void {
        this.views.delete(key);
    }

    private read(key: string): View<V> {
        const view: View<V> = { value: this.load(key), read: true, pending: true, served: new Set() };
        this.views.set(key, view);
        view.value.then(
            () => (view.pending = false),
            // A failed read is not remembered.
            () => this.views.get(key) === view && this.views.delete(key),
        );
        return view;
    }
}

function usable<V>(view: View<V>, freshness: Freshness, reader: string | undefined): boolean {
    if (freshness === "known") return true;
    if (!view.read || (reader !== undefined && view.served.has(reader))) return false;
    return freshness === "read" || view.pending;
}

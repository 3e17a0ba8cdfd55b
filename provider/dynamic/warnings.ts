// The run's warnings about grants that do nothing (validation/effect.ts): every resource checked in this process
// declares what it grants; once the run is over (see engineLog.ts) the warnings of the resources whose inputs
// changed are worked out on all of it, the live account filling in what the run does not declare, and each is
// sent once, under its resource. Never an error; `cloudinary:silenceWarnings` names the codes not to show.
import type { ProviderContext } from "../context";
import { ineffectiveGrants } from "../validation/effect";
import { Declaration, DeclaredEffect, runFacts } from "../validation/effectFacts";
import type { WarningCode } from "../catalog/grantEffects";
import { engineSink, inputsKey, onEngineShutdown, urnOf, WarningSink } from "./engineLog";
import { stripInputs } from "./inputs";

/** The engine's inputs of a resource (as define.ts names them). */
type Props = Record<string, any>;

interface Recorded extends Declaration {
    /** The inputs' key, by which the engine's requests name the resource's URN. */
    key: string;
    /** "RoleAssignment cld::role::...|apiKey|820...|pe...|folder_id=...", for a warning that has no URN. */
    label: string;
}

export interface RunWarning {
    urn?: string;
    label: string;
    code: WarningCode;
    message: string;
}

/** How long the end of a run may wait for the warnings' reads (the engine kills a plugin after 5 s). */
const FLUSH_BOUND_MS = 3500;

class RunWarnings {
    private readonly recorded = new Map<string, Recorded>();

    constructor(private readonly ctx: ProviderContext) {}

    /** By URN (or by inputs while the URN is not known). */
    record(id: string, entry: Recorded): void {
        this.recorded.set(id, entry);
    }

    async warnings(): Promise<RunWarning[]> {
        const silenced = this.ctx.settings.silencedWarnings;
        const entries = [...this.recorded.values()];
        if (silenced === "all" || !entries.some((e) => e.changed)) return [];
        const { facts, subjects } = await runFacts(this.ctx, entries);
        return entries.flatMap((entry) => {
            const asked = subjects.get(entry);
            if (!asked) return [];
            const found = ineffectiveGrants(facts, asked).filter((w) => !silenced.includes(w.code));
            const unique = [...new Map(found.map((w) => [w.message, w])).values()];
            const urn = urnOf(entry.key);
            return unique.map((w) => ({ ...(urn ? { urn } : {}), label: entry.label, code: w.code, message: w.message }));
        });
    }
}

const runs = new Map<ProviderContext, RunWarnings>();
let sink: WarningSink | undefined | null = null;

/** What a checked resource declares; `label` names it where no URN is known. */
export function noteEffect(ctx: ProviderContext, kind: string, label: string, olds: Props, news: Props, effect: DeclaredEffect): void {
    let run = runs.get(ctx);
    if (!run) {
        runs.set(ctx, (run = new RunWarnings(ctx)));
        if (sink === null) {
            sink = engineSink();
            if (sink) onEngineShutdown(() => sendWarnings(sink!), FLUSH_BOUND_MS);
        }
    }
    const key = inputsKey(news);
    const created = !olds || !Object.keys(olds).length;
    const changed = created || JSON.stringify(stripInputs(olds).known) !== JSON.stringify(stripInputs(news).known);
    // Checked again (with outputs resolved), a resource replaces what it declared: its URN is the same.
    const urn = urnOf(key);
    run.record(urn ?? key, { effect, changed, created, key, label: `${kind} ${label}` });
}

/** Every warning of the runs of this process so far; a run whose reads failed gives its error instead. */
export async function runWarnings(): Promise<(RunWarning | Error)[]> {
    const all = await Promise.all([...runs.values()].map((run) => run.warnings().catch((e: Error) => [e])));
    return all.flat();
}

/** Sends each warning once: under its resource, or to the stack naming the resource when its URN is not known. */
export async function sendWarnings(to: WarningSink): Promise<void> {
    const found = await runWarnings();
    const warnings = [...new Map(found.map((w) => [w instanceof Error ? w.message : `${w.urn ?? w.label} ${w.message}`, w])).values()];
    await Promise.all(
        warnings.map((w) => {
            if (w instanceof Error) return to.warn(`could not look for grants that do nothing: ${w.message}`);
            return to.warn(w.urn ? `${w.code}: ${w.message}` : `${w.label}: ${w.code}: ${w.message}`, w.urn);
        }),
    );
}

/** Forgets every run (tests). */
export function resetRunWarnings(): void {
    runs.clear();
}

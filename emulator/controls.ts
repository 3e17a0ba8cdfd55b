// The /_emulator test controls: stats, state dump, reset, faults and rate limit. No auth, not counted, never
// faulted; errors are `{ error: { message } }`.
import type { FastifyInstance } from "fastify";
import { INVALID_JSON, sendJson } from "./http";
import { parseFaults, parseRateLimit } from "./faults";
import type { PipelineDeps } from "./pipeline";

type ControlDeps = Pick<PipelineDeps, "store" | "faults" | "rateLimit" | "stats">;

/** The JSON body, with broken JSON read as no object at all. */
const jsonBody = (body: unknown): unknown => (body === INVALID_JSON ? null : body);

function stateControls(app: FastifyInstance, { store, faults, rateLimit, stats }: ControlDeps): void {
    app.get("/_emulator/stats", async (_req, reply) => sendJson(reply, 200, stats.snapshot()));
    app.get("/_emulator/state", async (_req, reply) => sendJson(reply, 200, store.snapshot()));
    app.post("/_emulator/reset", async (req, reply) => {
        const only = (req.query as Record<string, string> | undefined)?.only;
        if (only !== "stats") store.reset();
        stats.reset();
        return sendJson(reply, 200, { ok: true, reset: only === "stats" ? "stats" : "state and stats" });
    });
    app.get("/_emulator/faults", async (_req, reply) => sendJson(reply, 200, { faults: faults.current ?? null, rateLimit: rateLimit.current ?? null }));
}

/** PUT checks and sets a setting, DELETE clears it; both answer `{ [name]: the setting or null }`. */
function settingControl<T>(app: FastifyInstance, url: string, name: string, parse: (body: unknown) => T | string, target: { set(value: T): void; clear(): void }): void {
    app.put(url, async (req, reply) => {
        const parsed = parse(jsonBody(req.body));
        if (typeof parsed === "string") return sendJson(reply, 400, { error: { message: parsed } });
        target.set(parsed as T);
        return sendJson(reply, 200, { [name]: parsed });
    });
    app.delete(url, async (_req, reply) => {
        target.clear();
        return sendJson(reply, 200, { [name]: null });
    });
}

export function registerControls(app: FastifyInstance, deps: ControlDeps): void {
    stateControls(app, deps);
    settingControl(app, "/_emulator/faults", "faults", parseFaults, deps.faults);
    settingControl(app, "/_emulator/rate-limit", "rateLimit", parseRateLimit, deps.rateLimit);
}

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

function faultControls(app: FastifyInstance, { faults, rateLimit }: ControlDeps): void {
    app.put("/_emulator/faults", async (req, reply) => {
        const parsed = parseFaults(jsonBody(req.body));
        if (typeof parsed === "string") return sendJson(reply, 400, { error: { message: parsed } });
        faults.set(parsed);
        return sendJson(reply, 200, { faults: parsed });
    });
    app.delete("/_emulator/faults", async (_req, reply) => {
        faults.clear();
        return sendJson(reply, 200, { faults: null });
    });
    app.put("/_emulator/rate-limit", async (req, reply) => {
        const parsed = parseRateLimit(jsonBody(req.body));
        if (typeof parsed === "string") return sendJson(reply, 400, { error: { message: parsed } });
        rateLimit.set(parsed);
        return sendJson(reply, 200, { rateLimit: parsed });
    });
    app.delete("/_emulator/rate-limit", async (_req, reply) => {
        rateLimit.clear();
        return sendJson(reply, 200, { rateLimit: null });
    });
}

export function registerControls(app: FastifyInstance, deps: ControlDeps): void {
    stateControls(app, deps);
    faultControls(app, deps);
}

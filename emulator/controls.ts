// The /_emulator test controls: stats, state dump, reset, faults, rate limit and page size. No auth, not counted,
// never faulted; errors are `{ error: { message } }`.
import type { FastifyInstance, FastifyReply } from "fastify";
import { INVALID_JSON, sendJson } from "./http";
import { parseFaults, parseRateLimit } from "./faults";
import { parsePageSize } from "./paging";
import type { PipelineDeps } from "./pipeline";

type ControlDeps = Pick<PipelineDeps, "store" | "faults" | "rateLimit" | "pageSize" | "stats">;

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

/** `{ pageSize: N }`; DELETE goes back to the page size given at start. Both answer the page size now in force. */
function pageSizeControl(app: FastifyInstance, { pageSize }: ControlDeps): void {
    const current = (reply: FastifyReply) => sendJson(reply, 200, { pageSize: pageSize.current ?? null });
    app.get("/_emulator/page-size", async (_req, reply) => current(reply));
    app.put("/_emulator/page-size", async (req, reply) => {
        const body = jsonBody(req.body) as { pageSize?: unknown } | null;
        const size = parsePageSize(body?.pageSize);
        if (typeof size === "string") return sendJson(reply, 400, { error: { message: `pageSize: ${size} (DELETE /_emulator/page-size goes back to the start value)` } });
        pageSize.set(size);
        return current(reply);
    });
    app.delete("/_emulator/page-size", async (_req, reply) => {
        pageSize.clear();
        return current(reply);
    });
}

export function registerControls(app: FastifyInstance, deps: ControlDeps): void {
    stateControls(app, deps);
    settingControl(app, "/_emulator/faults", "faults", parseFaults, deps.faults);
    settingControl(app, "/_emulator/rate-limit", "rateLimit", parseRateLimit, deps.rateLimit);
    pageSizeControl(app, deps);
}

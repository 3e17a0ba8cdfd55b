// Request bodies and JSON replies, shared by the API routes and the /_emulator controls.
import type { FastifyInstance, FastifyReply } from "fastify";

/** The parsed body of a request whose JSON is broken: each route reports it in its own error shape. */
export const INVALID_JSON = Symbol("invalid-json");

/** JSON bodies, tolerating an empty one (clients send POSTs without a body) and marking broken JSON. */
export function acceptJsonBodies(app: FastifyInstance): void {
    app.removeAllContentTypeParsers();
    app.addContentTypeParser("*", { parseAs: "string" }, (_req, body, done) => {
        const text = String(body ?? "").trim();
        if (text === "") return done(null, undefined);
        try {
            done(null, JSON.parse(text));
        } catch {
            done(null, INVALID_JSON);
        }
    });
}

export function sendJson(reply: FastifyReply, status: number, body: unknown, headers: Record<string, string> = {}): FastifyReply {
    reply.code(status).headers(headers);
    if (body === undefined) return reply.send();
    return reply.type("application/json; charset=utf-8").send(JSON.stringify(body));
}

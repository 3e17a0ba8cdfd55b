// The shared HTTP mechanics against a scripted local server: retries and backoff, Retry-After, lost replies,
// rate-limit pacing, bounded concurrency, and errors that never carry credentials.
import * as FakeTimers from "@sinonjs/fake-timers";
import * as assert from "node:assert/strict";
import * as http from "node:http";
import { AddressInfo } from "node:net";
import { CloudinaryApiError, CloudinaryNetworkError, CloudinaryUnreachableError } from "../../../provider/api/errors";
import { createLimiter, HttpClient, HttpSettings } from "../../../provider/api/http";

type Reply = (req: http.IncomingMessage, res: http.ServerResponse) => void;

interface Script {
    url: string;
    hits: { method: string; at: number; auth?: string }[];
    inFlightMax: number;
    close(): Promise<void>;
}

/** A server answering request n with replies[n] (the last one repeats). */
async function scripted(replies: Reply[], delayMs = 0): Promise<Script> {
    const hits: Script["hits"] = [];
    let inFlight = 0;
    const script = { hits, inFlightMax: 0 } as Script;
    const server = http.createServer((req, res) => {
        hits.push({ method: req.method ?? "", at: Date.now(), auth: req.headers.authorization });
        inFlight++;
        script.inFlightMax = Math.max(script.inFlightMax, inFlight);
        res.on("close", () => inFlight--);
        const reply = replies[Math.min(hits.length - 1, replies.length - 1)];
        setTimeout(() => reply(req, res), delayMs);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    script.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    script.close = () => new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
    });
    return script;
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}): Reply => (_req, res) => {
    res.writeHead(status, { "Content-Type": "application/json", ...headers });
    res.end(JSON.stringify(body));
};
const drop: Reply = (req) => req.socket.destroy();

const SECRET = "s3cr3t-never-shown";
const warnings: string[] = [];
function client(url: string, overrides: Partial<HttpSettings> = {}): HttpClient {
    const settings: HttpSettings = {
        baseUrl: url, timeoutMs: 5000, maxRetries: 3, retryBaseDelayMs: 10, maxConcurrency: 4,
        userAgent: "test", warn: (m) => warnings.push(m), ...overrides,
    };
    return new HttpClient(settings, { username: "key", password: SECRET }, createLimiter(settings.maxConcurrency));
}

describe("HTTP client", () => {
    let server: Script | undefined;
    afterEach(async () => server?.close());

    it("retries 500, 503 and 429 with backoff until success, with Basic auth on every attempt", async () => {
        server = await scripted([json(500, {}), json(503, {}), json(429, {}), json(200, { ok: true })]);
        assert.deepEqual(await client(server.url).get("/x"), { ok: true });
        assert.equal(server.hits.length, 4);
        assert.ok(server.hits.every((h) => h.auth === `Basic ${Buffer.from(`key:${SECRET}`).toString("base64")}`));
    });

    it("waits as long as Retry-After says before retrying a 429", async () => {
        server = await scripted([json(429, { error: { message: "slow down" } }, { "Retry-After": "1" }), json(200, {})]);
        await client(server.url).get("/x");
        assert.equal(server.hits.length, 2);
        assert.ok(server.hits[1].at - server.hits[0].at >= 950, `retried after ${server.hits[1].at - server.hits[0].at} ms`);
    });

    it("does not retry client errors, and reports Cloudinary's status, code, message and fields", async () => {
        server = await scripted([json(409, { error: { category: "user_error", code: "ACCOUNTS_00006", message: "already exists", details: { fields: [{ name: "Admin" }] } } })]);
        const error = await client(server.url).post("/v2/accounts/a/permissions/roles", { name: "Admin" }).catch((e) => e);
        assert.ok(error instanceof CloudinaryApiError);
        assert.equal(server.hits.length, 1);
        assert.equal(error.status, 409);
        assert.equal(error.code, "ACCOUNTS_00006");
        assert.equal(error.afterLostReply, false);
        assert.match(error.message, /POST \/v2\/accounts\/a\/permissions\/roles failed: 409 ACCOUNTS_00006 already exists \(name: "Admin"\)/);
    });

    it("retries a write whose reply was lost, and marks the answer as possibly after a committed write", async () => {
        server = await scripted([drop, json(409, { error: { code: "ACCOUNTS_00006", message: "already exists" } })]);
        const error = await client(server.url).post("/roles", {}).catch((e) => e);
        assert.equal(server.hits.length, 2);
        assert.ok(error instanceof CloudinaryApiError && error.afterLostReply);
    });

    it("gives up after the retry budget with a network error", async () => {
        server = await scripted([drop]);
        const error = await client(server.url, { maxRetries: 2 }).get("/x").catch((e) => e);
        assert.ok(error instanceof CloudinaryNetworkError, String(error));
        assert.equal(server.hits.length, 3);
    });

    it("never exposes the credentials in errors", async () => {
        server = await scripted([json(401, { error: { message: "invalid credentials" } }), drop]);
        const api = client(server.url, { maxRetries: 0 });
        const errors = [await api.get("/a").catch((e: Error) => e), await api.get("/b").catch((e: Error) => e)] as Error[];
        for (const error of errors) {
            const everything = `${error.message}\n${error.stack}\n${JSON.stringify(error)}\n${JSON.stringify(Object.entries(error))}`;
            assert.ok(!everything.includes(SECRET) && !everything.includes(Buffer.from(`key:${SECRET}`).toString("base64")), everything);
        }
    });

    it("keeps at most maxConcurrency requests in flight", async () => {
        server = await scripted([json(200, {})], 30);
        const api = client(server.url, { maxConcurrency: 3 });
        await Promise.all(Array.from({ length: 12 }, (_, i) => api.get(`/x${i}`)));
        assert.equal(server.hits.length, 12);
        assert.equal(server.inFlightMax, 3);
    });

    it("slows down and warns once when the rate-limit budget runs low", async () => {
        warnings.length = 0;
        // The header has whole seconds: 4 s ahead leaves between 3 and 4 s once truncated.
        const reset = new Date(Date.now() + 4000).toUTCString();
        server = await scripted([json(200, {}, { "X-FeatureRateLimit-Limit": "100", "X-FeatureRateLimit-Remaining": "4", "X-FeatureRateLimit-Reset": reset })]);
        const api = client(server.url);
        await api.get("/a");
        await api.get("/b");
        await api.get("/c");
        assert.equal(warnings.filter((w) => /rate limit is low: 4 of 100/.test(w)).length, 1, warnings.join("\n"));
        // With 4 requests left for at least 3 s, requests are spaced by at least 750 ms (Bottleneck's minTime).
        const gap = server.hits[2].at - server.hits[1].at;
        assert.ok(gap >= 700, `requests ${gap} ms apart`);
    });
});

// An address that refuses connections is a wrong setting far more often than an outage: it fails after two
// quick retries, whatever backoff is configured. Measured on a fake clock (the connection attempts are real).
describe("HTTP client, unreachable address", () => {
    let clock: FakeTimers.Clock;
    beforeEach(() => (clock = FakeTimers.install({ toFake: ["setTimeout", "clearTimeout", "Date"] })));
    afterEach(() => clock.uninstall());

    it("fails with the setting to fix after two retries 250 ms apart, not after the configured backoff", async () => {
        const closed = http.createServer();
        await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
        const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
        await new Promise<void>((resolve) => closed.close(() => resolve()));

        const started = Date.now();
        let outcome: unknown;
        client(url, { maxRetries: 6, retryBaseDelayMs: 60_000, baseUrlSource: "cloudinary:apiBaseUrl" }).get("/x").then(
            () => (outcome = "answered"),
            (e: unknown) => (outcome = e),
        );
        // Real connection attempts, fake waits between them: let each attempt fail, then run the clock on.
        for (let i = 0; outcome === undefined && i < 2000; i++) {
            await new Promise((resolve) => setImmediate(resolve));
            await clock.tickAsync(5);
        }
        assert.ok(outcome instanceof CloudinaryUnreachableError, String(outcome));
        assert.match(outcome.message, /Cannot reach the Cloudinary API at http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED.*fix cloudinary:apiBaseUrl/);
        const waited = Date.now() - started;
        assert.ok(waited >= 500, `two retries 250 ms apart: ${waited} ms of fake time`);
        assert.ok(waited < 60_000, `not the configured backoff: ${waited} ms of fake time`);
    });
});

import * as assert from "node:assert/strict";
import { parseAccountUrl, parseCloudinaryUrl, parseProductEnvironments, parseSilencedWarnings, redactUrl, resolveSettings } from "../../../provider/api/settings";

const config = (values: Record<string, string>) => ({ get: (key: string) => values[key] });

describe("provider settings", () => {
    it("reads stack config before the environment, and defaults to Cloudinary's API", () => {
        const fromEnv = resolveSettings(undefined, { CLOUDINARY_ACCOUNT_URL: "account://k:s@acc" });
        assert.equal(fromEnv.apiBaseUrl, "https://api.cloudinary.com");
        assert.deepEqual(fromEnv.account, { apiKey: "k", apiSecret: "s", accountId: "acc" });

        const both = resolveSettings(config({ "cloudinary:accountUrl": "account://ck:cs@cacc", "cloudinary:apiBaseUrl": "http://127.0.0.1:9/" }), {
            CLOUDINARY_ACCOUNT_URL: "account://k:s@acc",
            CLOUDINARY_API_BASE_URL: "http://elsewhere",
        });
        assert.equal(both.account?.accountId, "cacc");
        assert.equal(both.apiBaseUrl, "http://127.0.0.1:9");
    });

    it("collects Admin API credentials from CLOUDINARY_URL and the per-product-environment map", () => {
        const settings = resolveSettings(config({ "cloudinary:productEnvironments": JSON.stringify({ b: "cloudinary://2:s2@b", c: { apiKey: "3", apiSecret: "s3" } }) }), {
            CLOUDINARY_URL: "cloudinary://1:s1@a",
        });
        assert.deepEqual(Object.keys(settings.productEnvironments).sort(), ["a", "b", "c"]);
        assert.deepEqual(settings.productEnvironments.c, { cloudName: "c", apiKey: "3", apiSecret: "s3" });
        assert.deepEqual(parseProductEnvironments("cloudinary://1:x@a, cloudinary://2:y@b").map((p) => p.cloudName), ["a", "b"]);
    });

    const invalid: [string, () => unknown, RegExp][] = [
        ["account URL without secret", () => parseAccountUrl("account://onlykey@acc"), /cloudinary:accountUrl \(or CLOUDINARY_ACCOUNT_URL\) is not a valid account URL/],
        ["cloudinary URL with the wrong scheme", () => parseCloudinaryUrl("https://k:s@x"), /expected cloudinary:\/\/API_KEY:API_SECRET@CLOUD_NAME/],
        ["map entry naming another cloud", () => parseProductEnvironments(JSON.stringify({ a: "cloudinary://1:s@b" })), /names another cloud/],
        ["map entry without a secret", () => parseProductEnvironments(JSON.stringify({ a: { apiKey: "1" } })), /'a' needs a cloudinary:\/\/ URL/],
        ["base URL with credentials", () => resolveSettings(config({ "cloudinary:apiBaseUrl": "https://k:s@api.cloudinary.com" }), {}), /must not contain credentials/],
        ["concurrency out of range", () => resolveSettings(config({ "cloudinary:maxConcurrency": "0" }), {}), /maxConcurrency .* must be an integer from 1 to 64/],
    ];
    for (const [what, run, message] of invalid) {
        it(`rejects a ${what} with a message naming the setting`, () => assert.throws(run, message));
    }

    it("never puts a secret in an error message", () => {
        for (const value of ["account://key:TOPSECRET@", "account://key:TOPSECRET", "cloudinary://key:TOPSECRET@", "cloudinary:/key:TOPSECRET@x"]) {
            let message = "";
            try {
                if (value.startsWith("account")) parseAccountUrl(value);
                else parseCloudinaryUrl(value);
            } catch (e) {
                message = (e as Error).message;
            }
            assert.ok(message.length > 0, `${value} should be rejected`);
            assert.ok(!message.includes("TOPSECRET"), message);
        }
        assert.equal(redactUrl("account://key:TOPSECRET@acc"), "account://key:***@acc");
    });

    it("silences warnings by code or all, from stack config before the environment, and shows every warning by default", () => {
        assert.deepEqual(resolveSettings(undefined, {}).silencedWarnings, []);
        assert.deepEqual(resolveSettings(undefined, { CLOUDINARY_SILENCE_WARNINGS: "partial-task, console-only-role-on-key" }).silencedWarnings, ["partial-task", "console-only-role-on-key"]);
        assert.equal(resolveSettings(config({ "cloudinary:silenceWarnings": "all" }), { CLOUDINARY_SILENCE_WARNINGS: "partial-task" }).silencedWarnings, "all");
        assert.deepEqual(parseSilencedWarnings('["group-member-without-environment"]'), ["group-member-without-environment"]);
        assert.deepEqual(parseSilencedWarnings("content-role-key-without-media-library content-role-key-without-media-library"), ["content-role-key-without-media-library"]);
    });

    it("rejects an unknown warning code, naming the setting and the codes", () => {
        assert.throws(
            () => resolveSettings(config({ "cloudinary:silenceWarnings": "partial-tasks" }), {}),
            /cloudinary:silenceWarnings \(or CLOUDINARY_SILENCE_WARNINGS\) names no warning 'partial-tasks'; use 'all' or a list of: group-member-without-environment, content-role-key-without-media-library, partial-task, console-only-role-on-key/,
        );
    });
});

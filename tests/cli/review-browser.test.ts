// The review's pull-request comment as a reader sees it: the md of a real review (the GitOps fixture's plan against
// the account it was previewed on) rendered by markdown-it, with HTML allowed as GitHub allows it in comments
// (<details>, <code>), shown in headless Chromium; a screenshot is written, and the tables the browser parsed hold
// the changes.
import * as assert from "node:assert/strict";
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import MarkdownIt from "markdown-it";
import { render } from "../../cli/review/formats";
import { parsePlan } from "../../cli/review/plan";
import { review } from "../../cli/review/review";
import { useEmulator } from "../fixture";
import { gitopsReviewAccount } from "./reviewSetup";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { findChromium } = require("../../harness/chromium") as { findChromium(): string | undefined };

const run = promisify(execFile);
const FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars"];

/** A page close to a GitHub comment's look: the system font, bordered tables, shaded code. */
function page(body: string): string {
    const style = [
        "body { font: 14px/1.5 -apple-system, 'Segoe UI', 'Noto Sans', Helvetica, Arial, sans-serif; color: #1f2328; max-width: 980px; margin: 16px 24px; }",
        "table { border-collapse: collapse; margin: 8px 0 16px; } th, td { border: 1px solid #d1d9e0; padding: 6px 13px; } tr:nth-child(2n) { background: #f6f8fa; }",
        "code { background: rgba(129,139,152,.12); border-radius: 6px; padding: .2em .4em; font: 85% ui-monospace, SFMono-Regular, Menlo, monospace; }",
        "h2 { border-bottom: 1px solid #d1d9e0; padding-bottom: .3em; } blockquote { border-left: .25em solid #d1d9e0; color: #59636e; margin: 0; padding: 0 1em; }",
    ].join("\n");
    return `<!doctype html><html><head><meta charset="utf-8"><style>${style}</style></head><body>${body}</body></html>`;
}

/** Each table's rows as the browser's DOM has them: the cells' text, tags removed. */
function tablesOf(dom: string): string[][][] {
    const text = (html: string) => html.replace(/<[^>]+>/g, "").replace(/&amp;/g, "&").replace(/&#39;/g, "'").replace(/&quot;/g, '"').trim();
    return [...dom.matchAll(/<tbody>([\s\S]*?)<\/tbody>/g)].map(([, body]) => [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map(([, row]) => [...row.matchAll(/<td>([\s\S]*?)<\/td>/g)].map(([, c]) => text(c))));
}

describe("review comment in a headless browser (Chromium)", function () {
    this.timeout(120_000);
    const fx = useEmulator();
    const chromium = process.env.CLOUDINARY_PERMISSIONS_CHROMIUM || findChromium();

    it("renders the md as a comment: headings, the denied gain quoted, one table per principal; the screenshot is written", async () => {
        assert.ok(chromium, "Chromium is not installed: run the tests through `npm test` (scripts/bootstrap.js installs it) or `apt-get install chromium`");
        const ctx = fx.context();
        const { plan } = await gitopsReviewAccount(ctx);
        const md = render(await review(ctx, parsePlan(plan), { stack: "test", deny: ["cld::role::account::master_admin"] }), "md");
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cldperm-review-"));
        const file = path.join(dir, "comment.html");
        fs.writeFileSync(file, page(new MarkdownIt({ html: true }).render(md)));
        const screenshot = process.env.REVIEW_COMMENT_SCREENSHOT || path.join(dir, "comment.png");

        await run(chromium!, [...FLAGS, "--window-size=1100,980", `--screenshot=${screenshot}`, `file://${file}`]);
        const png = fs.readFileSync(screenshot);
        assert.equal(png.subarray(1, 4).toString(), "PNG");
        assert.ok(png.length > 20_000, `a screenshot of rendered tables, not a blank page (${png.length} bytes)`);

        const { stdout: dom } = await run(chromium!, [...FLAGS, "--dump-dom", `file://${file}`], { maxBuffer: 16 * 1024 * 1024 });
        assert.ok(dom.includes("<!-- cloudinary-permissions-review -->"), "the marker stays a comment");
        assert.doesNotMatch(dom, /&lt;!--|&lt;code|\| ---/, "no markup shown as text");
        assert.match(dom, /<h2>Cloudinary access review: 5 gains, 2 losses for 4 principals<\/h2>/);
        assert.deepEqual([...dom.matchAll(/<h3>([\s\S]*?)<\/h3>/g)].map((m) => m[1]), ["bob@acme.example", "carol@acme.example", "group Ops (new)", "API key 830000000000002"]);
        assert.match(dom, /<blockquote>[\s\S]*1 denied gain[\s\S]*bob@acme\.example gains <strong>Master Admin<\/strong> on the account, through group Platform/);
        assert.deepEqual(tablesOf(dom), [
            [["denied gain", "Master Admin cld::role::account::master_admin", "the account", "through group Platform", "Group 'platform'"]],
            [
                ["gain", "Preset manager (new)", "acme-prod", "through group Ops (new)", "RoleAssignment 'ops-presets' Group 'ops'"],
                ["gain", "Preset manager (new)", "acme-staging", "through group Ops (new)", "RoleAssignment 'ops-presets' Group 'ops'"],
            ],
            [
                ["gain", "Preset manager (new)", "acme-prod", "direct", "RoleAssignment 'ops-presets'"],
                ["gain", "Preset manager (new)", "acme-staging", "direct", "RoleAssignment 'ops-presets'"],
            ],
            [
                ["loss", "Contributor cld::role::folder::contributor", "acme-staging:sandbox", "direct", "FolderShare 'staging-key-sandbox'"],
                ["loss", "Contributor cld::role::folder::contributor", "acme-staging:sandbox/tests", "inherited from sandbox", "FolderShare 'staging-key-sandbox'"],
            ],
        ]);
    });
});

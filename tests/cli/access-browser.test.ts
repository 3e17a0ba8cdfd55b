// The access report's HTML page in a real headless browser (Debian's Chromium, installed by scripts/bootstrap.js):
// it renders, a screenshot shows the matrix, and the cells the browser parsed match the API.
import * as assert from "node:assert/strict";
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { accessReport } from "../../cli/access";
import { USERS } from "../../emulator/seed";
import { effectivePermissions } from "../../provider/access";
import { useEmulator } from "../fixture";
import { seedAccess } from "./accessSetup";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { findChromium } = require("../../harness/chromium") as { findChromium(): string | undefined };

const run = promisify(execFile);
const FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars"];

/** principal key → column key → the texts of the cell's entries, as the browser's DOM has them. */
function cellsOf(dom: string): Map<string, Map<string, string[]>> {
    const rows = new Map<string, Map<string, string[]>>();
    for (const [, principal, body] of dom.matchAll(/<tr data-principal="([^"]+)">([\s\S]*?)<\/tr>/g)) {
        const cells = new Map<string, string[]>();
        for (const [, column, content] of body.matchAll(/<td data-column="([^"]+)">([\s\S]*?)<\/td>/g)) {
            cells.set(column, [...content.matchAll(/<div[^>]*>([\s\S]*?)<\/div>/g)].map((m) => m[1].replace(/&amp;/g, "&")));
        }
        rows.set(principal.replace(/&#58;/g, ":"), cells);
    }
    return rows;
}

describe("access report in a headless browser (Chromium)", function () {
    this.timeout(120_000);
    const fx = useEmulator();
    const chromium = process.env.CLOUDINARY_PERMISSIONS_CHROMIUM || findChromium();

    it("renders the matrix; the screenshot is written; the cells match the API", async () => {
        assert.ok(chromium, "Chromium is not installed: run the tests through `npm test` (scripts/bootstrap.js installs it) or `apt-get install chromium`");
        const ctx = fx.context();
        await seedAccess(ctx);
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cldperm-report-"));
        const page = path.join(dir, "access.html");
        fs.writeFileSync(page, await accessReport(ctx, { format: "html" }));
        const screenshot = process.env.ACCESS_REPORT_SCREENSHOT || path.join(dir, "access.png");

        await run(chromium!, [...FLAGS, "--window-size=1700,620", `--screenshot=${screenshot}`, `file://${page}`]);
        const png = fs.readFileSync(screenshot);
        assert.equal(png.subarray(1, 4).toString(), "PNG");
        assert.ok(png.length > 20_000, `a screenshot of a rendered table, not a blank page (${png.length} bytes)`);

        const { stdout: dom } = await run(chromium!, [...FLAGS, "--dump-dom", `file://${page}`], { maxBuffer: 16 * 1024 * 1024 });
        const cells = cellsOf(dom);
        assert.equal(cells.size, 7, "5 people and key rows, the group, and 'every principal'");
        const erin = cells.get(`user:${USERS.erin.id}`)!;
        assert.ok(erin, [...cells.keys()].join(", "));
        assert.deepEqual([...erin.values()].flat().sort(), [
            "Reports (via group Designers)",
            "Reports (via group Designers)",
            "Viewer",
            "Viewer (inherited from acme-prod:marketing)",
            "policy: Designers read winter (via group Designers)",
        ]);
        // Every role each user holds, as the API's effective permissions give it, is in that user's row.
        for (const user of Object.values(USERS)) {
            const api = await effectivePermissions(ctx, { principalType: "user", principalId: user.id });
            const shown = [...(cells.get(`user:${user.id}`)?.values() ?? [])].flat();
            for (const grant of api.grants) assert.ok(shown.some((text) => text.startsWith(grant.roleName)), `${user.name}: ${grant.roleName} in ${shown.join("; ")}`);
            assert.equal(shown.filter((t) => !t.startsWith("policy:")).length >= api.grants.length, true, user.name);
        }
    });
});

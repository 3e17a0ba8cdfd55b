// The committed generated types are what scripts/gen-types.js makes today: the API types from the official
// OpenAPI specs (openapi-typescript), the inputs' types from schema.json (json-schema-to-typescript).
import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const root = path.resolve(__dirname, "../../..");

describe("generated types", function () {
    this.timeout(60_000);
    let out: string;
    before(() => {
        out = fs.mkdtempSync(path.join(os.tmpdir(), "gen-types-"));
        execFileSync(process.execPath, [path.join(root, "scripts", "gen-types.js"), out]);
    });
    after(() => fs.rmSync(out, { recursive: true, force: true }));

    /** `dir` (relative to the repository) holds exactly the files gen-types.js writes there, as it writes them. */
    function assertUpToDate(dir: string, source: string): void {
        const files = fs.readdirSync(path.join(out, dir)).sort();
        assert.deepEqual(fs.readdirSync(path.join(root, dir)).sort(), files, `${dir} holds only generated files`);
        for (const file of files) {
            const fresh = fs.readFileSync(path.join(out, dir, file), "utf8");
            const committed = fs.readFileSync(path.join(root, dir, file), "utf8");
            assert.ok(fresh === committed, `${dir}/${file} differs from ${source}: run \`npm run gen:types\``);
        }
    }

    it("from the official OpenAPI specs are up to date (run `npm run gen:types` after changing openapi/)", () => {
        assertUpToDate("wire", "the specs");
    });

    it("from schema.json are up to date (run `npm run gen:types` after changing schema.json)", () => {
        assertUpToDate("provider/generated", "schema.json");
    });

    it("come from the same specs as ../shared/cloudinary-api when that folder is present", function () {
        const shared = path.resolve(root, "..", "shared", "cloudinary-api");
        if (!fs.existsSync(shared)) return; // outside the workspace there is nothing to compare with
        for (const file of ["permissions.yml", "provisioning.yml", "asset-management.yml", "system-catalog.json"]) {
            assert.equal(fs.readFileSync(path.join(root, "openapi", file), "utf8"), fs.readFileSync(path.join(shared, file), "utf8"), `openapi/${file} differs from ../shared`);
        }
    });
});

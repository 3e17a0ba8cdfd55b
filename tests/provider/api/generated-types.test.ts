// The committed generated types are what scripts/gen-types.js makes today: the API types from the official
// OpenAPI specs (openapi-typescript), the inputs' types from schema.json (json-schema-to-typescript).
import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const root = path.resolve(__dirname, "../../..");

/** shared/cloudinary-api beside the repository, or beside a folder above it (a worktree sits deeper than the checkout). */
function sharedSpecs(): string | undefined {
    for (let dir = path.dirname(root); ; dir = path.dirname(dir)) {
        const candidate = path.join(dir, "shared", "cloudinary-api");
        if (fs.existsSync(candidate)) return candidate;
        if (path.dirname(dir) === dir) return undefined;
    }
}

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

    it("from schema.json: every resource's class and definition, by the naming convention, are up to date", () => {
        for (const file of ["index.ts", "definitions.ts"]) {
            const fresh = fs.readFileSync(path.join(out, "provider", "resources", file), "utf8");
            assert.ok(fresh === fs.readFileSync(path.join(root, "provider", "resources", file), "utf8"), `provider/resources/${file} differs from schema.json: run \`npm run gen:types\``);
        }
    });

    it("come from the same specs as shared/cloudinary-api, beside the project", () => {
        const shared = sharedSpecs();
        assert.ok(shared, `no shared/cloudinary-api beside ${root} or any folder above it: every checkout has Cloudinary's official specs there (see shared/README.md); put them there to run this test`);
        for (const file of ["permissions.yml", "provisioning.yml", "asset-management.yml", "system-catalog.json"]) {
            assert.equal(fs.readFileSync(path.join(root, "openapi", file), "utf8"), fs.readFileSync(path.join(shared, file), "utf8"), `openapi/${file} differs from ../shared`);
        }
    });
});

// The committed API types are what openapi-typescript generates from the official specs today.
import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const root = path.resolve(__dirname, "../../..");

describe("types generated from the official OpenAPI specs", function () {
    this.timeout(60_000);
    it("are up to date (run `npm run gen:types` after changing openapi/)", () => {
        const out = fs.mkdtempSync(path.join(os.tmpdir(), "gen-types-"));
        execFileSync(process.execPath, [path.join(root, "scripts", "gen-types.js"), out]);
        for (const name of ["permissions", "provisioning", "admin"]) {
            const fresh = fs.readFileSync(path.join(out, `${name}.ts`), "utf8");
            const committed = fs.readFileSync(path.join(root, "provider", "api", "generated", `${name}.ts`), "utf8");
            assert.ok(fresh === committed, `provider/api/generated/${name}.ts differs from the spec`);
        }
    });

    it("come from the same specs as ../shared/cloudinary-api when that folder is present", function () {
        const shared = path.resolve(root, "..", "shared", "cloudinary-api");
        if (!fs.existsSync(shared)) return; // outside the workspace there is nothing to compare with
        for (const file of ["permissions.yml", "provisioning.yml", "asset-management.yml", "system-catalog.json"]) {
            assert.equal(fs.readFileSync(path.join(root, "openapi", file), "utf8"), fs.readFileSync(path.join(shared, file), "utf8"), `openapi/${file} differs from ../shared`);
        }
    });
});

// The package's own name and version, found by walking up from this file, so it works both from the
// TypeScript sources (ts-node) and from the compiled bin/ tree.
import * as fs from "node:fs";
import * as path from "node:path";

function findPackageJson(from: string): { name: string; version: string; root: string } {
    for (let dir = from; ; dir = path.dirname(dir)) {
        const file = path.join(dir, "package.json");
        if (fs.existsSync(file)) {
            const pkg = JSON.parse(fs.readFileSync(file, "utf8"));
            if (pkg.name === "pulumi-cloudinary-permissions") return { name: pkg.name, version: pkg.version, root: dir };
        }
        if (path.dirname(dir) === dir) throw new Error(`package.json of pulumi-cloudinary-permissions not found above ${from}`);
    }
}

export const PACKAGE = findPackageJson(__dirname);

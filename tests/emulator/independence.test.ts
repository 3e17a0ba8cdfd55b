// The emulator is an oracle for the provider, so it must not share the provider's code: everything it imports,
// directly or through other files, stays in emulator/ and wire/ (the types generated from the official specs).
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";

const ROOT = path.resolve(__dirname, "..", "..");
const rel = (file: string) => path.relative(ROOT, file).split(path.sep).join("/");

function filesIn(dir: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesIn(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

/** The file a relative module name resolves to, as TypeScript would find it. */
function resolve(from: string, name: string): string {
    const base = path.resolve(path.dirname(from), name);
    const found = [`${base}.ts`, path.join(base, "index.ts"), base].find((f) => fs.existsSync(f) && fs.statSync(f).isFile());
    if (!found) throw new Error(`${rel(from)} imports ${name}, which resolves to no file`);
    return found;
}

/** Every file reached from `entries` through relative imports and requires, with who imports it. */
function importClosure(entries: string[]): Map<string, string> {
    const importedBy = new Map<string, string>(entries.map((e) => [e, "(entry)"]));
    const queue = [...entries];
    while (queue.length) {
        const file = queue.pop()!;
        const { importedFiles } = ts.preProcessFile(fs.readFileSync(file, "utf8"), true, true);
        for (const { fileName } of importedFiles.filter((f) => f.fileName.startsWith("."))) {
            const target = resolve(file, fileName);
            if (importedBy.has(target)) continue;
            importedBy.set(target, rel(file));
            queue.push(target);
        }
    }
    return importedBy;
}

describe("emulator: independent of the provider", () => {
    const emulatorFiles = filesIn(path.join(ROOT, "emulator")).filter((f) => f.endsWith(".ts"));

    it("reaches only emulator/ and wire/ through its imports", () => {
        const closure = importClosure(emulatorFiles);
        assert.ok(closure.size >= emulatorFiles.length + 3, `the walk found ${closure.size} files`);
        const outside = [...closure].filter(([file]) => !/^(emulator|wire)\//.test(rel(file))).map(([file, by]) => `${rel(file)} (imported by ${by})`);
        assert.deepEqual(outside, []);
    });

    it("does not even name provider/ (comments and its README included)", () => {
        const naming = filesIn(path.join(ROOT, "emulator")).filter((f) => fs.readFileSync(f, "utf8").includes("provider/")).map(rel);
        assert.deepEqual(naming, []);
    });

    it("the walk follows imports: from a provider file it reaches wire/ and the provider's other files", () => {
        const closure = importClosure([path.join(ROOT, "provider", "api", "permissions.ts")]);
        assert.ok([...closure.keys()].some((f) => rel(f) === "wire/permissions.ts"));
        assert.ok([...closure.keys()].some((f) => rel(f).startsWith("provider/api/") && !f.endsWith("permissions.ts")));
    });
});

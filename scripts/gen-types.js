#!/usr/bin/env node
// Generates TypeScript types from the official OpenAPI specs in openapi/ into provider/api/generated/.
// The generated files are committed; tests/api/generated-types.test.ts fails when they drift from the specs.
"use strict";
const { execFileSync } = require("node:child_process");
const path = require("node:path");

const root = path.resolve(__dirname, "..");
const specs = { permissions: "permissions.yml", provisioning: "provisioning.yml", admin: "asset-management.yml" };
const outDir = process.argv[2] || path.join(root, "provider", "api", "generated");
const cli = path.join(root, "node_modules", "openapi-typescript", "bin", "cli.js");
for (const [name, file] of Object.entries(specs)) {
  execFileSync(process.execPath, [cli, path.join(root, "openapi", file), "-o", path.join(outDir, `${name}.ts`)], {
    stdio: ["ignore", "ignore", "inherit"],
  });
}

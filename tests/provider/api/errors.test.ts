// Every error a user can act on shares one base: "expected" errors are shown as their message alone, by the
// provider (runtime.ts) and, marked as the Pulumi SDK marks a RunError, by a program's language host.
import * as pulumi from "@pulumi/pulumi";
import * as assert from "node:assert/strict";
import { CloudinaryApiError, CloudinaryConfigError, CloudinaryNetworkError, CloudinaryPermissionsError, CloudinaryUnreachableError, isExpected } from "../../../provider/api/errors";
import { PartialCreateError } from "../../../provider/dynamic/errors";
import { DeclarationConflict } from "../../../provider/validation/declarations";
import { RefusedError } from "../../../provider/validation/lockout";
import { PermissionsFileError } from "../../../provider/validation/permissionsFile";

describe("errors a user can act on", () => {
    const cases: [string, Error][] = [
        ["CloudinaryApiError", new CloudinaryApiError(400, "PUT", "/roles/r/principals", "invalid", "bad principal", undefined)],
        ["CloudinaryNetworkError", new CloudinaryNetworkError("GET", "/roles", "ECONNRESET")],
        ["CloudinaryConfigError", new CloudinaryConfigError("cloudinary:accountUrl is not set")],
        ["CloudinaryUnreachableError", new CloudinaryUnreachableError("http://127.0.0.1:1", "cloudinary:apiBaseUrl", "ECONNREFUSED")],
        ["RefusedError", new RefusedError("PrincipalRoles user|u1: refused, nothing was changed")],
        ["PermissionsFileError", new PermissionsFileError("permissions.yaml", ["permissions.yaml:1:1: groupz is not a valid section"])],
        ["DeclarationConflict", new DeclarationConflict("Group 'b' declares the same group name as Group 'a' (Team)")],
    ];
    for (const [name, error] of cases) {
        it(`${name} is expected, named, and a RunError to the Pulumi SDK (no stack in a program)`, () => {
            assert.ok(error instanceof CloudinaryPermissionsError);
            assert.equal(isExpected(error), true);
            assert.equal(error.name, name);
            assert.equal(pulumi.RunError.isInstance(error), true);
        });
    }

    it("names the setting an unreachable URL came from, and none for the default", () => {
        assert.equal(new CloudinaryUnreachableError("http://127.0.0.1:1", "cloudinary:apiBaseUrl", "ECONNREFUSED").field, "cloudinary:apiBaseUrl");
        assert.equal(new CloudinaryUnreachableError("http://127.0.0.1:1", "CLOUDINARY_API_BASE_URL", "ECONNREFUSED").field, "CLOUDINARY_API_BASE_URL");
        assert.equal(new CloudinaryUnreachableError("https://api.cloudinary.com", "the default", "ENOTFOUND").field, undefined);
    });

    it("a partial create is expected when its cause is, and keeps the stack of a bug", () => {
        const refused = new PartialCreateError("g1", {}, new RefusedError("refused"));
        assert.equal(isExpected(refused), true);
        assert.match(refused.message, /^refused \(the object was created as g1; the next `pulumi up` finishes it\)$/);
        const bug = new PartialCreateError("g1", {}, new TypeError("x is undefined"));
        assert.equal(isExpected(bug), false);
        assert.equal(pulumi.RunError.isInstance(bug), false);
    });

    it("an error of another kind is not expected", () => {
        assert.equal(isExpected(new Error("boom")), false);
        assert.equal(isExpected("boom"), false);
    });
});

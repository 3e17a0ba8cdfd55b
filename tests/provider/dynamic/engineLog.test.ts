// The URN a request of the engine names, remembered for the inputs it carries (see engineLog.ts), on stand-ins
// for the host's protobuf classes.
import * as assert from "node:assert/strict";
import { captureUrns, inputsKey, urnOf } from "../../../provider/dynamic/engineLog";

class FakeRequest {
    constructor(private readonly urn: string, private readonly inputs: Record<string, unknown>) {}
    getUrn() {
        return this.urn;
    }
    getNews() {
        return { toJavaScript: () => ({ ...this.inputs }) };
    }
    getProperties() {
        return this.getNews();
    }
}

describe("engine log: the URN of a resource's inputs", () => {
    it("is remembered from a check, a diff, a create or an update, by the serialized provider and the known inputs", () => {
        const classes = Object.fromEntries(["CheckRequest", "DiffRequest", "CreateRequest", "UpdateRequest"].map((name) => [name, class extends FakeRequest {}]));
        captureUrns(classes as never);
        captureUrns(classes as never); // twice: patched once
        const inputs = { __provider: "shim of RoleAssignment", roleId: "r", principalType: "user", principalId: "u" };
        assert.equal(urnOf(inputsKey(inputs)), undefined);
        const created = new classes.CreateRequest("urn:pulumi:s::p::pulumi-nodejs:dynamic/cloudinary:RoleAssignment::a", inputs) as FakeRequest;
        assert.deepEqual(created.getProperties().toJavaScript(), inputs);
        assert.equal(urnOf(inputsKey(inputs)), "urn:pulumi:s::p::pulumi-nodejs:dynamic/cloudinary:RoleAssignment::a");
        const other = { ...inputs, __provider: "shim of Group" };
        assert.equal(urnOf(inputsKey(other)), undefined, "another kind with the same inputs is another resource");
        (new classes.CheckRequest("urn:b", other) as FakeRequest).getNews().toJavaScript();
        assert.equal(urnOf(inputsKey(other)), "urn:b");
        assert.equal(inputsKey({ ...other, adopt: undefined }), inputsKey(other), "unset inputs do not count");
    });
});

// Loads Cloudinary's official OpenAPI specs and validates requests and responses against them with ajv.
// The specs are the contract: a response that does not validate is an emulator bug, so the server checks
// every reply with validateResponse. Exported for reuse by the rest of the project (tests, tools).
import * as fs from "node:fs";
import * as path from "node:path";
import Ajv2020, { ErrorObject, ValidateFunction } from "ajv/dist/2020";
import { parse as parseYaml } from "yaml";

export type SpecName = "permissions" | "provisioning" | "admin";

const SPEC_FILES: Record<SpecName, string> = {
    permissions: "permissions.yml",
    provisioning: "provisioning.yml",
    admin: "asset-management.yml",
};

/** The generic error schema of each spec, for error statuses an operation does not list. */
const ERROR_SCHEMAS: Record<SpecName, string> = {
    permissions: "#/components/schemas/ErrorResponse",
    provisioning: "#/components/schemas/ErrorResponse",
    admin: "#/components/schemas/api_error",
};

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface ParameterInfo {
    name: string;
    in: "query" | "path" | "header" | "cookie";
    required: boolean;
    schema: Json;
    /** Parameters described with `content` (a JSON-encoded value in the query string). */
    json: boolean;
}

export interface OperationInfo {
    spec: SpecName;
    method: string;
    pathTemplate: string;
    operationId: string;
    parameters: ParameterInfo[];
    /** JSON pointer (within the spec) of the request body schema, when the operation takes a JSON body. */
    requestBodyPointer?: string;
    requestBodyRequired: boolean;
    /** status -> JSON pointer of the response schema, or null when the status is declared without content. */
    responses: Map<string, string | null>;
}

export interface ValidationResult {
    valid: boolean;
    errors: ErrorObject[];
    /** Human-readable summary naming the operation and the schema errors. */
    message: string;
}

export interface LoadedSpec {
    name: SpecName;
    file: string;
    doc: Json;
    operations: Map<string, OperationInfo>;
}

interface SpecRuntime extends LoadedSpec {
    ajv: Ajv2020;
    /** A second instance that coerces query-string values (strings to booleans, numbers, arrays). */
    queryAjv: Ajv2020;
    validators: Map<string, ValidateFunction>;
}

let cachedDir: string | undefined;

/**
 * The vendored specs live in `<package root>/openapi`. This file runs from `emulator/` under ts-node and from
 * `bin/emulator/` after tsc, so look one and two levels up.
 */
export function openapiDir(): string {
    if (cachedDir) return cachedDir;
    const candidates = [path.resolve(__dirname, "..", "openapi"), path.resolve(__dirname, "..", "..", "openapi")];
    for (const dir of candidates) {
        if (fs.existsSync(path.join(dir, "permissions.yml"))) return (cachedDir = dir);
    }
    throw new Error(`cannot find the OpenAPI specs (looked in ${candidates.join(", ")})`);
}

/** OpenAPI 3.0 `nullable: true` becomes a JSON Schema 2020-12 null alternative; 3.1 specs are left as they are. */
function convertNullable(node: Json): Json {
    if (Array.isArray(node)) return node.map(convertNullable);
    if (!node || typeof node !== "object") return node;
    const out: Json = {};
    for (const [k, v] of Object.entries(node)) out[k] = convertNullable(v);
    if (out.nullable === true) {
        delete out.nullable;
        if (typeof out.type === "string") {
            out.type = [out.type, "null"];
            if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
            return out;
        }
        return { anyOf: [out, { type: "null" }] };
    }
    if (out.nullable === false) delete out.nullable;
    return out;
}

function addFormats(ajv: Ajv2020): void {
    // Only the formats these specs use; ajv-formats is not a declared dependency of the project.
    ajv.addFormat("date-time", /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:?\d{2})$/);
    ajv.addFormat("date", /^\d{4}-\d{2}-\d{2}$/);
    ajv.addFormat("email", /^[^\s@]+@[^\s@]+$/);
    ajv.addFormat("password", true);
    ajv.addFormat("binary", true);
    ajv.addFormat("uri", true);
    ajv.addFormat("url", true);
    ajv.addFormat("int32", { type: "number", validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 });
    ajv.addFormat("int64", { type: "number", validate: (n: number) => Number.isInteger(n) });
    ajv.addFormat("float", { type: "number", validate: () => true });
    ajv.addFormat("double", { type: "number", validate: () => true });
}

function newAjv(coerce: boolean): Ajv2020 {
    const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true, coerceTypes: coerce ? "array" : false, allowUnionTypes: true });
    addFormats(ajv);
    // OpenAPI annotations that are not JSON Schema keywords.
    for (const keyword of ["example", "discriminator", "xml", "externalDocs", "x-speakeasy-name-override"]) {
        if (!ajv.getKeyword(keyword)) ajv.addKeyword(keyword);
    }
    return ajv;
}

function resolveRef(doc: Json, node: Json): Json {
    let current = node;
    for (let i = 0; i < 20 && current && typeof current === "object" && typeof current.$ref === "string"; i++) {
        current = pointerGet(doc, current.$ref);
    }
    return current;
}

function pointerGet(doc: Json, ref: string): Json {
    if (!ref.startsWith("#/")) throw new Error(`unsupported $ref ${ref}`);
    let node = doc;
    for (const raw of ref.slice(2).split("/")) {
        const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
        node = node?.[key];
    }
    return node;
}

function pointerOf(...segments: string[]): string {
    return "#/" + segments.map((s) => s.replace(/~/g, "~0").replace(/\//g, "~1")).join("/");
}

const specs = new Map<SpecName, SpecRuntime>();

function runtime(spec: SpecName | LoadedSpec): SpecRuntime {
    const name = typeof spec === "string" ? spec : spec.name;
    let loaded = specs.get(name);
    if (loaded) return loaded;
    const file = path.join(openapiDir(), SPEC_FILES[name]);
    const raw = parseYaml(fs.readFileSync(file, "utf8"), { maxAliasCount: -1 });
    const is31 = String(raw.openapi ?? "").startsWith("3.1");
    const doc = is31 ? raw : convertNullable(raw);
    const id = `https://emulator.local/${SPEC_FILES[name]}`;
    const ajv = newAjv(false);
    const queryAjv = newAjv(true);
    // The whole document is registered once; schemas are then compiled as $refs into it, so the spec's own
    // `#/components/...` references resolve as they are written.
    ajv.addSchema({ ...doc, $id: id }, id);
    queryAjv.addSchema({ ...doc, $id: id }, id);
    const operations = new Map<string, OperationInfo>();
    for (const [pathTemplate, item] of Object.entries<Json>(doc.paths ?? {})) {
        const common: Json[] = item.parameters ?? [];
        for (const method of ["get", "put", "post", "delete", "patch"]) {
            const op = item[method];
            if (!op) continue;
            const params = new Map<string, ParameterInfo>();
            for (const p of [...common, ...(op.parameters ?? [])]) {
                const r = resolveRef(doc, p);
                const json = !r.schema && r.content?.["application/json"]?.schema;
                params.set(`${r.in}:${r.name}`, {
                    name: r.name,
                    in: r.in,
                    required: r.required === true,
                    schema: json ? r.content["application/json"].schema : r.schema ?? {},
                    json: Boolean(json),
                });
            }
            let requestBodyPointer: string | undefined;
            let requestBodyRequired = false;
            if (op.requestBody) {
                const rb = resolveRef(doc, op.requestBody);
                requestBodyRequired = rb.required === true;
                if (rb.content?.["application/json"]?.schema) {
                    requestBodyPointer = op.requestBody.$ref
                        ? `${op.requestBody.$ref}/content/application~1json/schema`
                        : pointerOf("paths", pathTemplate, method, "requestBody", "content", "application/json", "schema");
                }
            }
            const responses = new Map<string, string | null>();
            for (const [status, resp] of Object.entries<Json>(op.responses ?? {})) {
                const r = resolveRef(doc, resp);
                const base = resp.$ref ? resp.$ref : pointerOf("paths", pathTemplate, method, "responses", status);
                responses.set(status, r.content?.["application/json"]?.schema ? `${base}/content/application~1json/schema` : null);
            }
            operations.set(`${method.toUpperCase()} ${pathTemplate}`, {
                spec: name,
                method: method.toUpperCase(),
                pathTemplate,
                operationId: op.operationId ?? `${method} ${pathTemplate}`,
                parameters: [...params.values()],
                requestBodyPointer,
                requestBodyRequired,
                responses,
            });
        }
    }
    loaded = { name, file, doc, operations, ajv, queryAjv, validators: new Map() };
    specs.set(name, loaded);
    return loaded;
}

/** The parsed spec (3.0 `nullable` already converted) and its operations; loaded once per process. */
export function loadSpec(name: SpecName): LoadedSpec {
    return runtime(name);
}

export function getOperation(spec: SpecName | LoadedSpec, method: string, pathTemplate: string): OperationInfo {
    const rt = runtime(spec);
    const op = rt.operations.get(`${method.toUpperCase()} ${pathTemplate}`);
    if (!op) throw new Error(`${rt.name}: no operation ${method.toUpperCase()} ${pathTemplate} in ${SPEC_FILES[rt.name]}`);
    return op;
}

/** Compiles (once) a validator for a JSON pointer into the spec. */
function validatorFor(rt: SpecRuntime, pointer: string, coerce = false): ValidateFunction {
    const key = `${coerce ? "q" : "s"}${pointer}`;
    let v = rt.validators.get(key);
    if (!v) {
        const ajv = coerce ? rt.queryAjv : rt.ajv;
        v = ajv.compile({ $ref: `https://emulator.local/${SPEC_FILES[rt.name]}${pointer}` });
        rt.validators.set(key, v);
    }
    return v;
}

function describeErrors(errors: ErrorObject[] | null | undefined): string {
    return (errors ?? [])
        .slice(0, 5)
        .map((e) => `${e.instancePath || "(root)"} ${e.message ?? e.keyword}${e.params && "missingProperty" in e.params ? "" : ` ${JSON.stringify(e.params)}`}`)
        .join("; ");
}

function isEmptyBody(body: unknown): boolean {
    return body === undefined || body === null || body === "";
}

/**
 * Validates a response against the schema the spec declares for (method, path, status). Statuses the operation
 * does not list are checked against the spec's generic error schema when they are errors (the emulator's
 * documented choices and injected faults use it) and rejected otherwise.
 */
export function validateResponse(spec: SpecName | LoadedSpec, method: string, pathTemplate: string, status: number, body: unknown): ValidationResult {
    const rt = runtime(spec);
    const op = getOperation(rt, method, pathTemplate);
    const where = `${rt.name} ${op.operationId} (${op.method} ${op.pathTemplate}) -> ${status}`;
    // null (declared without content) must survive the lookup, so no `??` here.
    const key = [String(status), `${String(status)[0]}XX`, "default"].find((k) => op.responses.has(k));
    let pointer: string | null | undefined = key === undefined ? undefined : op.responses.get(key);
    if (pointer === undefined || (pointer === null && status >= 400)) {
        if (status < 400) {
            return { valid: false, errors: [], message: `${where}: status ${status} is not declared by the spec` };
        }
        pointer = ERROR_SCHEMAS[rt.name];
    }
    if (pointer === null) {
        // Declared without content (204, or 200 with no body): nothing may be sent.
        return isEmptyBody(body)
            ? { valid: true, errors: [], message: "" }
            : { valid: false, errors: [], message: `${where}: the spec declares no body, but one was sent` };
    }
    const validate = validatorFor(rt, pointer);
    if (validate(body)) return { valid: true, errors: [], message: "" };
    return { valid: false, errors: validate.errors ?? [], message: `${where}: response does not match ${pointer}: ${describeErrors(validate.errors)}` };
}

/** Validates a JSON request body against the operation's request schema. */
export function validateRequestBody(spec: SpecName | LoadedSpec, method: string, pathTemplate: string, body: unknown): ValidationResult {
    const rt = runtime(spec);
    const op = getOperation(rt, method, pathTemplate);
    if (!op.requestBodyPointer) return { valid: true, errors: [], message: "" };
    if (isEmptyBody(body)) {
        return op.requestBodyRequired
            ? { valid: false, errors: [{ keyword: "required", instancePath: "", schemaPath: "", params: { missingProperty: "body" }, message: "request body is required" }], message: `${op.operationId}: request body is required` }
            : { valid: true, errors: [], message: "" };
    }
    const validate = validatorFor(rt, op.requestBodyPointer);
    if (validate(body)) return { valid: true, errors: [], message: "" };
    return { valid: false, errors: validate.errors ?? [], message: `${op.operationId}: request body does not match the spec: ${describeErrors(validate.errors)}` };
}

export interface QueryCheck {
    /** Coerced values, by parameter name. */
    values: Record<string, unknown>;
    missing: string[];
    invalid: Array<Record<string, unknown>>;
}

/** Checks and coerces the query parameters the operation declares (required ones, enums, booleans, arrays). */
export function checkQuery(spec: SpecName | LoadedSpec, method: string, pathTemplate: string, query: Record<string, unknown>): QueryCheck {
    const rt = runtime(spec);
    const op = getOperation(rt, method, pathTemplate);
    const result: QueryCheck = { values: {}, missing: [], invalid: [] };
    op.parameters.forEach((p, index) => {
        if (p.in !== "query") return;
        let raw = query[p.name];
        if (raw === undefined || raw === "") {
            if (p.required) result.missing.push(p.name);
            return;
        }
        if (p.json && typeof raw === "string") {
            try {
                raw = JSON.parse(raw);
            } catch {
                raw = (raw as string).split(",").map((s: string) => s.trim()).filter(Boolean);
            }
        }
        const holder: { value: unknown } = { value: raw };
        const validate = paramValidator(rt, op, index);
        // Validate inside a holder object so that coercion can replace the value.
        if (validate(holder)) result.values[p.name] = holder.value;
        else result.invalid.push({ [p.name]: query[p.name] });
    });
    return result;
}

/** A validator of { value: <parameter schema> } with query-string coercion, compiled once per parameter. */
function paramValidator(rt: SpecRuntime, op: OperationInfo, index: number): ValidateFunction {
    const key = `param ${op.method} ${op.pathTemplate} #${index}`;
    let v = rt.validators.get(key);
    if (!v) {
        const schema = { type: "object", properties: { value: op.parameters[index].schema } };
        v = rt.queryAjv.compile(rewriteRefs(schema, `https://emulator.local/${SPEC_FILES[rt.name]}`));
        rt.validators.set(key, v);
    }
    return v;
}

function rewriteRefs(node: Json, base: string): Json {
    if (Array.isArray(node)) return node.map((n) => rewriteRefs(n, base));
    if (!node || typeof node !== "object") return node;
    const out: Json = {};
    for (const [k, v] of Object.entries(node)) out[k] = k === "$ref" && typeof v === "string" && v.startsWith("#") ? base + v : rewriteRefs(v, base);
    return out;
}

/**
 * Turns ajv errors on a request body into the field lists of Cloudinary's error bodies:
 * missing required properties by name, otherwise the offending field with the value sent.
 */
export function fieldsOfErrors(errors: ErrorObject[], body: unknown): { missing: string[]; invalid: Array<Record<string, unknown>> } {
    const missing: string[] = [];
    const invalid: Array<Record<string, unknown>> = [];
    for (const e of errors) {
        if (e.keyword === "required") {
            const name = String((e.params as { missingProperty?: string }).missingProperty ?? "body");
            if (!missing.includes(name)) missing.push(name);
            continue;
        }
        if (["anyOf", "oneOf", "allOf", "if"].includes(e.keyword)) continue;
        const segments = e.instancePath.split("/").filter(Boolean);
        const field = [...segments].reverse().find((s) => !/^\d+$/.test(s)) ?? "body";
        let value: unknown = body;
        for (const s of segments) value = (value as Record<string, unknown> | undefined)?.[s.replace(/~1/g, "/").replace(/~0/g, "~")];
        if (!invalid.some((f) => field in f)) invalid.push({ [field]: value === undefined ? null : value });
    }
    return { missing, invalid };
}

const matchers = new Map<SpecName, Array<{ method: string; pathTemplate: string; regex: RegExp; params: number }>>();

/**
 * The spec path template an actual request path belongs to (for example to validate a response seen by a
 * client). Templates with fewer parameters win, so `folders/by_id` is not taken for `folders/{folder}`.
 */
export function matchOperation(spec: SpecName, method: string, urlPath: string): OperationInfo | undefined {
    let list = matchers.get(spec);
    if (!list) {
        list = [...runtime(spec).operations.values()].map((op) => {
            const source = op.pathTemplate
                .split(/(\{[^}]+\})/)
                .map((part) => (part === "{folder}" ? "(.+)" : part.startsWith("{") ? "([^/]+)" : part.replace(/[.*+?^$()|[\]\\]/g, "\\$&")))
                .join("");
            return { method: op.method, pathTemplate: op.pathTemplate, regex: new RegExp(`^${source}$`), params: (op.pathTemplate.match(/\{/g) ?? []).length };
        });
        list.sort((a, b) => a.params - b.params);
        matchers.set(spec, list);
    }
    const m = method.toUpperCase();
    const path = urlPath.split("?")[0];
    const found = list.find((x) => x.method === m && x.regex.test(path));
    return found ? getOperation(spec, found.method, found.pathTemplate) : undefined;
}

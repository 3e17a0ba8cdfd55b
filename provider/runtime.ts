// The composition root of the provider side: what the serialized provider shim loads at run time (the
// package's "./runtime" export). It maps each resource kind to its definition's handler, configured once per
// provider process from the stack config, checks credentials, and turns expected errors into plain messages.
import type * as pulumi from "@pulumi/pulumi";
import { isExpected } from "./api/errors";
import { ConfigSource, ProviderSettings, resolveSettings } from "./api/settings";
import { ProviderContext } from "./context";
import { DefinedResource, Props, providerRun, ProviderRun, ResourceHandler } from "./dynamic/define";
import { stripInputs } from "./dynamic/inputs";
import { engineHold, EngineWorkers } from "./dynamic/workers";
import { DEFINITIONS as BY_KIND } from "./resources/definitions";

/** Every resource's definition, by the kind the shim names. */
const DEFINITIONS: Readonly<Record<string, DefinedResource<object, object> | undefined>> = BY_KIND;

let config: ConfigSource | undefined;
const workers = new EngineWorkers();
let context: ProviderContext | undefined;
/** What the handlers of the context share: the claims checked so far, and the engine's workers to hold writes against. */
let run: ProviderRun | undefined;
const handlers = new Map<string, ResourceHandler>();

function settings(): ProviderSettings {
    return resolveSettings(config, process.env);
}

function current(kind: string): ResourceHandler {
    const definition = DEFINITIONS[kind];
    if (!definition) throw new Error(`pulumi-cloudinary-permissions has no resource '${kind}'; the installed package may be older than the stack's state`);
    context ??= new ProviderContext(settings());
    run ??= providerRun(engineHold(workers));
    let handler = handlers.get(kind);
    if (!handler) {
        handler = definition.handler(context, run);
        handlers.set(kind, handler);
    }
    return handler;
}

/**
 * The engine configures each resource type's provider once per process, with the same stack config: the
 * context (API clients, lookup cache, credential check) is rebuilt only when the settings differ.
 */
function configure(request: pulumi.dynamic.ConfigureRequest): void {
    config = request.config;
    if (context && sameSettings(context.settings)) return;
    context = undefined;
    run = undefined;
    handlers.clear();
}

function sameSettings(previous: ProviderSettings): boolean {
    try {
        return JSON.stringify(previous) === JSON.stringify(settings());
    } catch {
        return false; // invalid settings: the next call reports them
    }
}

/**
 * The credentials a resource needs are set and accepted; each is checked once per process (see credentials.ts).
 * A product environment's Admin API key is checked for a share that is new or changed: an unchanged one makes no
 * Admin API call in this run, so a no-op preview stays at the account's one request.
 */
async function credentialsReady(kind: string, olds: Props, news: Props): Promise<void> {
    const ctx = context as ProviderContext;
    await ctx.credentials.accountReady();
    const cloudName = DEFINITIONS[kind]?.productEnvironmentOf?.(news);
    if (typeof cloudName === "string" && ctx.hasProductEnvironment(cloudName) && changed(olds, news)) {
        await ctx.credentials.productEnvironmentReady(cloudName);
    }
}

function changed(olds: Props, news: Props): boolean {
    return JSON.stringify(stripInputs(olds ?? {}).known) !== JSON.stringify(stripInputs(news).known);
}

async function check(kind: string, olds: Props, news: Props): Promise<pulumi.dynamic.CheckResult> {
    try {
        const handler = current(kind);
        await credentialsReady(kind, olds, news);
        return await handler.check(olds, news);
    } catch (e) {
        // Errors a user can act on (settings, credentials, API answers) are one plain message. A check failure
        // without a property is printed once, as "<resource> has a problem: <reason>".
        if (isExpected(e)) return { inputs: news, failures: [{ property: e.field !== undefined && e.field in (DEFINITIONS[kind]?.fields ?? {}) ? e.field : "", reason: e.message }] };
        throw e;
    }
}

/** The engine's dynamic-provider host logs a thrown error with its stack: an expected one has none worth showing. */
async function plain<T>(operation: () => Promise<T>): Promise<T> {
    try {
        return await operation();
    } catch (e) {
        if (isExpected(e)) e.stack = "";
        throw e;
    }
}

/** The provider object for one resource type, as the shim hands calls to it. */
export function handler(kind: string): pulumi.dynamic.ResourceProvider {
    return {
        configure: async (request: pulumi.dynamic.ConfigureRequest) => configure(request),
        check: (olds, news) => check(kind, olds, news),
        diff: (id, olds, news) => plain(() => current(kind).diff(id, olds, news)),
        // What runs on one of the engine's workers (check and diff run in its step generator).
        create: (inputs) => plain(() => workers.track(() => current(kind).create(inputs))),
        read: (id, props) => plain(() => workers.track(() => current(kind).read(id, props ?? {}))),
        update: (id, olds, news) => plain(() => workers.track(() => current(kind).update(id, olds, news))),
        delete: (id, props) => plain(() => workers.track(() => current(kind).delete(id, props))),
    };
}

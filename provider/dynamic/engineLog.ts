// How a warning of this dynamic provider reaches `pulumi preview` and `pulumi up`, under the resource it is about.
//
// What the engine does (Pulumi CLI 3.248, seen in real runs, see tests/e2e/warnings.test.ts): a line the provider
// writes to stderr is shown as a message of the stack (pulumi:pulumi:Stack), not as a warning of the resource,
// and not counted as a warning. A warning sent through the engine's Log RPC with the resource's URN is shown on
// the resource's row and in its own Diagnostics block, and counted. The dynamic-provider host (@pulumi/pulumi's
// cmd/dynamic-provider) is started with the engine's address as its first argument, but it hands check, diff,
// create and update only inputs: the URN of the request is dropped. So this module has the host's requests
// remember the URN of the inputs they carry, by their content (the serialized provider and the known inputs).
// The host loads this package when it first needs the provider, inside the first check, so the first resource a
// process checks gets its URN only from a later diff (it exists) or create (pulumi up); in a preview of a new
// first resource it stays unknown, and its warnings go to the stack, prefixed with the resource they are about.
//
// When: the engine ends every plugin by interrupting it (SIGINT; CTRL_BREAK on Windows), then waits up to 5 s
// before killing it ("try to shut down gracefully first, so the plugins have a chance to clean up",
// sdk/go/common/resource/plugin/plugin.go). Warnings are sent then, once per resource, when every resource of the
// run has been checked: a grant that makes another one work may be declared after it.
import { stripInputs } from "./inputs";

/** The engine's inputs of a resource (as define.ts names them). */
type Props = Record<string, any>;

/** Where warnings go: the engine's Log RPC, or a stand-in in tests. */
export interface WarningSink {
    warn(message: string, urn?: string): Promise<void>;
}

interface ProtoStruct {
    toJavaScript(): Props;
}

/** The host's own modules (the same gRPC and protobuf instances it runs with), when this process is one. */
interface Host {
    grpc: { credentials: { createInsecure(): unknown } };
    engineRpc: { EngineClient: new (address: string, credentials: unknown) => { log(request: unknown, done: (error: Error | null) => void): void } };
    engineProto: { LogRequest: new () => { setSeverity(s: number): void; setMessage(m: string): void; setUrn(u: string): void }; LogSeverity: { WARNING: number } };
    providerProto: Record<string, { prototype: Record<string, (this: { getUrn(): string }) => ProtoStruct | undefined> }>;
}

function dynamicProviderHost(): Host | undefined {
    const main = require.main;
    if (!main || !/[\\/]@pulumi[\\/]pulumi[\\/]cmd[\\/]dynamic-provider[\\/]index\.js$/.test(main.filename)) return undefined;
    try {
        return {
            grpc: main.require("@grpc/grpc-js"),
            engineRpc: main.require("../../proto/engine_grpc_pb"),
            engineProto: main.require("../../proto/engine_pb"),
            providerProto: main.require("../../proto/provider_pb"),
        };
    } catch {
        return undefined; // another layout of @pulumi/pulumi: no URNs, and warnings go to stderr
    }
}

/** A resource's inputs as requests carry them: the serialized provider (it names the kind) and the known inputs. */
export function inputsKey(inputs: Props): string {
    return JSON.stringify([inputs.__provider ?? "", stripInputs(inputs).known]);
}

/** URNs by inputsKey, as the engine's requests named them. */
const urns = new Map<string, string>();

/** The requests that carry a resource's inputs (the host's provider_pb classes) remember its URN from now on. */
export function captureUrns(providerProto: Host["providerProto"]): void {
    const carriers: [string, string][] = [["CheckRequest", "getNews"], ["DiffRequest", "getNews"], ["CreateRequest", "getProperties"], ["UpdateRequest", "getNews"]];
    for (const [request, getter] of carriers) {
        const proto = providerProto[request]?.prototype;
        const original = proto?.[getter] as ((this: { getUrn(): string }) => ProtoStruct | undefined) & { remembersUrn?: boolean };
        if (!original || original.remembersUrn) continue;
        const remembering = function (this: { getUrn(): string }) {
            const struct = original.call(this);
            const urn = this.getUrn();
            if (!struct || !urn) return struct;
            const toJavaScript = struct.toJavaScript.bind(struct);
            struct.toJavaScript = () => {
                const inputs = toJavaScript();
                urns.set(inputsKey(inputs), urn);
                return inputs;
            };
            return struct;
        };
        proto[getter] = Object.assign(remembering, { remembersUrn: true });
    }
}

const host = dynamicProviderHost();
if (host) captureUrns(host.providerProto);

/** The URN of the resource whose inputs these are, once a request of the engine named it. */
export function urnOf(key: string): string | undefined {
    return urns.get(key);
}

/** The engine's Log RPC, when this process is a dynamic provider the engine started. */
export function engineSink(): WarningSink | undefined {
    const address = process.argv[2];
    if (!host || !address) return undefined;
    let client: InstanceType<Host["engineRpc"]["EngineClient"]> | undefined;
    return {
        warn(message, urn) {
            client ??= new host.engineRpc.EngineClient(address, host.grpc.credentials.createInsecure());
            const request = new host.engineProto.LogRequest();
            request.setSeverity(host.engineProto.LogSeverity.WARNING);
            request.setMessage(message);
            request.setUrn(urn ?? "");
            return new Promise((resolve) => client!.log(request, () => resolve()));
        },
    };
}

const SHUTDOWN_SIGNALS: NodeJS.Signals[] = process.platform === "win32" ? ["SIGINT", "SIGBREAK"] : ["SIGINT"];

/**
 * Runs `flush` when the engine interrupts the process at the end of the run (at most `boundMs`), then lets the
 * signal end the process as it would have.
 */
export function onEngineShutdown(flush: () => Promise<void>, boundMs: number): void {
    const handler = (signal: NodeJS.Signals) => {
        for (const s of SHUTDOWN_SIGNALS) process.removeListener(s, handler);
        const bound = new Promise<void>((resolve) => setTimeout(resolve, boundMs).unref());
        Promise.race([flush().catch(() => undefined), bound]).finally(() => process.kill(process.pid, signal));
    };
    for (const s of SHUTDOWN_SIGNALS) process.once(s, handler);
}

// What the serialized provider shim loads at run time (the package's "./runtime" export): the current
// implementation of each resource, configured once per provider process from the stack config.
import type * as pulumi from "@pulumi/pulumi";
import { ConfigSource, resolveSettings } from "../config";
import { ProviderContext } from "../context";
import { customRoleHandler } from "../resources/customRole";
import { folderShareHandler } from "../resources/folderShare";
import { groupHandler } from "../resources/group";
import { roleAssignmentHandler } from "../resources/roleAssignment";
import type { HandlerFactory, ResourceHandler } from "./handler";

const HANDLERS: Record<string, HandlerFactory> = {
    CustomRole: customRoleHandler,
    RoleAssignment: roleAssignmentHandler,
    FolderShare: folderShareHandler,
    Group: groupHandler,
};

let config: ConfigSource | undefined;
let context: ProviderContext | undefined;
const handlers = new Map<string, ResourceHandler>();

function current(kind: string): ResourceHandler {
    const factory = HANDLERS[kind];
    if (!factory) throw new Error(`pulumi-cloudinary-permissions has no resource '${kind}'; the installed package may be older than the stack's state`);
    context ??= new ProviderContext(resolveSettings(config, process.env));
    let handler = handlers.get(kind);
    if (!handler) {
        handler = factory(context);
        handlers.set(kind, handler);
    }
    return handler;
}

/** The provider object for one resource type, as the shim hands calls to it. */
export function handler(kind: string): pulumi.dynamic.ResourceProvider {
    return {
        configure: async (request: pulumi.dynamic.ConfigureRequest) => {
            config = request.config;
            context = undefined;
            handlers.clear();
        },
        check: (olds, news) => current(kind).check(olds, news),
        diff: (id, olds, news) => current(kind).diff(id, olds, news),
        create: async (inputs) => withoutUndefined(await current(kind).create(inputs)),
        read: async (id, props) => withoutUndefined(await current(kind).read(id, props ?? {})),
        update: async (id, olds, news) => withoutUndefined(await current(kind).update(id, olds, news)),
        delete: (id, props) => current(kind).delete(id, props),
    };
}

/** The engine's wire format (a protobuf Struct) has no `undefined`: an optional output left unset is omitted. */
function withoutUndefined<T extends { outs?: Record<string, unknown>; props?: Record<string, unknown> }>(result: T): T {
    const clean = (bag?: Record<string, unknown>) => bag && Object.fromEntries(Object.entries(bag).filter(([, v]) => v !== undefined));
    return { ...result, ...(result.outs ? { outs: clean(result.outs) } : {}), ...(result.props ? { props: clean(result.props) } : {}) };
}

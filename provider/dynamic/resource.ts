// How the resource classes register with the engine. Two pitfalls of dynamic resources handled once here.
import * as pulumi from "@pulumi/pulumi";

/**
 * The property bag handed to pulumi.dynamic.Resource: every output key first (a key left out is no Output on
 * the object, so `Role.get(...).name` would be undefined), then the user's args.
 */
export function registeredProps(outputKeys: readonly string[], args: object): Record<string, unknown> {
    return { ...Object.fromEntries(outputKeys.map((key) => [key, undefined])), ...args };
}

/**
 * An output that equals the resource's id (a role id, a group id). Taken from `id` rather than the stored
 * output because during a preview the engine shows an updating dynamic resource's outputs as its new inputs,
 * which lack server-assigned values: dependents would show a spurious replace. The id stays known.
 */
export function idOutput(resource: pulumi.CustomResource): pulumi.Output<string> {
    return resource.id.apply((id) => id);
}

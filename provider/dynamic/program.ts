// The program side of a resource: the class a Pulumi program instantiates, made from its definition. Its
// arguments are the schema's input types with every field a pulumi.Input; its instances have an Output per
// output key. Two pitfalls of dynamic resources are handled once here (see registeredProps and idOutput).
import * as pulumi from "@pulumi/pulumi";
import { ProgramClaims } from "../validation/declarations";
import type { DefinedResource } from "./define";
import { delegatingProvider } from "./shim";

/** What this program has declared, compared on plain values (one per program: the program is its process). */
export const programClaims = new ProgramClaims();

/** Each field (and each item of a list, each key of an object) may be a value, a promise or another resource's Output. */
export type Args<T> = { [K in keyof T]: InputOf<T[K]> };
type InputOf<T> = T extends (infer U)[] ? pulumi.Input<InputOf<U>[]> : T extends object ? pulumi.Input<{ [K in keyof T]: InputOf<T[K]> }> : pulumi.Input<T>;

export type Instance<O> = pulumi.dynamic.Resource & { readonly [K in keyof O]-?: pulumi.Output<O[K]> } & {
    /** For inputs that take names (emails, group names, cloud names, folder paths): each id the resource holds → its name. */
    readonly names: pulumi.Output<Record<string, string>>;
};

export interface ResourceClass<I, O> {
    new (name: string, args: Args<I>, opts?: pulumi.CustomResourceOptions): Instance<O>;
    /** Reads an existing object into the program, by its id, without managing it. */
    get(name: string, id: pulumi.Input<string>, opts?: pulumi.CustomResourceOptions): Instance<O>;
}

export function resourceClass<I extends object, O extends I>(defined: DefinedResource<I, O>): ResourceClass<I, O> {
    const provider = delegatingProvider(defined.kind);
    const idOutputKey = "output" in defined.id ? defined.id.output : undefined;
    class Resource extends pulumi.dynamic.Resource {
        constructor(name: string, args: Args<I>, opts?: pulumi.CustomResourceOptions) {
            if (!opts?.id && defined.claims) programClaims.claim(defined.kind, name, defined.claims(args as Record<string, unknown>));
            super(provider, name, registeredProps(defined.outputKeys, args), opts, "cloudinary", defined.kind);
            if (idOutputKey) (this as Record<string, unknown>)[idOutputKey] = idOutput(this);
        }

        static get(name: string, id: pulumi.Input<string>, opts?: pulumi.CustomResourceOptions) {
            return new Resource(name, {} as Args<I>, { ...opts, id });
        }
    }
    Object.defineProperty(Resource, "name", { value: defined.kind });
    return Resource as unknown as ResourceClass<I, O>;
}

/**
 * The property bag handed to pulumi.dynamic.Resource: every output key first (a key left out is no Output on
 * the object, so `Role.get(...).name` would be undefined), then the user's args.
 */
function registeredProps(outputKeys: readonly string[], args: object): Record<string, unknown> {
    return { ...Object.fromEntries(outputKeys.map((key) => [key, undefined])), ...args };
}

/**
 * An output that equals the resource's id (a role id, a group id). Taken from `id` rather than the stored
 * output because during a preview the engine shows an updating dynamic resource's outputs as its new inputs,
 * which lack server-assigned values: dependents would show a spurious replace. The id stays known.
 */
function idOutput(resource: pulumi.CustomResource): pulumi.Output<string> {
    return resource.id.apply((id) => id);
}

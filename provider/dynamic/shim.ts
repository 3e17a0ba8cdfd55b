// The provider object Pulumi serializes into every resource's state (the `__provider` input). It is kept tiny
// and stable on purpose: it holds no logic, only finds the installed pulumi-cloudinary-permissions package at
// run time and hands each call to it. So upgrading the package upgrades what later refreshes and deletes run,
// instead of state pinning a copy of old provider code (a known pitfall of dynamic providers).
import type * as pulumi from "@pulumi/pulumi";

export function delegatingProvider(kind: string): pulumi.dynamic.ResourceProvider {
    const load = () => {
        const path = require("path");
        const fromProject = require("module").createRequire(path.join(process.cwd(), "package.json"));
        return fromProject("pulumi-cloudinary-permissions/runtime").handler(kind);
    };
    return {
        configure: (req: any) => load().configure(req),
        check: (olds: any, news: any) => load().check(olds, news),
        diff: (id: any, olds: any, news: any) => load().diff(id, olds, news),
        create: (inputs: any) => load().create(inputs),
        read: (id: any, props: any) => load().read(id, props),
        update: (id: any, olds: any, news: any) => load().update(id, olds, news),
        delete: (id: any, props: any) => load().delete(id, props),
    } as pulumi.dynamic.ResourceProvider;
}

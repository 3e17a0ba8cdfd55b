// The engine's floor for the benchmarks: the same stack shape as the GitOps example (same resources, same
// references between them, same inputs) made of dynamic resources whose provider does nothing. What the real
// provider costs above this is its own time: validation, API calls, diffing.
import * as pulumi from "@pulumi/pulumi";
import * as fs from "node:fs";
import { parsePermissionsFile } from "../provider/gitops";

const noop: pulumi.dynamic.ResourceProvider = {
    async check(_olds: any, news: any) {
        return { inputs: news };
    },
    async diff(_id: string, olds: any, news: any) {
        const strip = (o: any) => JSON.stringify(Object.fromEntries(Object.entries(o).filter(([k]) => k !== "__provider")));
        return { changes: strip(olds) !== strip(news) };
    },
    async create(inputs: any) {
        return { id: `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 10)}`, outs: inputs };
    },
    async read(id: string, props: any) {
        return { id, props };
    },
    async update(_id: string, _olds: any, news: any) {
        return { outs: news };
    },
    async delete() {},
};

class Noop extends pulumi.dynamic.Resource {
    constructor(type: string, name: string, args: object) {
        super(noop, name, { ...args }, undefined, "floor", type);
    }
}

const file = parsePermissionsFile(fs.readFileSync("permissions.yaml", "utf8"));
const groups = Object.fromEntries(Object.entries(file.groups ?? {}).map(([key, args]) => [key, new Noop("Group", key, args)]));
const roles = Object.fromEntries(Object.entries(file.customRoles ?? {}).map(([key, args]) => [key, new Noop("CustomRole", key, args)]));
const role = (id: string): pulumi.Input<string> => (roles[id] ? roles[id].id : id);
const principal = (type: string, id: string): pulumi.Input<string> => (type === "group" && groups[id] ? groups[id].id : id);
for (const [key, args] of Object.entries(file.roleAssignments ?? {})) {
    new Noop("RoleAssignment", key, { ...args, roleId: role(args.roleId), principalId: principal(args.principalType, args.principalId) });
}
for (const [key, args] of Object.entries(file.folderShares ?? {})) {
    new Noop("FolderShare", key, { ...args, roles: args.roles.map(role), principalId: principal(args.principalType, args.principalId) });
}
for (const [key, args] of Object.entries(file.customPolicies ?? {})) new Noop("CustomPolicy", key, args);

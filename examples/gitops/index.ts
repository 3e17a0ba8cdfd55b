// GitOps: the stack is whatever permissions.yaml declares. Review changes to the file in pull requests; CI runs
// `pulumi preview` on the pull request, `pulumi up` on merge and a scheduled drift check (see .github/workflows).
import * as pulumi from "@pulumi/pulumi";
import * as path from "node:path";
// The package by its name, as a user's program imports it (in this repository, Node resolves the name to the
// package itself through package.json "exports"; tsconfig.json maps it to the sources for the compiler).
import { loadPermissionsFile } from "pulumi-cloudinary-permissions";

const config = new pulumi.Config("gitops");
// Relative paths are resolved from the project folder (where Pulumi.yaml is).
const file = path.resolve(config.get("file") ?? "permissions.yaml");
const declared = loadPermissionsFile(file);

export const roleIds = Object.fromEntries(Object.entries(declared.customRoles).map(([key, role]) => [key, role.roleId]));
export const groupIds = Object.fromEntries(Object.entries(declared.groups).map(([key, group]) => [key, group.groupId]));
export const policyIds = Object.fromEntries(Object.entries(declared.customPolicies).map(([key, policy]) => [key, policy.policyId]));

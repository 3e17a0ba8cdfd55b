// GitOps: the stack is whatever permissions.yaml declares. Review changes to the file in pull requests; CI runs
// `pulumi preview` on the pull request, `pulumi up` on merge and a scheduled drift check (see .github/workflows).
import * as pulumi from "@pulumi/pulumi";
import * as path from "node:path";
import { loadPermissionsFile } from "../../provider/gitops";

const config = new pulumi.Config("gitops");
// Relative paths are resolved from the project folder (where Pulumi.yaml is).
const file = path.resolve(config.get("file") ?? "permissions.yaml");
const declared = loadPermissionsFile(file);

export const roleIds = Object.fromEntries(Object.entries(declared.customRoles).map(([key, role]) => [key, role.roleId]));
export const groupIds = Object.fromEntries(Object.entries(declared.groups).map(([key, group]) => [key, group.groupId]));
export const policyIds = Object.fromEntries(Object.entries(declared.customPolicies).map(([key, policy]) => [key, policy.policyId]));

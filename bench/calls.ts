// API requests each provider operation makes, per resource type: check (first time, and unchanged), create,
// read, diff, update, delete. Measured on the emulator's request counters by calling the same handlers the
// Pulumi engine calls, each on a fresh provider context (cold caches) unless said otherwise.
import { EmulatorHandle } from "../emulator";
import { ProviderContext } from "../provider/context";
import { Props, ResourceHandler } from "../provider/dynamic/define";
import { customPolicy } from "../provider/resources/customPolicy";
import { customRole } from "../provider/resources/customRole";
import { folderShare } from "../provider/resources/folderShare";
import { accountGrants } from "../provider/resources/accountGrants";
import { group } from "../provider/resources/group";
import { principalRoles } from "../provider/resources/principalRoles";
import { roleAssignment } from "../provider/resources/roleAssignment";
import { rolePrincipals } from "../provider/resources/rolePrincipals";
import { contextFor } from "../harness/emulator";

export interface OperationCalls {
    resource: string;
    operation: string;
    requests: number;
    reads: number;
    writes: number;
}

interface Scenario {
    resource: string;
    handler: (ctx: ProviderContext) => ResourceHandler;
    inputs: Props;
    changed: Props;
    /** What the update changes, for the report. */
    update: string;
}

const PROD = "pe0prod000000000000000000000001";
const BOB = "u0bob000000000000000000000002";
const ERIN = "u0erin00000000000000000000005";
const ALICE = "u0alice0000000000000000000001";
const folderRead = (action: string) =>
    `permit(principal == Cloudinary::User::"${BOB}", action == Cloudinary::Action::"${action}", resource is Cloudinary::Folder) when { resource.ancestor_ids.contains("fproducts0000000000000000000006") };`;

const SCENARIOS: Scenario[] = [
    {
        resource: "CustomRole",
        handler: customRole.handler,
        inputs: { name: "Meter role", permissionType: "global", scopeType: "prodenv", systemPolicyIds: ["cld::policy::global::ml::access"] },
        changed: { name: "Meter role", permissionType: "global", scopeType: "prodenv", systemPolicyIds: ["cld::policy::global::ml::access", "cld::policy::global::assets::moderate"] },
        update: "one policy added",
    },
    {
        resource: "RoleAssignment",
        handler: roleAssignment.handler,
        inputs: { roleId: "cld::role::prodenv::reports", principalType: "user", principalId: BOB, scopeId: PROD },
        changed: { roleId: "cld::role::prodenv::reports", principalType: "user", principalId: BOB, scopeId: PROD, adopt: true },
        update: "adopt set (state only; other changes replace)",
    },
    {
        resource: "FolderShare",
        handler: folderShare.handler,
        inputs: { cloudName: "acme-prod", folderId: "fproducts0000000000000000000006", principalType: "user", principalId: BOB, roles: ["cld::role::folder::viewer"] },
        changed: { cloudName: "acme-prod", folderId: "fproducts0000000000000000000006", principalType: "user", principalId: BOB, roles: ["cld::role::folder::contributor"] },
        update: "one role swapped for another",
    },
    {
        resource: "Group",
        handler: group.handler,
        inputs: { name: "Meter group", memberIds: [BOB] },
        changed: { name: "Meter group", memberIds: [BOB, ERIN] },
        update: "one member added",
    },
    {
        resource: "PrincipalRoles",
        handler: principalRoles.handler,
        inputs: { principalType: "user", principalId: BOB, roles: [{ roleId: "cld::role::prodenv::reports", scopeId: PROD }] },
        changed: { principalType: "user", principalId: BOB, roles: [{ roleId: "cld::role::prodenv::ml_user", scopeId: "all" }, { roleId: "cld::role::account::reports" }] },
        update: "two roles added, one removed",
    },
    {
        resource: "RolePrincipals",
        handler: rolePrincipals.handler,
        inputs: { roleId: "cld::role::prodenv::reports", principals: [{ principalType: "user", principalId: BOB, scopeId: PROD }] },
        changed: { roleId: "cld::role::prodenv::reports", principals: [{ principalType: "user", principalId: ERIN, scopeId: "all" }, { principalType: "user", principalId: ALICE, scopeId: PROD }] },
        update: "two holders added, one removed",
    },
    {
        // The exclusive guard on the seeded account (its one grant exempt): reads are 2 + one per role, whatever the grants.
        resource: "AccountGrants",
        handler: accountGrants.handler,
        inputs: { declared: [], exempt: [{ principalType: "user", principalId: ALICE }], undeclared: [] },
        changed: { declared: [{ roleId: "cld::role::prodenv::reports", principalType: "user", principalId: BOB, scopeId: PROD }], exempt: [{ principalType: "user", principalId: ALICE }], undeclared: [] },
        update: "a declared grant added",
    },
    {
        resource: "CustomPolicy",
        handler: customPolicy.handler,
        inputs: { name: "Meter policy", scopeType: "prodenv", scopeId: PROD, policyStatement: folderRead("read") },
        changed: { name: "Meter policy", scopeType: "prodenv", scopeId: PROD, policyStatement: folderRead("update") },
        update: "a new statement",
    },
];

export async function measureCalls(emulator: EmulatorHandle): Promise<OperationCalls[]> {
    const out: OperationCalls[] = [];
    const fresh = (s: Scenario) => s.handler(contextFor(emulator));
    const measure = async (resource: string, operation: string, run: () => Promise<unknown>) => {
        emulator.resetStats();
        await run();
        const stats = await emulator.stats();
        // Everything that is not a write reads (the Admin API's "get folder by id" is a PUT).
        const reads = stats.total - stats.writes;
        out.push({ resource, operation, requests: stats.total, reads, writes: stats.writes });
    };
    for (const s of SCENARIOS) {
        await emulator.reset();
        const withProvider = (p: Props) => ({ ...p, __provider: "shim" });
        let handler = fresh(s);
        await measure(s.resource, "check (new inputs, cold cache)", async () => assertNoFailures(await handler.check({}, withProvider(s.inputs))));
        await measure(s.resource, "check (new inputs, warm cache)", async () => assertNoFailures(await handler.check({}, withProvider(s.inputs))));
        let created!: { id: string; outs: Props };
        await measure(s.resource, "create", async () => (created = (await handler.create(withProvider(s.inputs))) as { id: string; outs: Props }));
        handler = fresh(s);
        await measure(s.resource, "check (unchanged inputs)", async () => assertNoFailures(await handler.check(created.outs, withProvider(s.inputs))));
        await measure(s.resource, "diff", () => handler.diff(created.id, created.outs, withProvider(s.inputs)));
        await measure(s.resource, "read (refresh)", () => handler.read(created.id, created.outs));
        await measure(s.resource, `update (${s.update})`, () => handler.update(created.id, created.outs, withProvider(s.changed)));
        await measure(s.resource, "delete", () => handler.delete(created.id, s.changed));
        await measure(s.resource, "read (after an out-of-band delete)", () => handler.read(created.id, s.changed));
    }
    return out;
}

function assertNoFailures(result: { failures?: unknown[] }): void {
    if (result.failures?.length) throw new Error(`unexpected check failures: ${JSON.stringify(result.failures)}`);
}

export function callsTable(rows: OperationCalls[]): string {
    const header = ["resource", "operation", "requests", "reads", "writes"];
    const cells = rows.map((r) => [r.resource, r.operation, String(r.requests), String(r.reads), String(r.writes)]);
    const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
    const line = (c: string[]) => "| " + c.map((v, i) => v.padEnd(widths[i])).join(" | ") + " |";
    return [line(header), "|" + widths.map((w) => "-".repeat(w + 2)).join("|") + "|", ...cells.map(line)].join("\n");
}

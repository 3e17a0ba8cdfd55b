// What the bench prints and records: requests grouped by kind, the table per size and latency, and the
// issue's targets checked against the figures.

export interface StepResult {
    step: string;
    seconds: number;
    floorSeconds: number;
    /** (provider - floor) / floor */
    overhead: number;
    requests: number;
    reads: number;
    writes: number;
    /** The writes the step needs without coalescing: one per object or membership created, changed or deleted. */
    expectedWrites: number;
    requestsPerResource: number;
    byKind: Record<string, number>;
    engine: Record<string, number>;
    providerPeakMiB?: number;
    floorPeakMiB?: number;
}

export interface Target {
    name: string;
    met: boolean;
    detail: string;
}

const PREFIXES = [/^\/v2\/accounts\/:account_id\/permissions\//, /^\/v1_1\/provisioning\/accounts\/:account_id\//, /^\/v1_1\/:cloud_name\//, /^\/v2\/accounts\//];

/** "PUT /v2/accounts/:account_id/permissions/roles/:role_id/principals" → "PUT roles/:role_id/principals". */
export function kindOf(routeKey: string): string {
    const [method, route = ""] = routeKey.split(" ");
    const rest = PREFIXES.reduce((r, prefix) => r.replace(prefix, ""), route);
    return `${method} ${rest}`;
}

export function byKind(byRoute: Record<string, number>): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [route, n] of Object.entries(byRoute)) out[kindOf(route)] = (out[kindOf(route)] ?? 0) + n;
    return Object.fromEntries(Object.entries(out).sort((a, b) => b[1] - a[1]));
}

export const GRANT_WRITE = "PUT roles/:role_id/principals";

export function targetsOf(steps: StepResult[], resources: number, roleAssignments: number, latencyMs: number): Target[] {
    const byStep = Object.fromEntries(steps.map((s) => [s.step, s]));
    const up = byStep["up (from empty)"];
    const refresh = byStep["preview --refresh"];
    const grantWrites = up.byKind[GRANT_WRITE] ?? 0;
    const touched = byStep["up (10% changed)"];
    const targets: Target[] = [
        ...(refresh ? [{ name: "preview --refresh: requests per resource <= 0.35", met: refresh.requestsPerResource <= 0.35 && refresh.writes === 0, detail: `${refresh.requestsPerResource.toFixed(3)} (${refresh.requests} requests)` }] : []),
        { name: "up from empty: requests per resource <= 1.15", met: up.requestsPerResource <= 1.15, detail: `${up.requestsPerResource.toFixed(3)} (${up.requests} requests)` },
        {
            name: "up: no more writes than changes",
            met: [up, touched].every((s) => !s || s.writes <= s.expectedWrites),
            detail: [up, touched].filter(Boolean).map((s) => `${s.writes}/${s.expectedWrites}`).join(", "),
        },
        { name: `writes per RoleAssignment created <= 0.5 (${latencyMs} ms latency)`, met: grantWrites / roleAssignments <= 0.5, detail: `${(grantWrites / roleAssignments).toFixed(3)} (${grantWrites} for ${roleAssignments})` },
        {
            name: "provider time above the engine floor at most 20%, every step",
            met: steps.every((s) => s.overhead <= 0.2),
            detail: steps.map((s) => `${s.step} ${(s.overhead * 100).toFixed(0)}%`).join(", "),
        },
    ];
    if (latencyMs > 0) targets.push({ name: "up from empty <= 1.3 x the floor", met: up.seconds <= 1.3 * up.floorSeconds, detail: `${(up.seconds / up.floorSeconds).toFixed(2)} x` });
    return targets;
}

export function table(steps: StepResult[], direct?: { createSeconds: number; requests: number; writes: number }): string {
    const header = ["step", "wall s", "floor s", "above floor", "requests", "reads", "writes", "expected writes", "req/resource", "provider MiB", "floor MiB"];
    const rows = steps.map((s) => [
        s.step,
        s.seconds.toFixed(1),
        s.floorSeconds.toFixed(1),
        `${(s.overhead * 100).toFixed(0)}%`,
        String(s.requests),
        String(s.reads),
        String(s.writes),
        String(s.expectedWrites),
        s.requestsPerResource.toFixed(2),
        s.providerPeakMiB?.toFixed(0) ?? "?",
        s.floorPeakMiB?.toFixed(0) ?? "?",
    ]);
    if (direct) rows.push(["sequential script (create)", direct.createSeconds.toFixed(1), "", "", String(direct.requests), "", String(direct.writes), "", "", "", ""]);
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const line = (cells: string[]) => "| " + cells.map((c, i) => c.padEnd(widths[i])).join(" | ") + " |";
    return [line(header), "|" + widths.map((w) => "-".repeat(w + 2)).join("|") + "|", ...rows.map(line)].join("\n");
}

export function kindsTable(steps: StepResult[]): string {
    return steps.map((s) => `  ${s.step}: ${Object.entries(s.byKind).map(([k, n]) => `${k} ${n}`).join(", ") || "none"}`).join("\n");
}

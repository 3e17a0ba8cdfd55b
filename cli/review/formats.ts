// The review as text (a terminal), md (a pull-request comment: found again by its hidden marker, one section per
// principal, long tables folded) or json (the report as is; its fields are documented in the README).
import { declarationLabel } from "./plan";
import { ChangeView, placeLabel, principalLabel, ReviewReport, RoleView } from "./review";

export const FORMATS = ["text", "md", "json"] as const;
export type Format = (typeof FORMATS)[number];

/** The first line of the md output, by which CI finds its comment to update it. */
export const COMMENT_MARKER = "<!-- cloudinary-permissions-review -->";

/** A principal's table is folded beyond this many rows, and every table when the review has more than FOLD_ALL. */
const FOLD_ROWS = 8;
const FOLD_ALL = 40;

export function render(report: ReviewReport, format: Format): string {
    if (format === "json") return `${JSON.stringify(report, null, 2)}\n`;
    return format === "md" ? markdown(report) : text(report);
}

function plural(n: number, word: string): string {
    return `${n} ${word}${n === 1 ? "" : word.endsWith("s") ? "es" : "s"}`;
}

function headline(r: ReviewReport): string {
    const { gains, losses, principals } = r.summary;
    if (gains + losses === 0) return r.roleChanges.length || r.policyChanges.length ? "no role gained or lost" : "no access changes";
    return `${plural(gains, "gain")}, ${plural(losses, "loss")} for ${plural(principals, "principal")}`;
}

function byPrincipal(changes: ChangeView[]): Map<string, ChangeView[]> {
    const groups = new Map<string, ChangeView[]>();
    for (const c of changes) groups.set(principalLabel(c.principal), [...(groups.get(principalLabel(c.principal)) ?? []), c]);
    return groups;
}

function roleName(role: RoleView): string {
    if (!role.custom) return `${role.name} (${role.id})`;
    return `${role.name} (${role.new ? "new custom role" : `custom role ${role.id}`})`;
}

function where(c: ChangeView): string {
    return c.place.type === "account" ? "on the account" : c.place.type === "productEnvironment" ? `in ${placeLabel(c.place)}` : `on ${placeLabel(c.place)}`;
}

function how(c: ChangeView): string {
    const parts = [c.via?.group ? `through group ${c.via.group.name}${c.via.group.id ? "" : " (new)"}` : "", c.via?.folder ? `inherited from ${c.via.folder.path}` : ""].filter(Boolean);
    return parts.length ? parts.join(", ") : "direct";
}

function declared(c: ChangeView): string {
    return c.declarations.map(declarationLabel).join(", ");
}

// ---- text -----------------------------------------------------------------------------------------------

function text(r: ReviewReport): string {
    const lines = [`Access review${r.stack ? ` of stack ${r.stack}` : ""} (Cloudinary account ${r.account.id}): ${headline(r)}`];
    for (const [principal, changes] of byPrincipal(r.changes)) {
        lines.push("", principal);
        for (const c of changes) {
            const mark = c.denied ? "! DENIED gain:" : c.change === "gain" ? "+" : "-";
            const path = how(c);
            lines.push(`  ${mark} ${roleName(c.role)} ${where(c)}${path === "direct" ? "" : `, ${path}`}${c.declarations.length ? `  [${declared(c)}]` : ""}`);
            if (c.role.systemPolicyIds?.length) lines.push(`      carries ${c.role.systemPolicyIds.join(", ")}`);
        }
    }
    if (r.roleChanges.length) {
        lines.push("", "Custom roles whose policies change (every holder's access changes with them):");
        for (const rc of r.roleChanges) {
            const policies = [...rc.addedPolicyIds.map((p) => `+${p}`), ...rc.removedPolicyIds.map((p) => `-${p}`)].join(", ");
            lines.push(`  ${roleName(rc.role)}: ${policies}; held by ${rc.holders.map(principalLabel).join(", ") || "no one"}  [${declarationLabel(rc.declaration)}]`);
        }
    }
    if (r.policyChanges.length) {
        lines.push("", "Custom policies:");
        for (const p of r.policyChanges) lines.push(`  ${p.change} ${p.name} (${p.place.name}), for ${p.appliesTo.join(", ") || "no one"}  [${declarationLabel(p.declaration)}]`);
    }
    appendLists(lines, r, (s) => `  ${s}`);
    return `${lines.join("\n")}\n`;
}

function appendLists(lines: string[], r: ReviewReport, item: (s: string) => string): void {
    if (r.unresolved.length) {
        lines.push("", "Not reviewed (the plan does not say):");
        for (const u of r.unresolved) lines.push(item(`${declarationLabel(u.urn)} ${u.property}: ${u.reason}`));
    }
    if (r.warnings.length) {
        lines.push("", "Warnings:");
        for (const w of r.warnings) lines.push(item(`${w.code}: ${w.message}${w.urn ? ` [${declarationLabel(w.urn)}]` : ""}`));
    }
    if (r.notes.length) {
        lines.push("", "Notes:");
        for (const n of r.notes) lines.push(item(n));
    }
}

// ---- md -------------------------------------------------------------------------------------------------

/** Text for a table cell or a list item: Markdown and HTML specials escaped. */
function cell(s: string): string {
    return s.replace(/[\\`*_[\]|<>]/g, (ch) => (ch === "<" ? "&lt;" : ch === ">" ? "&gt;" : `\\${ch}`));
}

const code = (s: string) => `<code>${s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/\|/g, "&#124;")}</code>`;

function markdown(r: ReviewReport): string {
    const lines = [COMMENT_MARKER, `## Cloudinary access review: ${headline(r)}`, ""];
    lines.push(`${r.stack ? `Stack ${code(r.stack)}, ` : ""}account ${code(r.account.id)}: who gains or loses which role where when this change is applied (the live account against the plan).`);
    const denied = r.changes.filter((c) => c.denied);
    if (denied.length) {
        lines.push("", `> **${plural(denied.length, "denied gain")}** (\`--deny\`)`, ">");
        for (const c of denied) lines.push(`> - ${cell(principalLabel(c.principal))} gains **${cell(c.role.name)}** ${cell(where(c))}, ${cell(how(c))} (${cell(declared(c) || "the plan")})`);
    }
    const fold = r.changes.length > FOLD_ALL;
    for (const [principal, changes] of byPrincipal(r.changes)) {
        lines.push("", `### ${cell(principal)}`, "");
        const table = ["| Change | Role | Where | How | Declared by |", "| --- | --- | --- | --- | --- |"];
        for (const c of changes) {
            // Words, not emoji: they read the same in every font, e-mail notification and screen reader.
            const mark = c.denied ? "**denied gain**" : c.change;
            const role = `**${cell(c.role.name)}** ${c.role.id ? code(c.role.id) : "(new)"}`;
            const place = c.place.type === "account" ? "the account" : cell(placeLabel(c.place));
            table.push(`| ${mark} | ${role} | ${place} | ${cell(how(c))} | ${c.declarations.map((d) => code(declarationLabel(d))).join(" ")} |`);
        }
        if (fold || changes.length > FOLD_ROWS) lines.push(`<details><summary>${changes.length} changes</summary>`, "", ...table, "", "</details>");
        else lines.push(...table);
    }
    const customRoles = uniqueRoles(r.changes.map((c) => c.role).filter((role) => role.custom));
    if (customRoles.length) {
        lines.push("", "#### Custom roles in this review", "");
        for (const role of customRoles) lines.push(`- **${cell(role.name)}** ${role.id ? code(role.id) : "(new)"}: ${(role.systemPolicyIds ?? []).map(code).join(", ") || "no system policies"}`);
    }
    if (r.roleChanges.length) {
        lines.push("", "#### Custom roles whose policies change", "");
        for (const rc of r.roleChanges) {
            const policies = [...rc.addedPolicyIds.map((p) => `adds ${code(p)}`), ...rc.removedPolicyIds.map((p) => `drops ${code(p)}`)].join(", ");
            lines.push(`- **${cell(rc.role.name)}** ${rc.role.id ? code(rc.role.id) : ""}: ${policies}; held by ${cell(rc.holders.map(principalLabel).join(", ") || "no one")} (${code(declarationLabel(rc.declaration))})`);
        }
    }
    if (r.policyChanges.length) {
        lines.push("", "#### Custom policies", "");
        for (const p of r.policyChanges) lines.push(`- ${p.change} **${cell(p.name)}** (${cell(p.place.name)}), for ${cell(p.appliesTo.join(", ") || "no one")} (${code(declarationLabel(p.declaration))})`);
    }
    const lists: string[] = [];
    appendLists(lists, r, (s) => `- ${cell(s)}`);
    for (const l of lists) lines.push(/^[A-Z]/.test(l) ? `#### ${l.replace(/:$/, "")}` : l);
    return `${lines.join("\n")}\n`;
}

function uniqueRoles(roles: RoleView[]): RoleView[] {
    const seen = new Map<string, RoleView>();
    for (const role of roles) seen.set(`${role.id ?? ""}|${role.name}`, role);
    return [...seen.values()];
}

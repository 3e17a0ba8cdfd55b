// The access matrix as text: a terminal table, Markdown, CSV (csv-stringify; one line per principal, place and
// role or policy, for spreadsheets) and a self-contained HTML page for audits. The terminal table is drawn here:
// cli-table3 took 421 s for the matrix of a 1000-grant account (this takes milliseconds).
import { stringify } from "csv-stringify/sync";
import type { IneffectiveGrant } from "../provider/validation/effect";
import type { AccessMatrix, Column, Entry } from "./accessMatrix";

export const FORMATS = ["table", "md", "csv", "html"] as const;
export type Format = (typeof FORMATS)[number];

/** "Upload manager (via group Designers)", "policy: Read products", "Viewer (inherited from acme-prod:marketing)" */
export function entryText(matrix: AccessMatrix, entry: Entry, column: Column): string {
    const folderLabel = (id: string) => matrix.columns.find((c) => c.key === `${column.key.split("/")[0]}/${id}`)?.label ?? id;
    const how = [entry.viaGroup ? `via group ${entry.viaGroup}` : "", entry.inheritedFrom ? `inherited from ${folderLabel(entry.inheritedFrom)}` : ""].filter(Boolean);
    return `${entry.kind === "policy" ? "policy: " : ""}${entry.name}${how.length ? ` (${how.join(", ")})` : ""}`;
}

function cellTexts(matrix: AccessMatrix, rowKey: string, column: Column): string[] {
    return (matrix.cells.get(rowKey)?.get(column.key) ?? []).map((e) => entryText(matrix, e, column));
}

function grid(matrix: AccessMatrix, join: (texts: string[]) => string): string[][] {
    return matrix.rows.map((row) => [row.label, ...matrix.columns.map((c) => join(cellTexts(matrix, row.key, c)))]);
}

const WARNINGS_TITLE = "Grants that do nothing";

/** "group-member-without-environment: group Designers holds ..." */
const warningText = (w: IneffectiveGrant) => `${w.code}: ${w.message}`;

export function render(matrix: AccessMatrix, format: Format, title: string): string {
    const head = ["principal", ...matrix.columns.map((c) => c.label)];
    const warnings = matrix.warnings;
    switch (format) {
        case "table": {
            const list = warnings.length ? `\n${WARNINGS_TITLE} (${warnings.length}):\n${warnings.map((w) => `- ${warningText(w)}`).join("\n")}\n` : "";
            return `${title}\n${boxTable([head, ...grid(matrix, (t) => t.join("\n"))])}${list}`;
        }
        case "md": {
            const cell = (s: string) => s.replace(/\|/g, "\\|");
            const lines = [head, head.map(() => "---"), ...grid(matrix, (t) => t.map(cell).join("<br>"))];
            const list = warnings.length ? `\n## ${WARNINGS_TITLE}\n\n${warnings.map((w) => `- **${w.code}**: ${w.message}`).join("\n")}\n` : "";
            return `# ${title}\n\n${lines.map((l) => `| ${l.join(" | ")} |`).join("\n")}\n${list}`;
        }
        case "csv":
            return stringify([
                ["principal_type", "principal_id", "principal", "where", "kind", "name", "id", "via_group", "inherited_from", "message"],
                ...matrix.rows.flatMap((row) =>
                    matrix.columns.flatMap((c) => (matrix.cells.get(row.key)?.get(c.key) ?? []).map((e) => [row.principalType, row.principalId, row.label, c.label, e.kind, e.name, e.id, e.viaGroup ?? "", e.inheritedFrom ?? "", ""])),
                ),
                ...warningRows(matrix),
            ]);
        case "html":
            return html(matrix, title);
    }
}

/** One line per warning and principal concerned (one without a principal for a role nobody holds). */
function warningRows(matrix: AccessMatrix): string[][] {
    const labels = new Map(matrix.rows.map((r) => [r.key, r.label]));
    const where = (w: IneffectiveGrant) => (w.productEnvironmentId ? (matrix.columns.find((c) => c.key === w.productEnvironmentId)?.label ?? w.productEnvironmentId) : w.grant ? "account" : "");
    return matrix.warnings.flatMap((w) => {
        const principals = w.principals.length ? w.principals : [undefined];
        return principals.map((p) => {
            const label = p ? (labels.get(`${p.principalType}:${p.principalId}`) ?? p.name ?? p.principalId) : "";
            return [p?.principalType ?? "", p?.principalId ?? "", label, where(w), "warning", w.code, w.roleId, "", "", w.message];
        });
    });
}

/** A box-drawn table whose cells may hold several lines. */
function boxTable(rows: string[][]): string {
    const lines = rows.map((row) => row.map((cell) => cell.split("\n")));
    const widths = rows[0].map((_, c) => Math.max(...lines.map((row) => Math.max(...row[c].map((l) => l.length)))));
    const rule = (left: string, middle: string, right: string) => `${left}${widths.map((w) => "─".repeat(w + 2)).join(middle)}${right}`;
    const body = lines.map((row) => {
        const height = Math.max(...row.map((cell) => cell.length));
        return Array.from({ length: height }, (_, i) => `│ ${row.map((cell, c) => (cell[i] ?? "").padEnd(widths[c])).join(" │ ")} │`).join("\n");
    });
    return [rule("┌", "┬", "┐"), body.join(`\n${rule("├", "┼", "┤")}\n`), rule("└", "┴", "┘")].join("\n") + "\n";
}

function warningsHtml(matrix: AccessMatrix): string {
    if (!matrix.warnings.length) return "";
    const items = matrix.warnings.map((w) => `<li data-code="${escape(w.code)}"><code>${escape(w.code)}</code>: ${escape(w.message)}</li>`).join("\n");
    return `\n<h2>${WARNINGS_TITLE}</h2>\n<ul class="warnings">\n${items}\n</ul>\n`;
}

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function html(matrix: AccessMatrix, title: string): string {
    const header = matrix.columns.map((c) => `<th class="${c.kind}" data-column="${escape(c.key)}">${escape(c.label)}</th>`).join("");
    const body = matrix.rows
        .map((row) => {
            const cells = matrix.columns.map((c) => {
                const entries = (matrix.cells.get(row.key)?.get(c.key) ?? []).map((e) => {
                    const classes = [e.kind, e.viaGroup ? "via" : "", e.inheritedFrom ? "inherited" : ""].filter(Boolean).join(" ");
                    return `<div class="${classes}">${escape(entryText(matrix, e, c))}</div>`;
                });
                return `<td data-column="${escape(c.key)}">${entries.join("")}</td>`;
            });
            return `<tr data-principal="${escape(row.key)}"><th scope="row">${escape(row.label)}</th>${cells.join("")}</tr>`;
        })
        .join("\n");
    return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title>
<style>
body { font: 14px/1.4 system-ui, sans-serif; margin: 24px; color: #1b1f24; }
h1 { font-size: 20px; }
table { border-collapse: collapse; }
th, td { border: 1px solid #c9d1d9; padding: 6px 8px; vertical-align: top; text-align: left; }
thead th { background: #24292f; color: #fff; position: sticky; top: 0; }
thead th.folder { background: #57606a; }
tbody th { background: #f6f8fa; white-space: nowrap; }
.role { background: #ddf4ff; border-radius: 4px; padding: 1px 6px; margin: 2px 0; }
.policy { background: #fff8c5; border-radius: 4px; padding: 1px 6px; margin: 2px 0; }
.via, .inherited { font-style: italic; }
.legend span { margin-right: 12px; }
.warnings { padding: 0; max-width: 1100px; }
.warnings li { background: #fff1e5; border-left: 4px solid #bc4c00; padding: 4px 8px; margin: 4px 0; list-style: none; }
.warnings code { font-weight: 600; }
</style></head>
<body><h1>${escape(title)}</h1>
<p class="legend"><span class="role">role</span><span class="policy">custom policy</span><span class="role via">through a group or inherited from a parent folder</span></p>
<table><thead><tr><th>principal</th>${header}</tr></thead>
<tbody>
${body}
</tbody></table>${warningsHtml(matrix)}</body></html>
`;
}

// Pages of the listings the specs page (see the README's "Paging"): cursor pages (next_cursor, then cursor or
// next_cursor in the next request) and numbered pages (page, page_size). The server's page size is set at start
// and by the /_emulator/page-size control; unset, a listing is one page unless the request asks for less.
import { invalid } from "./problems";

/** The server's page size: the value given at start, overridden by the control until it is cleared. */
export class PageSizeSetting {
    private override: number | undefined;

    constructor(readonly initial?: number) {}

    /** undefined: every entry on one page. */
    get current(): number | undefined {
        return this.override ?? this.initial;
    }

    set(size: number): void {
        this.override = size;
    }

    /** Back to the value given at start. */
    clear(): void {
        this.override = undefined;
    }
}

/** A page size as `--page-size`, the control and CLOUDINARY_EMULATOR_PAGE_SIZE give it: a whole number from 1. */
export function parsePageSize(value: unknown): number | string {
    const n = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
    if (typeof n !== "number" || !Number.isInteger(n) || n < 1) return `a page size is a whole number from 1; got ${JSON.stringify(value)}`;
    return n;
}

// The cursor is opaque to clients, as the real ones are: an offset into the sorted listing, encoded.
const encodeCursor = (offset: number) => Buffer.from(`offset:${offset}`).toString("base64url");

/** A cursor past the end (the listing shrank between pages) reads as an empty last page. */
function decodeCursor(field: string, cursor: string): number {
    const m = /^offset:([1-9]\d*)$/.exec(Buffer.from(cursor, "base64url").toString("utf8"));
    if (!m) throw invalid(field, cursor, "not a cursor this listing gave");
    return Number(m[1]);
}

export interface CursorPage<T> {
    items: T[];
    /** Absent on the last page. */
    nextCursor?: string;
}

/**
 * The page of `items` that starts at `cursor` (the first page without one), `size` entries long (all of them
 * when undefined). `field` names the request's cursor parameter in the error for a cursor that does not fit.
 */
export function cursorPage<T>(items: readonly T[], cursor: string | undefined, size: number | undefined, field = "cursor"): CursorPage<T> {
    const start = cursor ? decodeCursor(field, cursor) : 0;
    const end = size === undefined ? items.length : start + size;
    return { items: items.slice(start, end), ...(end < items.length ? { nextCursor: encodeCursor(end) } : {}) };
}

/** Page `page` (from 1) of `items`, `size` entries a page (all on page 1 when undefined); empty past the end. */
export function numberedPage<T>(items: readonly T[], page: number, size: number | undefined): T[] {
    if (size === undefined) return page === 1 ? [...items] : [];
    return items.slice((page - 1) * size, page * size);
}

/** A page number or page size from a request: a whole number from 1, or the problem naming the parameter. */
export function positive(field: string, value: unknown): number | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value !== "number" || !Number.isInteger(value) || value < 1) throw invalid(field, value, "a whole number from 1");
    return value;
}

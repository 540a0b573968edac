// Page arithmetic for admin lists: pure, so it is tested without a database.
export const PAGE_SIZE = 20;

/** Above this many records a picker becomes a text box (slug or email), so no form loads a whole table. */
export const PICKER_LIMIT = 200;

export interface Choice {
  value: string;
  label: string;
}

/** A picker's choices, or null (a text box instead) when there are more than PICKER_LIMIT records. */
export async function pickerChoices<T>(
  list: (limit: number) => Promise<T[]>,
  toChoice: (row: T) => Choice,
): Promise<Choice[] | null> {
  const rows = await list(PICKER_LIMIT + 1);
  return rows.length > PICKER_LIMIT ? null : rows.map(toChoice);
}

export interface Page<T> {
  rows: T[];
  total: number;
  /** The page shown, clamped to 1..pageCount. */
  page: number;
  pageSize: number;
  pageCount: number;
}

/** `?page=N` from the URL: anything but a positive whole number is page 1. */
export function parsePage(value: string | string[] | undefined): number {
  const raw = Array.isArray(value) ? value[0] : value;
  if (!raw || !/^\d{1,9}$/.test(raw)) return 1;
  return Math.max(1, Number(raw));
}

/** Clamps a requested page to the pages that exist (an empty list has one, empty, page). */
export function pageWindow(total: number, requested: number, pageSize = PAGE_SIZE) {
  const pageCount = Math.max(1, Math.ceil(total / pageSize));
  const page = Math.min(Math.max(1, requested), pageCount);
  return { page, pageCount, pageSize, skip: (page - 1) * pageSize };
}

/** One page of `total` rows: clamps the requested page and reads its rows with `read`. */
export async function pageOf<T>(
  total: number,
  requested: number,
  read: (window: { skip: number; take: number }) => Promise<T[]>,
): Promise<Page<T>> {
  const { page, pageCount, pageSize, skip } = pageWindow(total, requested);
  return { rows: await read({ skip, take: pageSize }), total, page, pageSize, pageCount };
}

/** Page numbers to link to: first, last, and two either side of the current page; null marks a gap. */
export function pageLinks(page: number, pageCount: number): Array<number | null> {
  const wanted = new Set([1, pageCount]);
  for (let n = page - 2; n <= page + 2; n++) if (n >= 1 && n <= pageCount) wanted.add(n);
  const sorted = [...wanted].sort((a, b) => a - b);
  const out: Array<number | null> = [];
  for (const n of sorted) {
    const last = out.at(-1);
    if (typeof last === 'number' && n - last > 1) out.push(null);
    out.push(n);
  }
  return out;
}

/** "1 user", "41 users". */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}

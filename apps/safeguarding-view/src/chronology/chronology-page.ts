import type { Pool } from '@jigsaw/database';
import type { ChildAccess, Viewer } from '@jigsaw/sharing';
import {
  type ShownRecord,
  ledgerOf,
  toEntry,
  visibleRecords,
  type ChronologyEntry,
  type VisibleRecord,
} from '@jigsaw/view-model';
import type { ChronologyCursor, ChronologyPageRequest } from './chronology-query.js';
import { controlRowsOf, readEntryRows, type PositionedRow } from './chronology.reads.js';

/** Rows read per round trip: a page of mostly hidden rows reads on until it is full. */
const MIN_FETCH = 50;
const MAX_FETCH = 500;

export interface ChronologyPage {
  entries: ChronologyEntry[];
  shown: ShownRecord[];
  /** Where the next page starts; absent when this page reached the end. */
  next?: ChronologyCursor;
}

/**
 * One page of the entries this viewer may see, in order, so that a next page is never empty: the page
 * and one more entry. The ledger holds the page's rows and all the child's control events, so a
 * retraction recorded pages later still hides its record here.
 *
 * `rows` are all the child's rows, as the access gate read them: a page without filters is cut from
 * them after the cursor's row. With filters (or a cursor whose row has gone, erased meanwhile), rows are
 * read in chunks after the cursor with the filters in SQL, and cut until the page is full.
 */
export async function readChronologyPage(
  pool: Pool,
  schema: string,
  members: readonly string[],
  viewer: Viewer,
  request: ChronologyPageRequest,
  now: Date,
  access: ChildAccess,
  rows: readonly PositionedRow[],
): Promise<ChronologyPage> {
  const { limit, ...filters } = request;
  const unfiltered = !filters.agencies && !filters.types && !filters.from && !filters.to;
  const start = filters.after ? rows.findIndex((row) => samePosition(row.position, filters.after!)) + 1 : 0;
  const cursorFound = !filters.after || start > 0;
  // The child's rows hold every control event, each once: their ledger is the one every page reads.
  if (unfiltered && cursorFound) {
    return pageOf(visibleRecords(viewer, rows.slice(start), ledgerOf(rows), now, access), limit);
  }
  const controls = controlRowsOf(rows);
  const page: VisibleRecord[] = [];
  let after = filters.after;
  // Read on until the page is full and one more entry shows (so there is a next page), or the rows end.
  for (;;) {
    const wanted = limit + 1 - page.length;
    const fetch = Math.min(MAX_FETCH, Math.max(MIN_FETCH, 2 * wanted + 1));
    const rows: PositionedRow[] = await readEntryRows(
      pool,
      schema,
      members,
      { ...filters, ...(after ? { after } : {}) },
      fetch,
    );
    page.push(
      ...visibleRecords(viewer, rows, ledgerOf([...rows, ...controls]), now, access).slice(0, wanted),
    );
    if (page.length > limit || rows.length < fetch) break;
    after = rows.at(-1)!.position;
  }
  return pageOf(page, limit);
}

const samePosition = (a: ChronologyCursor, b: ChronologyCursor): boolean => a.at === b.at && a.key === b.key;

/** The first `limit` of the visible entries, and where the next page starts when there are more. */
function pageOf(visible: readonly VisibleRecord[], limit: number): ChronologyPage {
  const page = visible.slice(0, limit);
  const last = page.at(-1)?.row as PositionedRow | undefined;
  return {
    entries: page.map(toEntry),
    shown: page.map((v) => v.shown),
    ...(visible.length > limit && last ? { next: last.position } : {}),
  };
}

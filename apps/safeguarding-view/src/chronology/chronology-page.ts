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
import { readControlRows, readEntryRows, type PositionedRow } from './chronology.reads.js';

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
 * One page of the entries this viewer may see, in order. Rows are read in chunks after the cursor and
 * cut by the sharing policy until the page is full and one more entry shows, so a next page is never
 * empty; the ledger holds the page's rows and all the child's control events, so a retraction
 * recorded pages later still hides its record here.
 */
export async function readChronologyPage(
  pool: Pool,
  schema: string,
  members: readonly string[],
  viewer: Viewer,
  request: ChronologyPageRequest,
  now: Date,
  access: ChildAccess,
): Promise<ChronologyPage> {
  const controls = await readControlRows(pool, schema, members);
  const { limit, ...filters } = request;
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
  const more = page.length > limit;
  page.splice(limit);
  const last = page.at(-1)?.row as PositionedRow | undefined;
  return {
    entries: page.map(toEntry),
    shown: page.map((v) => v.shown),
    ...(more && last ? { next: last.position } : {}),
  };
}

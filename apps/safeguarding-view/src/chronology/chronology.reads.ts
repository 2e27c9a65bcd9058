import type { Pool } from '@jigsaw/database';
import { CONTROL_EVENT_TYPES, SHARING_DECLINED_ACTION } from '@jigsaw/sharing';
import {
  EVENT_COLUMNS,
  fullEvent,
  type ChildLookup,
  type ChronologyRow,
  type StoredChronologyRow,
} from '@jigsaw/view-model';
import type { ChronologyCursor, ChronologyPageRequest } from './chronology-query.js';

interface Row extends StoredChronologyRow {
  occurred_at: Date;
}

/** A row with its place in the chronology's order, for the next page's cursor. */
export interface PositionedRow extends ChronologyRow {
  position: ChronologyCursor;
}

/** Control events shape other records; the ledger needs every one of them for the child. */
const CONTROL_TYPES: readonly string[] = [...CONTROL_EVENT_TYPES];
/** Control events that are entries in their own right (decisions not to share) are not among these. */
const NOT_ENTRIES = CONTROL_EVENT_TYPES.filter((type) => !type.endsWith(`.${SHARING_DECLINED_ACTION}`));

const toRow = (row: Row): ChronologyRow => ({
  occurredAt: row.occurred_at,
  recordedAt: row.recorded_at,
  event: fullEvent(row),
});

/** Each row's place in the chronology's order, as the cursor carries it (microseconds, in UTC). */
const POSITION = `to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS position_at`;

type PositionRow = Row & { position_at: string };

const toPositionedRow = (row: PositionRow): PositionedRow => ({
  ...toRow(row),
  position: { at: row.position_at, key: row.event_key },
});

/**
 * Every event recorded under any of `members` (the hub child ids linked into one child), in the
 * chronology's order, each with its position in it: one indexed read (chronology_by_child).
 */
export async function readChildRows(
  pool: Pool,
  schema: string,
  members: readonly string[],
): Promise<PositionedRow[]> {
  const { rows } = await pool.query<PositionRow>(
    `SELECT occurred_at, ${EVENT_COLUMNS}, ${POSITION} FROM "${schema}".chronology
     WHERE child_id = ANY($1::uuid[]) ORDER BY occurred_at, event_key`,
    [members],
  );
  return rows.map(toPositionedRow);
}

/** The control events (corrections, retractions, restrictions, markers) among a child's rows. */
export function controlRowsOf<R extends ChronologyRow>(rows: readonly R[]): R[] {
  return rows.filter((row) => CONTROL_TYPES.includes(row.event.type));
}

/**
 * Up to `fetch` entry rows after `after`, in order, with the page's filters applied in SQL. Only the
 * clauses in use are written, so the row comparison can bound the index scan.
 */
export async function readEntryRows(
  pool: Pool,
  schema: string,
  members: readonly string[],
  request: Omit<ChronologyPageRequest, 'limit'>,
  fetch: number,
): Promise<PositionedRow[]> {
  const params: unknown[] = [members, NOT_ENTRIES];
  const where = ['child_id = ANY($1::uuid[])', 'type <> ALL($2::text[])'];
  const param = (value: unknown): string => {
    params.push(value);
    return `$${params.length}`;
  };
  if (request.after) {
    where.push(
      `(occurred_at, event_key) > (${param(request.after.at)}::timestamptz, ${param(request.after.key)}::text)`,
    );
  }
  if (request.agencies) where.push(`agency = ANY(${param(request.agencies)}::text[])`);
  if (request.types) where.push(`type = ANY(${param(request.types)}::text[])`);
  if (request.from) where.push(`occurred_at >= ${param(request.from)}::timestamptz`);
  if (request.to)
    where.push(`occurred_at ${request.to.inclusive ? '<=' : '<'} ${param(request.to.at)}::timestamptz`);
  const { rows } = await pool.query<PositionRow>(
    `SELECT occurred_at, ${EVENT_COLUMNS}, ${POSITION}
     FROM "${schema}".chronology
     WHERE ${where.join(' AND ')}
     ORDER BY occurred_at, event_key
     LIMIT ${param(fetch)}`,
    params,
  );
  return rows.map(toPositionedRow);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** How the request named the child, for the access log (never the identifier itself). */
export function lookupOf(ref: string): ChildLookup {
  return UUID.test(ref) ? 'hub-child-id' : 'nhs-number';
}

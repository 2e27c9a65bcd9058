import type { PoolClient } from '@jigsaw/database';
import { agencyOfSource, isHubSource, type RecordedEvent } from '@jigsaw/envelope';
import { erasePersonalData, isChildErased, type ProtectedEvent } from '@jigsaw/erasure';
import { eventKeyOf, type Projection } from '@jigsaw/projection';
import { asTyped } from '@jigsaw/contracts';
import { compactEvent, EVENT_COLUMNS, fullEvent, type StoredChronologyRow } from './chronology-event.js';

/** When the recorded thing happened: the data's own time where it has one, else the envelope's. */
export function occurredAtOf(event: RecordedEvent): string {
  const data = asTyped(event)?.data;
  return data && 'occurredAt' in data && typeof data.occurredAt === 'string' ? data.occurredAt : event.time;
}

/** From how many events a batch is inserted under a generic plan. */
const GENERIC_PLAN_FROM = 100;

export const chronologyProjection: Projection = {
  name: 'chronology',
  // Rows are the child's own events; an erasure (`childid` the erased child) touches that child's alone.
  perChild: true,
  async apply(tx: PoolClient, event: RecordedEvent): Promise<void> {
    await this.applyMany!(tx, [event]);
  },
  async applyMany(tx: PoolClient, all: readonly RecordedEvent[]): Promise<void> {
    for (const erased of all.filter(isChildErased))
      await eraseChild(tx, erased.data.childId, erased.data.erasedAt);
    // The hub's own events are about the records, not entries in them.
    const events = all.filter((e) => !isHubSource(e.source));
    if (events.length === 0) return;
    // Planned for these values, each parameter becomes a constant the planner copies whole, several times:
    // megabytes a batch. A generic plan reads the parameters where they are; its choices are the same here.
    const generic = events.length >= GENERIC_PLAN_FROM;
    if (generic) await tx.query('SET LOCAL plan_cache_mode = force_generic_plan');
    // The events travel compact (chronology-event.ts) as one JSON array, not an array of json: no per-element
    // quoting either side. The column is json, kept as the text given: no jsonb to build on the way in, nor
    // text to make of it again at each read. The array's elements zip with the other columns by position;
    // they pass through a tuplestore (a temporary file past work_mem, measured to cost nothing next to jsonb's build).
    await tx.query(
      `INSERT INTO chronology (event_key, child_id, agency, source, type, occurred_at, recorded_at, event)
       SELECT * FROM ROWS FROM (unnest($1::text[]), unnest($2::uuid[]), unnest($3::text[]), unnest($4::text[]),
                                unnest($5::text[]), unnest($6::timestamptz[]), unnest($7::timestamptz[]),
                                json_array_elements($8::json))
       ON CONFLICT (event_key) DO NOTHING`,
      [
        events.map(eventKeyOf),
        events.map((e) => e.childid),
        events.map((e) => agencyOfSource(e.source) ?? 'unknown'),
        events.map((e) => e.source),
        events.map((e) => e.type),
        events.map(occurredAtOf),
        events.map((e) => e.recordedtime),
        JSON.stringify(events.map(compactEvent)),
      ],
    );
    if (generic) await tx.query('SET LOCAL plan_cache_mode TO DEFAULT');
  },
};

/**
 * hub.child-erased: the child's personal fields in every entry recorded until then give way to the erased
 * marker. Entries of that time arriving later come opened already, as erased, since their keys are gone;
 * entries recorded after it are under a new key, and stay, whichever topic Kafka delivers first.
 */
async function eraseChild(tx: PoolClient, childId: string, erasedAt: string): Promise<void> {
  const { rows } = await tx.query<StoredChronologyRow>(
    `SELECT ${EVENT_COLUMNS} FROM chronology WHERE child_id = $1 AND recorded_at <= $2 FOR UPDATE`,
    [childId, erasedAt],
  );
  if (rows.length === 0) return;
  await tx.query(
    `UPDATE chronology c SET event = u.event
     FROM ROWS FROM (unnest($1::text[]), json_array_elements($2::json)) AS u(event_key, event)
     WHERE c.event_key = u.event_key`,
    [
      rows.map((r) => r.event_key),
      JSON.stringify(rows.map((r) => compactEvent(erasePersonalData(fullEvent<ProtectedEvent>(r))))),
    ],
  );
}

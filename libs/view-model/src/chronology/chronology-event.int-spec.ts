import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { withTransaction } from '@jigsaw/database';
import { agencyOfSource, isHubSource, type RecordedEvent } from '@jigsaw/envelope';
import { appliedEventsMigrations, applyBatch, eventKeyOf } from '@jigsaw/projection';
import { createTestDatabase, type TestDatabase } from '@jigsaw/testing';
import { viewMigrations } from '../view-schema.js';
import { chronologyEvents } from './chronology-event.arbitrary.js';
import { EVENT_COLUMNS, fullEvent, type StoredChronologyRow } from './chronology-event.js';
import { chronologyProjection, occurredAtOf } from './chronology.projection.js';

const COMPACT = 'view_compact';
const BEFORE = 'view_before';
const MIGRATION = '100_chronology_compact_event.sql';

describe('the chronology event on PostgreSQL', () => {
  let db: TestDatabase;
  let migration: string;

  beforeAll(async () => {
    db = await createTestDatabase(
      [COMPACT, BEFORE].flatMap((schema) => [appliedEventsMigrations(schema), viewMigrations(schema)]),
    );
    migration = readFileSync(join(viewMigrations(BEFORE).directory, MIGRATION), 'utf8');
  });
  afterAll(async () => db?.drop());

  /** A row as the chronology wrote it before its event was compact: the whole event. */
  const writeWhole = (events: readonly RecordedEvent[]) =>
    db.pool.query(
      `INSERT INTO "${BEFORE}".chronology (event_key, child_id, agency, source, type, occurred_at, recorded_at, event)
       SELECT * FROM ROWS FROM (unnest($1::text[]), unnest($2::uuid[]), unnest($3::text[]), unnest($4::text[]),
                                unnest($5::text[]), unnest($6::timestamptz[]), unnest($7::timestamptz[]),
                                json_array_elements($8::json))`,
      [
        events.map(eventKeyOf),
        events.map((e) => e.childid),
        events.map((e) => agencyOfSource(e.source)),
        events.map((e) => e.source),
        events.map((e) => e.type),
        events.map(occurredAtOf),
        events.map((e) => e.recordedtime),
        JSON.stringify(events),
      ],
    );

  const read = async (
    schema: string,
    events: readonly RecordedEvent[],
  ): Promise<Map<string, RecordedEvent>> => {
    const { rows } = await db.pool.query<StoredChronologyRow>(
      `SELECT ${EVENT_COLUMNS} FROM "${schema}".chronology WHERE event_key = ANY($1)`,
      [events.map(eventKeyOf)],
    );
    return new Map(rows.map((row) => [row.event_key, fullEvent(row)]));
  };

  it('reads every event back whole, whether stored compact or stored whole and then migrated, and both store the same', async () => {
    // The chronology's own entries: agency records, control events and erased records (not the hub's events).
    const entries = fc.uniqueArray(
      chronologyEvents(fc).filter((e) => !isHubSource(e.source)),
      { minLength: 1, maxLength: 20, selector: eventKeyOf },
    );
    let run = 0;
    await fc.assert(
      fc.asyncProperty(entries, async (drawn) => {
        // Fresh keys each run, shrinking included: both schemas keep the rows of every run before.
        run += 1;
        const events = drawn.map((e) => ({ ...e, id: `${e.id}-run-${run}` }));
        expect(await applyBatch(db.pool, COMPACT, [chronologyProjection], events)).toBe(events.length);
        await writeWhole(events);
        // Run again over rows it compacted in earlier runs: it changes nothing there.
        await withTransaction(db.pool, async (tx) => {
          await tx.query(`SET LOCAL search_path TO "${BEFORE}", public`);
          await tx.query(migration);
        });
        const [compact, migrated] = [await read(COMPACT, events), await read(BEFORE, events)];
        for (const event of events) {
          // As a reader of the whole event saw it: plain JSON.
          const whole: unknown = JSON.parse(JSON.stringify(event));
          expect(compact.get(eventKeyOf(event))).toStrictEqual(whole);
          expect(migrated.get(eventKeyOf(event))).toStrictEqual(whole);
        }
        // What `rebuild --compare` compares: every column but when the row was projected, the event by value.
        const { rows: differing } = await db.pool.query(
          `SELECT c.event_key FROM "${COMPACT}".chronology c JOIN "${BEFORE}".chronology b USING (event_key)
           WHERE c.event_key = ANY($1) AND (c.event::jsonb, c.child_id, c.agency, c.source, c.type, c.occurred_at, c.recorded_at)
             IS DISTINCT FROM (b.event::jsonb, b.child_id, b.agency, b.source, b.type, b.occurred_at, b.recorded_at)`,
          [events.map(eventKeyOf)],
        );
        expect(differing).toEqual([]);
      }),
      { numRuns: 40 },
    );
  });
});

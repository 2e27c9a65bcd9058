import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SchemaRegistry, type RecordedEvent } from '@jigsaw/envelope';
import { childErased } from '@jigsaw/erasure';
import { EVENT_STORE_MIGRATIONS, PostgresEventStore } from '@jigsaw/event-store';
import { runMigrations } from '@jigsaw/database';
import {
  appliedEventsMigrations,
  applyBatch,
  eventKeyOf,
  laneOf,
  ProjectionRunner,
  rebuild,
} from '@jigsaw/projection';
import { aRecordedEvent, createTestDatabase, METROPOLITAN_POLICE, type TestDatabase } from '@jigsaw/testing';
import { viewMigrations } from '../view-schema.js';
import { compactEvent, EVENT_COLUMNS, fullEvent, type StoredChronologyRow } from './chronology-event.js';
import { chronologyProjection } from './chronology.projection.js';

const LIVE = 'view_live';
const REBUILT = 'view_rebuilt';

describe('chronology projection', () => {
  let db: TestDatabase;
  let runner: ProjectionRunner;

  beforeAll(async () => {
    db = await createTestDatabase([
      EVENT_STORE_MIGRATIONS,
      ...[LIVE, REBUILT].flatMap((schema) => [appliedEventsMigrations(schema), viewMigrations(schema)]),
    ]);
    runner = new ProjectionRunner(db.pool, LIVE, [chronologyProjection], new SchemaRegistry());
  });
  afterAll(async () => db.drop());

  const rows = async (schema: string, childId?: string): Promise<unknown[]> =>
    (
      await db.pool.query<Record<string, unknown>>(
        `SELECT event_key, child_id, agency, source, type, occurred_at, recorded_at, event
         FROM "${schema}".chronology ${childId ? 'WHERE child_id = $1' : ''} ORDER BY event_key`,
        childId ? [childId] : [],
      )
    ).rows;

  it('changes nothing when the same event arrives twice', async () => {
    const event = aRecordedEvent();
    expect(await runner.apply(event)).toBe(true);
    const once = await rows(LIVE, event.childid);
    expect(await runner.apply(event)).toBe(false);
    expect(await runner.apply({ ...event })).toBe(false);
    expect(await rows(LIVE, event.childid)).toEqual(once);
    expect(once).toHaveLength(1);
  });

  it('keeps each event whole, on the row of its own key and columns, in batches of either size', async () => {
    // Text that JSON escapes, and text beyond ASCII, in events of differing lengths.
    const tricky = ['quote " and backslash \\', 'tab\tnew\nline', 'Zoë Ørsted 学校 🧒', '</script>'];
    for (const size of [1, 150]) {
      const events = Array.from({ length: size }, (_, i) => {
        const event = aRecordedEvent({ source: i % 2 ? METROPOLITAN_POLICE : 'urn:jigsaw:org:police:kent' });
        return {
          ...event,
          data: { ...(event.data as object), note: tricky[i % tricky.length]!.repeat(i % 7) },
        };
      });
      expect(await applyBatch(db.pool, LIVE, [chronologyProjection], events)).toBe(size);
      const { rows: stored } = await db.pool.query<StoredChronologyRow>(
        `SELECT ${EVENT_COLUMNS} FROM "${LIVE}".chronology WHERE event_key = ANY($1)`,
        [events.map(eventKeyOf)],
      );
      const byKey = new Map(stored.map((r) => [r.event_key, r]));
      for (const event of events) {
        const row = byKey.get(eventKeyOf(event))!;
        expect({ ...row, event: fullEvent(row) }).toEqual({
          event_key: eventKeyOf(event),
          child_id: event.childid,
          source: event.source,
          type: event.type,
          recorded_at: new Date(event.recordedtime),
          event,
        });
        // Stored compact: what the columns hold is not kept twice.
        expect(row.event).toEqual(compactEvent(event));
        for (const attribute of [
          'specversion',
          'id',
          'source',
          'type',
          'dataschema',
          'childid',
          'recordedtime',
        ])
          expect(row.event).not.toHaveProperty(attribute);
      }
    }
  });

  it('rebuilds from the store into another schema exactly what live consumption built', async () => {
    const store = new PostgresEventStore(db.pool);
    const childId = aRecordedEvent().childid;
    const events = Array.from({ length: 190 }, () => aRecordedEvent({ childid: childId }));
    await store.append(`police-${childId}`, events, { expectedVersion: 'no-stream' });
    for (const event of events) await runner.apply(event);
    // Batches of both sizes: below and from the one at which the insert is planned generically.
    // Replay twice: the second pass must find everything applied already.
    const first = await rebuild(db.pool, store, REBUILT, [chronologyProjection], { batchSize: 120 });
    expect(first.events).toBe(190);
    expect(await applyBatch(db.pool, REBUILT, [chronologyProjection], events)).toBe(0);
    expect(await rows(REBUILT, childId)).toEqual(await rows(LIVE, childId));
  });

  it('rebuilds many children in concurrent lanes, erasures included, to what live consumption built', async () => {
    const [live, rebuilt] = ['view_lanes_live', 'view_lanes_rebuilt'];
    await runMigrations(
      db.pool,
      [live, rebuilt].flatMap((s) => [appliedEventsMigrations(s), viewMigrations(s)]),
    );
    const store = new PostgresEventStore(db.pool);
    const children: string[] = [];
    while (new Set(children.map((c) => laneOf(c, 2))).size < 2 || children.length < 8)
      children.push(aRecordedEvent().childid);
    const erased = children.slice(0, 2);
    const at = new Date(Date.now() + 60_000);
    const recorded: RecordedEvent[] = [];
    for (const childid of children) {
      const events = Array.from({ length: 30 }, () => aRecordedEvent({ childid }));
      await store.append(`police-${childid}`, events, { expectedVersion: 'no-stream' });
      recorded.push(...events);
    }
    for (const childId of erased) {
      const erasure = childErased(
        childId,
        [1],
        { userId: 'dpo', role: 'data-protection-officer', organisation: 'hub' },
        'request',
        at,
      );
      await store.append(`erasure-${childId}`, [erasure], { expectedVersion: 'no-stream' });
      recorded.push(erasure);
    }
    const liveRunner = new ProjectionRunner(db.pool, live, [chronologyProjection], new SchemaRegistry());
    for (const event of recorded) await liveRunner.apply(event);
    const result = await rebuild(db.pool, store, rebuilt, [chronologyProjection], {
      batchSize: 70,
      lanes: 2,
    });
    // The store holds the other tests' events too.
    expect(result.applied).toBeGreaterThanOrEqual(recorded.length);
    const all = async (schema: string): Promise<unknown[]> =>
      (await Promise.all(children.map((c) => rows(schema, c)))).flat();
    const built = await all(rebuilt);
    expect(built).toHaveLength(children.length * 30);
    expect(built).toEqual(await all(live));
    // The erased children's entries kept nothing personal; the others' were untouched.
    const erasedEntries = (await rows(rebuilt, erased[0])) as { event: { personaldata?: unknown } }[];
    expect(erasedEntries.every((r) => r.event.personaldata !== undefined)).toBe(true);
    const kept = (await rows(rebuilt, children[2])) as { event: { personaldata?: unknown } }[];
    expect(kept.every((r) => r.event.personaldata === undefined)).toBe(true);
  });

  it('reads on after the head is reached, so events committed while it waited are not missed', async () => {
    const schema = 'view_head';
    await runMigrations(db.pool, [appliedEventsMigrations(schema), viewMigrations(schema)]);
    const store = new PostgresEventStore(db.pool);
    const childId = aRecordedEvent().childid;
    const early = Array.from({ length: 9 }, () => aRecordedEvent({ childid: childId }));
    const late = Array.from({ length: 5 }, () => aRecordedEvent({ childid: childId }));
    await store.append(`police-${childId}`, early, { expectedVersion: 'no-stream' });
    let asked = 0;
    const result = await rebuild(db.pool, store, schema, [chronologyProjection], {
      batchSize: 4,
      // The first empty read comes before these commit; the head is only reached once they have.
      reachedHead: async () => {
        if (asked++ === 0) await store.append(`police-${childId}`, late, { expectedVersion: 9 });
        return true;
      },
    });
    expect(asked).toBeGreaterThan(0);
    expect(result.events).toBeGreaterThanOrEqual(14);
    const keys = (await rows(schema, childId)).map((r) => (r as { event_key: string }).event_key);
    expect(keys.sort()).toEqual([...early, ...late].map(eventKeyOf).sort());
  });
});

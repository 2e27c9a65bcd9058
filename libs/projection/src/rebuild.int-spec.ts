import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { PoolClient } from '@jigsaw/database';
import type { RecordedEvent } from '@jigsaw/envelope';
import { aRecordedEvent, createTestDatabase, type TestDatabase } from '@jigsaw/testing';
import type { Projection } from './projection.js';
import { appliedEventsMigrations } from './projection-runner.js';
import { applyBatchInLanes, laneOf } from './rebuild.js';

const SCHEMA = 'lanes_test';

interface Application {
  event_id: string;
  child_id: string;
  times: number;
  tx: string;
  seq: string;
}

/** Records each application with the transaction it ran in, so lanes and double applications show. */
function recording(perChild: boolean, failFor: Set<string> = new Set()): Projection {
  return {
    name: 'recording',
    ...(perChild ? { perChild: true } : {}),
    async apply(tx: PoolClient, event: RecordedEvent): Promise<void> {
      if (failFor.has(event.childid)) throw new Error('this lane fails');
      await tx.query(
        `INSERT INTO applications (event_id, child_id, times, tx) VALUES ($1, $2, 1, txid_current()::text)
         ON CONFLICT (event_id) DO UPDATE SET times = applications.times + 1`,
        [event.id, event.childid],
      );
    },
  };
}

describe('applying a replay batch in lanes split by child', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase([appliedEventsMigrations(SCHEMA)]);
    await db.pool.query(
      `CREATE TABLE ${SCHEMA}.applications (event_id text PRIMARY KEY, child_id uuid NOT NULL,
         times int NOT NULL, tx text NOT NULL, seq bigserial)`,
    );
  });
  afterAll(async () => db?.drop());
  beforeEach(async () => {
    await db.pool.query(`TRUNCATE ${SCHEMA}.applications, ${SCHEMA}.applied_events`);
  });

  const applications = async (): Promise<Application[]> =>
    (await db.pool.query<Application>(`SELECT * FROM ${SCHEMA}.applications ORDER BY seq`)).rows;

  /** Children in both lanes, four events each, interleaved as a store would hold them. */
  function batchOverChildren(): { events: RecordedEvent[]; children: string[] } {
    const children: string[] = [];
    while (new Set(children.map((c) => laneOf(c, 2))).size < 2 || children.length < 6)
      children.push(aRecordedEvent().childid);
    const events = [0, 1, 2, 3].flatMap(() => children.map((childid) => aRecordedEvent({ childid })));
    return { events, children };
  }

  it('applies each child in one lane, in order, in as many transactions as lanes, each event once', async () => {
    const { events, children } = batchOverChildren();
    // Redelivered within the batch: still applied once.
    const applied = await applyBatchInLanes(db.pool, SCHEMA, [recording(true)], [...events, events[0]!], 2);
    expect(applied).toBe(events.length);
    const rows = await applications();
    expect(rows.map((r) => r.times)).toEqual(events.map(() => 1));
    expect(new Set(rows.map((r) => r.tx)).size).toBe(2);
    for (const child of children) {
      const mine = rows.filter((r) => r.child_id === child);
      expect(new Set(mine.map((r) => r.tx)).size).toBe(1);
      expect(mine.map((r) => r.event_id)).toEqual(events.filter((e) => e.childid === child).map((e) => e.id));
    }
    expect(await applyBatchInLanes(db.pool, SCHEMA, [recording(true)], events, 2)).toBe(0);
  });

  it('refuses a number of lanes that is not a whole number of at least 1, applying nothing', async () => {
    const { events } = batchOverChildren();
    for (const lanes of [0, 1.5, Number.NaN]) {
      await expect(applyBatchInLanes(db.pool, SCHEMA, [recording(true)], events, lanes)).rejects.toThrow(
        `lanes must be a whole number of at least 1, not ${lanes}`,
      );
    }
    expect(await applications()).toEqual([]);
  });

  it('applies in one transaction when a projection is not per child', async () => {
    const { events } = batchOverChildren();
    expect(await applyBatchInLanes(db.pool, SCHEMA, [recording(true), recording(false)], events, 2)).toBe(
      events.length,
    );
    const rows = await applications();
    expect(new Set(rows.map((r) => r.tx)).size).toBe(1);
    // Two projections on the same table: each event applied by each, once.
    expect(rows.map((r) => r.times)).toEqual(events.map(() => 2));
  });

  it('keeps the other lanes applied when one fails, and applies only the failed lane again', async () => {
    const { events, children } = batchOverChildren();
    const failing = children[0]!;
    const failingLane = laneOf(failing, 2);
    await expect(
      applyBatchInLanes(db.pool, SCHEMA, [recording(true, new Set([failing]))], events, 2),
    ).rejects.toThrow('this lane fails');
    const survived = events.filter((e) => laneOf(e.childid, 2) !== failingLane);
    expect((await applications()).map((r) => r.event_id).sort()).toEqual(survived.map((e) => e.id).sort());
    expect(await applyBatchInLanes(db.pool, SCHEMA, [recording(true)], events, 2)).toBe(
      events.length - survived.length,
    );
    const rows = await applications();
    expect(rows.map((r) => r.event_id).sort()).toEqual(events.map((e) => e.id).sort());
    expect(rows.every((r) => r.times === 1)).toBe(true);
  });
});

import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { EVENT_STORE_MIGRATIONS, PostgresEventStore, verifyIntegrity } from '@jigsaw/event-store';
import type { Viewer } from '@jigsaw/sharing';
import { createTestDatabase, type TestDatabase } from '@jigsaw/testing';
import { AccessLog } from './access-log.js';
import { accessStreamOf, recordAccessed } from './record-accessed.event.js';

const viewer: Viewer = {
  agency: 'police',
  organisation: 'urn:jigsaw:org:police:met',
  role: 'police-officer',
  purpose: 'safeguarding',
  userId: 'officer-1',
};

const aRead = (childId: string) =>
  recordAccessed(
    {
      id: `access-${randomUUID()}`,
      now: new Date(),
      viewer,
      view: 'child-view',
      childId,
      lookup: 'nhs-number',
    },
    [],
  );

describe('the access log over PostgreSQL', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;

  beforeAll(async () => {
    db = await createTestDatabase([EVENT_STORE_MIGRATIONS]);
    store = new PostgresEventStore(db.pool);
  });
  afterAll(async () => db.drop());

  const stored = async (streamId: string): Promise<string[]> =>
    (
      await db.pool.query<{ id: string }>(
        'SELECT id FROM event_store.events WHERE stream_id = $1 ORDER BY stream_position',
        [streamId],
      )
    ).rows.map((r) => r.id);

  it('answers each read only once its record is committed, and reads arriving together share one statement', async () => {
    const log = new AccessLog(store);
    const append = jest.spyOn(store, 'appendToStreams');
    const children = [randomUUID(), randomUUID()];
    const reads = Array.from({ length: 12 }, (_, i) => aRead(children[i % 2]!));
    try {
      await Promise.all(
        reads.map(async (event) => {
          await log.record(event);
          // Durable by the time the read may answer: another connection sees it.
          expect(await stored(accessStreamOf(event.childid))).toContain(event.id);
        }),
      );
      expect(append).toHaveBeenCalledTimes(1);
    } finally {
      append.mockRestore();
    }
    for (const childId of children) {
      expect(await stored(accessStreamOf(childId))).toEqual(
        reads.filter((r) => r.childid === childId).map((r) => r.id),
      );
    }
    // One statement for the group still chains each record onto its stream's head.
    const integrity = await verifyIntegrity(db.pool);
    expect(integrity.problems).toEqual([]);
    expect(integrity.eventsChecked).toBe(reads.length);
  });

  it('fails every read of a group whose commit fails, and records the next group', async () => {
    const log = new AccessLog(store);
    const childId = randomUUID();
    const failing = jest.spyOn(store, 'appendToStreams').mockRejectedValueOnce(new Error('disk full'));
    try {
      const first = [aRead(childId), aRead(childId)];
      const outcomes = await Promise.allSettled(first.map((event) => log.record(event)));
      expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected']);
      const next = aRead(childId);
      await log.record(next);
      expect(await stored(accessStreamOf(childId))).toEqual([next.id]);
    } finally {
      failing.mockRestore();
    }
  });
});

import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { RecordedEvent } from '@jigsaw/envelope';
import { aRecordedEvent, createTestDatabase, type TestDatabase } from '@jigsaw/testing';
import { StreamVersionConflictError } from './event-store.errors.js';
import { EVENT_STORE_MIGRATIONS, PostgresEventStore } from './postgres-event-store.js';

describe('PostgreSQL append: events and outbox rows in one statement', () => {
  let db: TestDatabase;
  let routed: PostgresEventStore;
  let plain: PostgresEventStore;
  let woken = 0;

  beforeAll(async () => {
    db = await createTestDatabase([EVENT_STORE_MIGRATIONS]);
    routed = new PostgresEventStore(db.pool, {
      route: (e: RecordedEvent) => ({ topic: `topic-${e.type}`, key: e.childid }),
      headers: () => ({ traceparent: 'test' }),
      afterAppend: () => void woken++,
    });
    plain = new PostgresEventStore(db.pool);
  });
  afterAll(async () => db.drop());

  const outboxOf = async (ids: readonly string[]) =>
    (
      await db.pool.query<{ topic: string; message_key: string; id: string; headers: unknown }>(
        `SELECT topic, message_key, payload->>'id' AS id, headers FROM event_store.outbox
         WHERE payload->>'id' = ANY($1::text[]) ORDER BY id`,
        [ids],
      )
    ).rows;

  it('writes one outbox row per event, routed and with its headers, and wakes the relay', async () => {
    const stream = `s-${randomUUID()}`;
    const events = [aRecordedEvent(), aRecordedEvent(), aRecordedEvent()];
    const before = woken;
    await routed.append(stream, events.slice(0, 1), { expectedVersion: 'no-stream' });
    await routed.append(stream, events.slice(1), { expectedVersion: 1 });
    const rows = await outboxOf(events.map((e) => e.id));
    expect(rows).toHaveLength(3);
    for (const event of events) {
      expect(rows).toContainEqual({
        topic: `topic-${event.type}`,
        message_key: event.childid,
        id: event.id,
        headers: { traceparent: 'test' },
      });
    }
    expect(woken - before).toBe(2);
    expect((await routed.readStream(stream)).map((e) => [e.streamPosition, e.event.id])).toEqual(
      events.map((e, i) => [i + 1, e.id]),
    );
  });

  it('writes no outbox row for an event routed nowhere, and the others of its append as routed', async () => {
    const some = new PostgresEventStore(db.pool, {
      route: (e: RecordedEvent) => (e.type === 'published' ? { topic: 'some', key: e.childid } : undefined),
    });
    const stream = `s-${randomUUID()}`;
    const kept = [aRecordedEvent(), aRecordedEvent()];
    const published = [0, 1].map(() => ({ ...aRecordedEvent(), type: 'published' }));
    await some.append(stream, [kept[0]!, published[0]!], { expectedVersion: 'no-stream' });
    await some.append(stream, [published[1]!, kept[1]!], { expectedVersion: 'any' });
    expect(await outboxOf([...kept, ...published].map((e) => e.id))).toEqual(
      expect.arrayContaining(
        published.map((e) => ({ topic: 'some', message_key: e.childid, id: e.id, headers: {} })),
      ),
    );
    expect(await outboxOf(kept.map((e) => e.id))).toEqual([]);
    expect((await some.readStream(stream)).map((e) => e.event.id)).toEqual(
      [kept[0]!, published[0]!, published[1]!, kept[1]!].map((e) => e.id),
    );
  });

  it('writes neither events nor outbox rows when the version is stale', async () => {
    const stream = `s-${randomUUID()}`;
    await routed.append(stream, [aRecordedEvent()], { expectedVersion: 'no-stream' });
    const late = [aRecordedEvent(), aRecordedEvent()];
    await expect(routed.append(stream, late, { expectedVersion: 'no-stream' })).rejects.toBeInstanceOf(
      StreamVersionConflictError,
    );
    await expect(routed.append(stream, late, { expectedVersion: 3 })).rejects.toMatchObject({
      actual: 1,
    });
    expect(await outboxOf(late.map((e) => e.id))).toEqual([]);
    expect(await routed.readStream(stream)).toHaveLength(1);
  });

  it('appends to many streams at once, each event at the next position of its stream', async () => {
    const streams = [`a-${randomUUID()}`, `b-${randomUUID()}`];
    await plain.append(streams[0]!, [aRecordedEvent()], { expectedVersion: 'no-stream' });
    // Concurrent batches, one naming a stream twice, must interleave without a gap or a repeat.
    await Promise.all(
      Array.from({ length: 10 }, () =>
        plain.appendToStreams([
          { streamId: streams[0]!, events: [aRecordedEvent()] },
          { streamId: streams[1]!, events: [aRecordedEvent()] },
          { streamId: streams[0]!, events: [aRecordedEvent(), aRecordedEvent()] },
        ]),
      ),
    );
    expect((await plain.readStream(streams[0]!)).map((e) => e.streamPosition)).toEqual(
      Array.from({ length: 31 }, (_, i) => i + 1),
    );
    expect((await plain.readStream(streams[1]!)).map((e) => e.streamPosition)).toEqual(
      Array.from({ length: 10 }, (_, i) => i + 1),
    );
    await expect(
      routed.appendToStreams([{ streamId: streams[1]!, events: [aRecordedEvent()] }]),
    ).rejects.toThrow('appendToStreams writes no outbox rows');
  });
});

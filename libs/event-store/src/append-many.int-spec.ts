import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { RecordedEvent } from '@jigsaw/envelope';
import { aRecordedEvent, createTestDatabase, type TestDatabase } from '@jigsaw/testing';
import { StreamsConflictError } from './event-store.errors.js';
import type { StreamAppend } from './event-store.js';
import { verifyIntegrity } from './integrity.js';
import { EVENT_STORE_MIGRATIONS, PostgresEventStore } from './postgres-event-store.js';

/**
 * The multi-stream append claims every stream at the version it was read at, or writes nothing: what a
 * batch of agency events relies on to be all or nothing per stream set, and never to fork a stream.
 */
describe('appendMany: every stream at its expected version, or nothing', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;

  beforeAll(async () => {
    db = await createTestDatabase([EVENT_STORE_MIGRATIONS]);
    store = new PostgresEventStore(db.pool, {
      route: (e: RecordedEvent) => ({ topic: 'police.events', key: e.childid }),
    });
  });
  afterAll(async () => db.drop());

  const aStream = (): string => `police-${randomUUID()}`;
  const idsIn = async (streamId: string): Promise<string[]> =>
    (await store.readStream(streamId)).map((s) => s.event.id);
  const outboxCount = async (ids: readonly string[]): Promise<number> =>
    Number(
      (
        await db.pool.query<{ n: string }>(
          `SELECT count(*) AS n FROM event_store.outbox WHERE payload->>'id' = ANY($1::text[])`,
          [ids],
        )
      ).rows[0]!.n,
    );

  it('appends to new and existing streams in one statement, in order, with their outbox rows', async () => {
    const [old, fresh] = [aStream(), aStream()];
    const first = aRecordedEvent();
    await store.append(old, [first], { expectedVersion: 'no-stream' });
    const more = [aRecordedEvent(), aRecordedEvent()];
    const other = [aRecordedEvent()];
    await store.appendMany([
      { streamId: old, events: more, expectedVersion: 1 },
      { streamId: fresh, events: other, expectedVersion: 'no-stream' },
    ]);
    expect(await idsIn(old)).toEqual([first, ...more].map((e) => e.id));
    expect(await idsIn(fresh)).toEqual(other.map((e) => e.id));
    expect(await outboxCount([...more, ...other].map((e) => e.id))).toBe(3);
    expect((await verifyIntegrity(db.pool)).problems).toEqual([]);
  });

  it.each([
    ['a stream that moved since it was read', 1, 2],
    ['a stream expected new that exists', 'no-stream' as const, 1],
    ['a stream expected to exist that does not', 3, 0],
  ])('refuses %s, naming it, and writes nothing of the batch', async (_, expected, existing) => {
    const [contested, bystander] = [aStream(), aStream()];
    if (existing > 0) {
      await store.append(
        contested,
        Array.from({ length: existing }, () => aRecordedEvent()),
        { expectedVersion: 'no-stream' },
      );
    }
    const before = await idsIn(contested);
    const events = [aRecordedEvent(), aRecordedEvent()];
    const error = await store
      .appendMany([
        { streamId: bystander, events: [events[0]!], expectedVersion: 'no-stream' },
        { streamId: contested, events: [events[1]!], expectedVersion: expected },
      ])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StreamsConflictError);
    expect((error as StreamsConflictError).streamIds).toEqual([contested]);
    expect(await idsIn(contested)).toEqual(before);
    expect(await idsIn(bystander)).toEqual([]);
    expect(await outboxCount(events.map((e) => e.id))).toBe(0);
  });

  it('lets exactly one of any concurrent writers at the same version claim each stream, and keeps chains whole', async () => {
    await fc.assert(
      fc.asyncProperty(
        // Per writer, the subset of 3 shared streams it appends to (at least one), at the versions read.
        fc.array(fc.subarray([0, 1, 2], { minLength: 1 }), { minLength: 2, maxLength: 5 }),
        fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 3, maxLength: 3 }),
        async (writers, lengths) => {
          const streams = [aStream(), aStream(), aStream()];
          for (const [i, length] of lengths.entries()) {
            if (length > 0) {
              await store.append(
                streams[i]!,
                Array.from({ length }, () => aRecordedEvent()),
                { expectedVersion: 'no-stream' },
              );
            }
          }
          const batches: StreamAppend[][] = writers.map((picked) =>
            picked.map((i) => ({
              streamId: streams[i]!,
              events: [aRecordedEvent()],
              expectedVersion: lengths[i]! === 0 ? ('no-stream' as const) : lengths[i]!,
            })),
          );
          const outcomes = await Promise.allSettled(batches.map((b) => store.appendMany(b)));
          const won = batches.filter((_, w) => outcomes[w]!.status === 'fulfilled');
          // Winners never share a stream; a loser (a stream taken, or the victim of a deadlock between
          // writers claiming in different orders) is told which of its streams to read again, and wrote nothing.
          const taken = won.flatMap((b) => b.map((a) => a.streamId));
          expect(new Set(taken).size).toBe(taken.length);
          for (const [w, outcome] of outcomes.entries()) {
            if (outcome.status === 'rejected') {
              expect(outcome.reason).toBeInstanceOf(StreamsConflictError);
              const named = (outcome.reason as StreamsConflictError).streamIds;
              expect(named.length).toBeGreaterThan(0);
              for (const id of named) expect(batches[w]!.map((a) => a.streamId)).toContain(id);
              for (const a of batches[w]!) expect(await idsIn(a.streamId)).not.toContain(a.events[0]!.id);
            }
          }
          expect(won.length).toBeGreaterThan(0);
          for (const [i, id] of streams.entries()) {
            const winner = won.flatMap((b) => b).find((a) => a.streamId === id);
            expect((await idsIn(id)).length).toBe(lengths[i]! + (winner ? 1 : 0));
          }
          expect((await verifyIntegrity(db.pool)).problems).toEqual([]);
        },
      ),
      { numRuns: 40 },
    );
  });
});

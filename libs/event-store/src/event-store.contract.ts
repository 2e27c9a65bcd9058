import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ErrorCode } from '@jigsaw/errors';
import { aRecordedEvent, until } from '@jigsaw/testing';
import { DuplicateEventError, StreamVersionConflictError } from './event-store.errors.js';
import type { EventStore, GlobalPosition, StoredEvent } from './event-store.js';

export interface EventStoreFixture {
  store: EventStore;
  close(): Promise<void>;
}

const streamOf = (label: string): string => `test-${label}-${randomUUID()}`;

/** The behaviour every event store must show, whatever it runs on. */
export function eventStoreContract(name: string, open: () => Promise<EventStoreFixture>): void {
  describe(`event store contract: ${name}`, () => {
    let fixture: EventStoreFixture;
    let store: EventStore;

    beforeAll(async () => {
      fixture = await open();
      store = fixture.store;
    });
    afterAll(async () => fixture.close());

    it('appends to a new stream and reads it back in order', async () => {
      const stream = streamOf('new');
      const events = [aRecordedEvent(), aRecordedEvent(), aRecordedEvent()];
      const result = await store.append(stream, events, { expectedVersion: 'no-stream' });
      expect(result.version).toBe(3);
      const read = await store.readStream(stream);
      expect(read.map((e) => e.event.id)).toEqual(events.map((e) => e.id));
      expect(read.map((e) => e.streamPosition)).toEqual([1, 2, 3]);
    });

    it('appends at the expected version and refuses a stale one with a clear conflict', async () => {
      const stream = streamOf('versions');
      await store.append(stream, [aRecordedEvent()], { expectedVersion: 'no-stream' });
      await store.append(stream, [aRecordedEvent()], { expectedVersion: 1 });
      const stale = store.append(stream, [aRecordedEvent()], { expectedVersion: 1 });
      await expect(stale).rejects.toBeInstanceOf(StreamVersionConflictError);
      await expect(stale).rejects.toMatchObject({
        code: ErrorCode.StreamVersionConflict,
        message: 'the stream has changed since it was read: expected version 1, found 2',
      });
      await expect(
        store.append(stream, [aRecordedEvent()], { expectedVersion: 'no-stream' }),
      ).rejects.toBeInstanceOf(StreamVersionConflictError);
      expect(await store.readStream(stream)).toHaveLength(2);
    });

    it('appends at any version when told to, and reads an unknown stream as empty', async () => {
      const stream = streamOf('any');
      await store.append(stream, [aRecordedEvent()], { expectedVersion: 'any' });
      const result = await store.append(stream, [aRecordedEvent()], { expectedVersion: 'any' });
      expect(result.version).toBe(2);
      expect(await store.readStream(streamOf('unknown'))).toEqual([]);
    });

    it('stores an id from one source once, and writes nothing of a batch that repeats one', async () => {
      const first = aRecordedEvent();
      await store.append(streamOf('dup'), [first], { expectedVersion: 'no-stream' });
      const stream = streamOf('dup-batch');
      const batch = [aRecordedEvent(), { ...aRecordedEvent(), id: first.id, source: first.source }];
      await expect(store.append(stream, batch, { expectedVersion: 'no-stream' })).rejects.toBeInstanceOf(
        DuplicateEventError,
      );
      expect(await store.readStream(stream)).toEqual([]);
      expect((await store.findEvent(first.source, first.id))?.event.id).toBe(first.id);
      expect(await store.findEvent(first.source, 'never-sent')).toBeUndefined();
    });

    it('lets a subscriber see events appended after it started', async () => {
      const seen: string[] = [];
      const start = await tail(store);
      const subscription = store.subscribe({
        after: start,
        handler: (batch) => {
          seen.push(...batch.map((e) => e.event.id));
          return Promise.resolve();
        },
      });
      const events = [aRecordedEvent(), aRecordedEvent()];
      await store.append(streamOf('sub'), events, { expectedVersion: 'no-stream' });
      await until(() => events.every((e) => seen.includes(e.id)), { timeoutMs: 10_000 });
      await subscription.stop();
      expect(seen.filter((id) => events.some((e) => e.id === id))).toEqual(events.map((e) => e.id));
    });

    it('hands a subscriber to some types only the events of those types', async () => {
      // Any type will do: the store knows none by name.
      const FOLLOWED = 'test.followed-type';
      const seen: StoredEvent[] = [];
      const subscription = store.subscribe({
        after: await tail(store),
        types: [FOLLOWED],
        handler: (batch) => {
          seen.push(...batch);
          return Promise.resolve();
        },
      });
      const stream = streamOf('typed');
      const read = { ...aRecordedEvent(), type: FOLLOWED };
      await store.append(stream, [aRecordedEvent(), read, aRecordedEvent()], {
        expectedVersion: 'no-stream',
      });
      // A later event of the type: once it is seen, everything before it has been passed over or handed on.
      const later = { ...aRecordedEvent(), type: FOLLOWED };
      await store.append(stream, [later], { expectedVersion: 3 });
      await until(() => seen.some((e) => e.event.id === later.id), { timeoutMs: 10_000 });
      await subscription.stop();
      expect(seen.every((e) => e.event.type === FOLLOWED)).toBe(true);
      expect(seen.filter((e) => e.streamId === stream).map((e) => e.event.id)).toEqual([read.id, later.id]);
    });

    it('shows a reader following the global order every event of 8 concurrent writers exactly once', async () => {
      const writers = 8;
      const perWriter = 400;
      const shared = Array.from({ length: 4 }, () => streamOf('shared'));
      const start = await tail(store);
      const seen: StoredEvent[] = [];
      let reading = true;
      // A transaction open anywhere on the server holds the readable horizon back for a while, so once the
      // writers are done the reader goes on until it has every event or gives up; a skipped event is
      // skipped for good, so this still fails for a store that loses one.
      const expected = writers * perWriter;
      let giveUpAt = Infinity;
      const ours = new Set<string>();
      const seenOurs = (): number => seen.filter((e) => ours.has(e.streamId)).length;
      const reader = (async () => {
        let after = start;
        while (reading || (seenOurs() < expected && Date.now() < giveUpAt)) {
          const batch = await store.readAll({ after, limit: 500 });
          if (batch.length === 0) {
            await new Promise((r) => setTimeout(r, 5));
            continue;
          }
          seen.push(...batch);
          after = batch[batch.length - 1]!.globalPosition;
        }
      })();

      const written: string[] = [];
      const ownStreams = Array.from({ length: writers }, (_, w) => streamOf(`writer-${w}`));
      for (const stream of [...shared, ...ownStreams]) ours.add(stream);
      const known = new Map<string, number>();
      await Promise.all(
        Array.from({ length: writers }, async (_, w) => {
          const own = ownStreams[w]!;
          for (let i = 0; i < perWriter; i++) {
            const event = aRecordedEvent();
            // Half the appends race on shared streams: on a conflict, learn the version and try again.
            const stream = i % 2 === 0 ? own : shared[(w + i) % shared.length]!;
            for (;;) {
              const version = known.get(stream) ?? 0;
              try {
                const result = await store.append(stream, [event], {
                  expectedVersion: version === 0 ? 'no-stream' : version,
                });
                known.set(stream, result.version);
                break;
              } catch (error) {
                if (!(error instanceof StreamVersionConflictError)) throw error;
                known.set(stream, error.actual);
              }
            }
            written.push(event.id);
          }
        }),
      );
      giveUpAt = Date.now() + 30_000;
      reading = false;
      await reader;

      // Only this test's streams: the xmin horizon is cluster-wide, so a transaction open anywhere on the
      // server can hold the starting tail back and let earlier tests' events appear after it.
      const ids = seen.filter((e) => ours.has(e.streamId)).map((e) => e.event.id);
      expect(ids.length).toBe(writers * perWriter);
      expect(new Set(ids).size).toBe(ids.length);
      expect(new Set(ids)).toEqual(new Set(written));
      const lastPosition = new Map<string, number>();
      for (const e of seen.filter((x) => ours.has(x.streamId))) {
        expect(e.streamPosition).toBe((lastPosition.get(e.streamId) ?? 0) + 1);
        lastPosition.set(e.streamId, e.streamPosition);
      }
    }, 120_000);
  });
}

async function tail(store: EventStore): Promise<GlobalPosition | undefined> {
  let after: GlobalPosition | undefined;
  for (;;) {
    const batch = await store.readAll({ ...(after ? { after } : {}), limit: 5000 });
    if (batch.length === 0) return after;
    after = batch[batch.length - 1]!.globalPosition;
  }
}

import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { RecordedEvent } from '@jigsaw/envelope';
import { ErrorCode, JigsawError } from '@jigsaw/errors';
import { aRecordedEvent, createTestDatabase, type TestDatabase } from '@jigsaw/testing';
import { DuplicateEventError, StreamVersionConflictError } from './event-store.errors.js';
import type { AppendOptions, EventStore } from './event-store.js';
import { handleCommand, type Decider } from './handle-command.js';
import { COMMAND_ATTEMPTS } from './retry-on-race.js';
import { EVENT_STORE_MIGRATIONS, PostgresEventStore } from './postgres-event-store.js';

/**
 * A counter: each event's id names the count it makes, so the stream shows which state each decision was
 * made on. With `unique` ids two writers deciding on one state do not collide on the id, only on the version.
 */
const counter = (stream: string, unique = false): Decider<number, { limit: number }, RecordedEvent> => ({
  initialState: 0,
  evolve: (n) => n + 1,
  decide: (n, { limit }) =>
    n >= limit ? [] : [aRecordedEvent({ id: `${stream}-${n + 1}${unique ? `-${randomUUID()}` : ''}` })],
});

describe('handleCommand: load, decide, append at the version read', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;

  beforeAll(async () => {
    db = await createTestDatabase([EVENT_STORE_MIGRATIONS]);
    store = new PostgresEventStore(db.pool);
  });
  afterAll(async () => db.drop());

  /** The real store, noting the expected version of each append. */
  const noting = (versions: AppendOptions['expectedVersion'][]): EventStore =>
    Object.assign(Object.create(store) as EventStore, {
      append: (streamId: string, events: readonly RecordedEvent[], options: AppendOptions) => {
        versions.push(options.expectedVersion);
        return store.append(streamId, events, options);
      },
    });
  const idsOf = async (stream: string) => (await store.readStream(stream)).map((e) => e.event.id);

  it("appends a new stream's first events at 'no-stream', then at the stream's length", async () => {
    const stream = `c-${randomUUID()}`;
    const versions: AppendOptions['expectedVersion'][] = [];
    const first = await handleCommand(noting(versions), stream, counter(stream), { limit: 5 });
    expect(first).toEqual({ events: [expect.objectContaining({ id: `${stream}-1` })], state: 1 });
    const second = await handleCommand(noting(versions), stream, counter(stream), { limit: 5 });
    expect(second.state).toBe(2);
    expect(versions).toEqual(['no-stream', 1]);
    expect(await idsOf(stream)).toEqual([`${stream}-1`, `${stream}-2`]);
  });

  it('writes nothing when the decider refuses, and throws its error', async () => {
    const stream = `c-${randomUUID()}`;
    const refusing: Decider<number, null, RecordedEvent> = {
      ...counter(stream),
      decide: () => {
        throw new JigsawError(ErrorCode.ValidationFailed, 'refused');
      },
    };
    const versions: AppendOptions['expectedVersion'][] = [];
    await expect(handleCommand(noting(versions), stream, refusing, null)).rejects.toThrow('refused');
    expect(versions).toEqual([]);
    expect(await idsOf(stream)).toEqual([]);
  });

  it('appends nothing when the decider decides nothing, and answers with the state as read', async () => {
    const stream = `c-${randomUUID()}`;
    await handleCommand(store, stream, counter(stream), { limit: 1 });
    const versions: AppendOptions['expectedVersion'][] = [];
    const outcome = await handleCommand(noting(versions), stream, counter(stream), { limit: 1 });
    expect(outcome).toEqual({ events: [], state: 1 });
    expect(versions).toEqual([]);
    expect(await idsOf(stream)).toEqual([`${stream}-1`]);
  });

  it("folds only the decider's events, answers with its result, and runs `before` in the append's transaction", async () => {
    const stream = `c-${randomUUID()}`;
    const foreign = aRecordedEvent({ source: 'urn:jigsaw:org:council:elsewhere' });
    await store.append(stream, [foreign], { expectedVersion: 'no-stream' });
    const withResult: Decider<number, string, RecordedEvent, string> = {
      ...counter(stream),
      decide: (n, note) => ({
        events: [aRecordedEvent({ id: `${stream}-${n + 1}` })],
        result: `${note} ${n}`,
      }),
    };
    const outcome = await handleCommand(store, stream, withResult, 'counted', {
      eventOf: ({ event }) => (event.id === foreign.id ? undefined : event),
      before: async (tx, events) => {
        await tx.query('CREATE TABLE public.projected (id text)');
        await tx.query('INSERT INTO public.projected SELECT unnest($1::text[])', [events.map((e) => e.id)]);
      },
    });
    expect(outcome).toMatchObject({ state: 1, result: 'counted 0' });
    expect(await idsOf(stream)).toEqual([foreign.id, `${stream}-1`]);
    expect((await db.pool.query('SELECT id FROM public.projected')).rows).toEqual([{ id: `${stream}-1` }]);

    const failing = handleCommand(store, stream, withResult, 'again', {
      before: () => Promise.reject(new Error('projection failed')),
    });
    await expect(failing).rejects.toThrow('projection failed');
    expect(await idsOf(stream)).toHaveLength(2);
  });

  it('decides on the latest state however many writers race: no update lost, none made on a stale state', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: COMMAND_ATTEMPTS + 3 }),
        fc.integer({ min: 0, max: COMMAND_ATTEMPTS + 3 }),
        fc.boolean(),
        async (writers, limit, unique) => {
          const stream = `c-${randomUUID()}`;
          const outcomes = await Promise.allSettled(
            Array.from({ length: writers }, () =>
              handleCommand(store, stream, counter(stream, unique), { limit }),
            ),
          );
          const appended = outcomes.filter((o) => o.status === 'fulfilled' && o.value.events.length === 1);
          const failed = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as unknown] : []));
          // Each writer loses to each other at most once: within the attempts every writer gets through.
          if (writers <= COMMAND_ATTEMPTS) expect(failed).toEqual([]);
          for (const error of failed) {
            expect(error instanceof StreamVersionConflictError || error instanceof DuplicateEventError).toBe(
              true,
            );
          }
          const ids = await idsOf(stream);
          expect(ids.map((id) => id.slice(stream.length + 1).split('-')[0])).toEqual(
            Array.from({ length: appended.length }, (_, i) => `${i + 1}`),
          );
          expect(ids.length).toBeLessThanOrEqual(limit);
          if (failed.length === 0) expect(ids).toHaveLength(Math.min(writers, limit));
        },
      ),
      { numRuns: 25 },
    );
  });

  const intruders = {
    'another writer appended to the stream': {
      intrude: (streamId: string) =>
        store.append(streamId, [aRecordedEvent()], { expectedVersion: 'any' }).then(() => undefined),
      error: StreamVersionConflictError,
    },
    "the decided event's id was stored meanwhile": {
      intrude: (streamId: string, events: readonly RecordedEvent[]) =>
        store.append(`${streamId}-elsewhere`, events, { expectedVersion: 'any' }).then(
          () => undefined,
          (error: unknown) => {
            if (!(error instanceof DuplicateEventError)) throw error;
          },
        ),
      error: DuplicateEventError,
    },
  };

  it.each(Object.entries(intruders))(
    'throws the conflict once every attempt found that %s',
    async (_, { intrude, error }) => {
      const stream = `c-${randomUUID()}`;
      let reads = 0;
      const crowded = Object.assign(Object.create(store) as EventStore, {
        readStream: (id: string) => {
          reads++;
          return store.readStream(id);
        },
        append: async (streamId: string, events: readonly RecordedEvent[], options: AppendOptions) => {
          await intrude(streamId, events);
          return store.append(streamId, events, options);
        },
      });
      await expect(
        handleCommand(crowded, stream, counter(stream, true), { limit: COMMAND_ATTEMPTS + 10 }),
      ).rejects.toBeInstanceOf(error);
      expect(reads).toBe(COMMAND_ATTEMPTS);
      expect((await idsOf(stream)).filter((id) => id.startsWith(stream))).toEqual([]);
    },
  );

  it.each(Object.entries(intruders))('reads and decides again once %s', async (_, { intrude }) => {
    const stream = `c-${randomUUID()}`;
    let intruded = false;
    const once = Object.assign(Object.create(store) as EventStore, {
      append: async (streamId: string, events: readonly RecordedEvent[], options: AppendOptions) => {
        if (!intruded) await intrude(streamId, events);
        intruded = true;
        return store.append(streamId, events, options);
      },
    });
    const outcome = await handleCommand(once, stream, counter(stream, true), { limit: 10 });
    expect(outcome.events).toHaveLength(1);
    expect((await idsOf(stream)).at(-1)).toBe(outcome.events[0]!.id);
  });
});

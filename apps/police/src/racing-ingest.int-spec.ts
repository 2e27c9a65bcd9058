import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SchemaRegistry, toCloudEvent, type JigsawEnvelope } from '@jigsaw/envelope';
import { ErrorCode, JigsawError } from '@jigsaw/errors';
import { EVENT_STORE_MIGRATIONS, PostgresEventStore } from '@jigsaw/event-store';
import { IDENTITY_MIGRATIONS } from '@jigsaw/identity';
import {
  controlEventTypes,
  RecordEvent,
  RecordEventHandler,
  RecordTransaction,
  RecordTransactionHandler,
} from '@jigsaw/ingest';
import {
  aNhsNumber,
  anIncidentNotification,
  createTestDatabase,
  METROPOLITAN_POLICE,
  racingWriters,
  type TestDatabase,
} from '@jigsaw/testing';
import { policeCatalogue } from './police.catalogue.js';

const catalogue = { ...policeCatalogue, types: [...policeCatalogue.types, ...controlEventTypes('police')] };
const schemas = new SchemaRegistry();

describe('agency ingest racing on one child, on PostgreSQL', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase([EVENT_STORE_MIGRATIONS, IDENTITY_MIGRATIONS]);
  });
  afterAll(async () => db?.drop());

  function ingest(together: number) {
    const { store, identity, vault } = racingWriters(db, together);
    const one = new RecordEventHandler(catalogue, schemas, store, identity, vault);
    const many = new RecordTransactionHandler(catalogue, schemas, store, identity, vault);
    return {
      store,
      identity,
      record: (e: JigsawEnvelope) => one.execute(new RecordEvent(toCloudEvent(e), new Date())),
      transaction: (es: readonly JigsawEnvelope[]) =>
        many.execute(
          new RecordTransaction(
            es.map((e) => toCloudEvent(e)),
            new Date(),
          ),
        ),
    };
  }

  const streamOf = async (id: string): Promise<string[]> => {
    const store = new PostgresEventStore(db.pool);
    const found = await store.findEvent(METROPOLITAN_POLICE, id);
    return (await store.readStream(found!.streamId)).map((e) => e.event.id);
  };

  it('records twenty requests racing on one child, each once, in one unbroken stream', async () => {
    const { record, store, identity } = ingest(20);
    const nhsNumber = aNhsNumber();
    // A child the hub knows already: the racers differ on the stream's version, not on registering it.
    await identity.resolve('police', { nhsNumber });
    const events = Array.from({ length: 20 }, () => anIncidentNotification({ nhsNumber }));
    const results = await Promise.all(events.map(record));
    expect(results.map((r) => r.status)).toEqual(events.map(() => 'accepted'));
    const stream = await streamOf(events[0]!.id);
    expect([...stream].sort()).toEqual(events.map((e) => e.id).sort());
    // All twenty read before any appended: only retries got the other nineteen through.
    expect(store.reads).toBeGreaterThan(20);
    expect(identity.moved).toBe(0);
  });

  it('plans a child new to the hub again when a racer registered it first, and files every event under one child', async () => {
    const { record, transaction, identity } = ingest(4);
    const nhsNumber = aNhsNumber();
    const singles = Array.from({ length: 3 }, () => anIncidentNotification({ nhsNumber }));
    const entries = Array.from({ length: 3 }, () => anIncidentNotification({ nhsNumber }));
    const [together, ...alone] = await Promise.all([transaction(entries), ...singles.map(record)]);
    expect(together.map((r) => r.status)).toEqual(['accepted', 'accepted', 'accepted']);
    expect(alone.map((r) => r.status)).toEqual(['accepted', 'accepted', 'accepted']);
    // Each of the four planned its own new child; one registered it, and the other three found it moved.
    expect(identity.moved).toBeGreaterThanOrEqual(3);
    const stream = await streamOf(singles[0]!.id);
    expect([...stream].sort()).toEqual([...singles, ...entries].map((e) => e.id).sort());
  });

  it('stores an event racing in twice once: the other is told it is a duplicate', async () => {
    const { record } = ingest(2);
    const twice = anIncidentNotification();
    const results = await Promise.all([record(twice), record(twice)]);
    expect(results.map((r) => r.status).sort()).toEqual(['accepted', 'duplicate']);
    expect(await streamOf(twice.id)).toEqual([twice.id]);
  });

  it('refuses the same id racing in with other content, as a conflict, and keeps the first', async () => {
    const { record } = ingest(2);
    const original = anIncidentNotification();
    const rival = { ...original, data: { ...original.data, summary: 'A different account of it.' } };
    const results = await Promise.allSettled([record(original), record(rival)]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const refused = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')!.reason;
    expect(refused).toBeInstanceOf(JigsawError);
    expect(refused).toMatchObject({
      code: ErrorCode.DuplicateEventConflict,
      problems: [{ field: 'id', reason: 'was already used for different content' }],
    });
    expect(await streamOf(original.id)).toEqual([original.id]);
  });

  it('answers a transaction racing in twice once as accepted and once as duplicates', async () => {
    const { transaction } = ingest(2);
    const nhsNumber = aNhsNumber();
    const entries = Array.from({ length: 2 }, () => anIncidentNotification({ nhsNumber }));
    const results = await Promise.all([transaction(entries), transaction(entries)]);
    expect(results.map((r) => r.map((e) => e.status).join()).sort()).toEqual([
      'accepted,accepted',
      'duplicate,duplicate',
    ]);
    expect(await streamOf(entries[0]!.id)).toEqual(entries.map((e) => e.id));
  });

  it('never retries a refusal: one read, nothing appended', async () => {
    const { record, store } = ingest(0);
    const future = anIncidentNotification({ occurredAt: new Date(Date.now() + 3600_000).toISOString() });
    await expect(record(future)).rejects.toMatchObject({
      code: ErrorCode.ValidationFailed,
      problems: expect.arrayContaining([{ field: 'time', reason: 'must not be in the future' }]),
    });
    expect(store.reads).toBe(1);
    expect(store.appends).toBe(0);
  });
});

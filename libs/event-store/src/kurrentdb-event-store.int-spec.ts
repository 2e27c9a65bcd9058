import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { KurrentDBClient } from '@kurrent/kurrentdb-client';
import { aRecordedEvent } from '@jigsaw/testing';
import { eventStoreContract } from './event-store.contract.js';
import { connectKurrentDb, KurrentDbEventStore, kurrentDbAnswers } from './kurrentdb-event-store.js';
import { testKurrentDb } from './kurrentdb-test-server.js';

// Runs wherever a KurrentDB server is reachable (KURRENTDB_URL, or a container the global setup started
// with Docker); elsewhere every test below is reported as skipped, with the reason in the title.
const server = testKurrentDb();
const url = 'url' in server ? server.url : undefined;
const onServer = url ? describe : describe.skip;
const title = url ? 'KurrentDB' : `KurrentDB (SKIPPED: ${'reason' in server ? server.reason : ''})`;

onServer(title, () => {
  eventStoreContract('KurrentDB', () => {
    const client = connectKurrentDb(url!);
    return Promise.resolve({
      store: new KurrentDbEventStore(client, { retryDelayMs: 50 }),
      close: () => client.dispose(),
    });
  });

  describe('KurrentDB specifics', () => {
    let client: KurrentDBClient;
    let store: KurrentDbEventStore;

    beforeAll(() => {
      client = connectKurrentDb(url!);
      store = new KurrentDbEventStore(client);
    });
    afterAll(async () => client.dispose());

    it('answers a readiness probe', async () => {
      expect(await kurrentDbAnswers(client)).toBe(true);
    });

    it('finds an event appended at any version, with the content hash it was given', async () => {
      const stream = `test-find-${crypto.randomUUID()}`;
      const events = [aRecordedEvent(), aRecordedEvent(), aRecordedEvent()];
      await store.append(stream, [events[0]!], { expectedVersion: 'any' });
      await store.append(stream, events.slice(1), { expectedVersion: 'any', contentHashes: ['h1', 'h2'] });
      const found = await store.findEvent(events[2]!.source, events[2]!.id);
      expect(found).toMatchObject({
        streamId: stream,
        streamPosition: 3,
        contentHash: 'h2',
        event: events[2],
      });
      const first = await store.findEvent(events[0]!.source, events[0]!.id);
      expect(first?.streamPosition).toBe(1);
    });

    it('refuses a repeated id within one batch and writes nothing', async () => {
      const stream = `test-repeat-${crypto.randomUUID()}`;
      const event = aRecordedEvent();
      await expect(
        store.append(stream, [event, { ...aRecordedEvent(), id: event.id }], {
          expectedVersion: 'no-stream',
        }),
      ).rejects.toMatchObject({
        code: 'DUPLICATE_EVENT_CONFLICT',
      });
      expect(await store.readStream(stream)).toEqual([]);
      expect(await store.findEvent(event.source, event.id)).toBeUndefined();
    });
  });
});

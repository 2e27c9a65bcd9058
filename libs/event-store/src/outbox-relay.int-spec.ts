import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  KafkaMessaging,
  type IncomingMessage,
  type MessageConsumer,
  type Publisher,
} from '@jigsaw/messaging';
import {
  aRecordedEvent,
  createTestDatabase,
  testBrokers,
  uniqueTopicPrefix,
  type TestDatabase,
} from '@jigsaw/testing';
import { OutboxRelay } from './outbox-relay.js';
import { EVENT_STORE_MIGRATIONS, PostgresEventStore } from './postgres-event-store.js';

const until = async (probe: () => Promise<boolean> | boolean, what: string): Promise<void> => {
  const deadline = Date.now() + 30_000;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`${what} not reached within 30 s`);
    await new Promise((r) => setTimeout(r, 100));
  }
};

describe('outbox relay when its session is lost', () => {
  let db: TestDatabase;
  let relay: OutboxRelay;
  let consumer: MessageConsumer;
  let publisher: Publisher;
  const received: IncomingMessage[] = [];
  const topic = `${uniqueTopicPrefix('relay')}police.events`;

  beforeAll(async () => {
    db = await createTestDatabase([EVENT_STORE_MIGRATIONS]);
    const messaging = new KafkaMessaging({ brokers: testBrokers(), clientId: 'relay-test' });
    await messaging.ensureTopics([topic]);
    publisher = messaging.publisher();
    relay = new OutboxRelay(db.pool, publisher, { pollIntervalMs: 20 });
    consumer = messaging.consumer({ groupId: `${topic}.reader`, topics: [topic] });
    await consumer.start((message) => {
      received.push(message);
      return Promise.resolve();
    });
    relay.start();
  });
  afterAll(async () => {
    await relay?.stop();
    await publisher?.close();
    await consumer?.stop();
    await db?.drop();
  });

  /** Sessions holding the relay's advisory lock in this database. */
  const leaders = async (): Promise<number[]> =>
    (
      await db.pool.query<{ pid: number }>(
        `SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted
           AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
      )
    ).rows.map((r) => r.pid);

  it('takes the lock again on a new session before it publishes anything more', async () => {
    const store = new PostgresEventStore(db.pool, {
      route: (e) => ({ topic, key: e.childid }),
      afterAppend: () => relay.wake(),
    });
    const first = aRecordedEvent();
    await store.append(`police-${first.childid}`, [first], { expectedVersion: 'no-stream' });
    await until(() => received.length === 1, 'the first event published');
    const [leader] = await leaders();
    expect(leader).toBeDefined();

    // A database restart ends every session; here only the leader's, which also releases its lock.
    await db.pool.query('SELECT pg_terminate_backend($1)', [leader]);
    await until(async () => (await leaders()).some((pid) => pid !== leader), 'a new leader session');

    const second = aRecordedEvent();
    await store.append(`police-${second.childid}`, [second], { expectedVersion: 'no-stream' });
    await until(() => received.length === 2, 'the second event published');
    expect(received.map((m) => (JSON.parse(m.value!.toString()) as { id: string }).id)).toEqual([
      first.id,
      second.id,
    ]);
    expect(await relay.backlog()).toBe(0);
  });
});

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
  type TestDatabase,
  uniqueTopicPrefix,
  until,
} from '@jigsaw/testing';
import { OutboxRelay } from './outbox-relay.js';
import { EVENT_STORE_MIGRATIONS, PostgresEventStore } from './postgres-event-store.js';

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
    await until(() => received.length === 1, { what: 'the first event published', timeoutMs: 30_000 });
    const [leader] = await leaders();
    expect(leader).toBeDefined();

    // A database restart ends every session; here only the leader's, which also releases its lock.
    await db.pool.query('SELECT pg_terminate_backend($1)', [leader]);
    await until(async () => (await leaders()).some((pid) => pid !== leader), {
      what: 'a new leader session',
      timeoutMs: 30_000,
    });

    const second = aRecordedEvent();
    await store.append(`police-${second.childid}`, [second], { expectedVersion: 'no-stream' });
    await until(() => received.length === 2, { what: 'the second event published', timeoutMs: 30_000 });
    expect(received.map((m) => (JSON.parse(m.value!.toString()) as { id: string }).id)).toEqual([
      first.id,
      second.id,
    ]);
    expect(await relay.backlog()).toBe(0);
  });
});

describe('outbox relays, one leader per owner', () => {
  let db: TestDatabase;
  const prefix = uniqueTopicPrefix('owners');
  const police = `${prefix}police.events`;
  const health = `${prefix}health.events`;
  const received: IncomingMessage[] = [];
  let consumer: MessageConsumer;
  const publishers: Publisher[] = [];
  const relays: OutboxRelay[] = [];

  beforeAll(async () => {
    db = await createTestDatabase([EVENT_STORE_MIGRATIONS]);
    const messaging = new KafkaMessaging({ brokers: testBrokers(), clientId: 'relay-owners-test' });
    await messaging.ensureTopics([police, health]);
    consumer = messaging.consumer({ groupId: `${prefix}reader`, topics: [police, health] });
    await consumer.start((message) => {
      received.push(message);
      return Promise.resolve();
    });
    // Two replicas of each owner, as two police and two health processes would run them.
    for (const topic of [police, health, police, health]) {
      const publisher = messaging.publisher();
      publishers.push(publisher);
      relays.push(new OutboxRelay(db.pool, publisher, { topics: [topic], pollIntervalMs: 20 }));
    }
  });
  afterAll(async () => {
    await Promise.all(relays.map((r) => r.stop()));
    await Promise.all(publishers.map((p) => p.close()));
    await consumer?.stop();
    await db?.drop();
  });

  const leaders = async (): Promise<number> =>
    Number(
      (
        await db.pool.query<{ n: string }>(
          `SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND granted
             AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
        )
      ).rows[0]!.n,
    );

  it("counts only its owner's rows, and each owner's leader publishes while the other's does", async () => {
    const store = (topic: string): PostgresEventStore =>
      new PostgresEventStore(db.pool, { route: (e) => ({ topic, key: e.childid }) });
    const children = Array.from({ length: 4 }, () => aRecordedEvent().childid);
    // Several events per child, to see each child's order kept.
    const written: { topic: string; childid: string; id: string }[] = [];
    for (let round = 0; round < 5; round++) {
      for (const [i, childid] of children.entries()) {
        const topic = i % 2 === 0 ? police : health;
        const event = aRecordedEvent({ childid });
        await store(topic).append(`${topic}-${childid}`, [event], { expectedVersion: 'any' });
        written.push({ topic, childid, id: event.id });
      }
    }
    expect(await relays[0]!.backlog()).toBe(10);
    expect(await relays[1]!.backlog()).toBe(10);

    for (const relay of relays) relay.start();
    await until(() => received.length >= written.length, { what: 'every row published', timeoutMs: 30_000 });
    // One leader for police and one for health: two locks, whichever replicas hold them.
    expect(await leaders()).toBe(2);
    expect(relays.reduce((sum, r) => sum + r.published, 0)).toBe(written.length);
    expect(relays[0]!.published + relays[2]!.published).toBe(10);
    expect(await relays[0]!.backlog()).toBe(0);

    const order = (list: { childid: string; id: string }[], childid: string): string[] =>
      list.filter((e) => e.childid === childid).map((e) => e.id);
    const got = received.map((m) => ({
      childid: m.key!,
      id: (JSON.parse(m.value!.toString()) as { id: string }).id,
    }));
    for (const childid of children) expect(order(got, childid)).toEqual(order(written, childid));
  });
});

describe('outbox relay whose publishing keeps failing', () => {
  let db: TestDatabase;
  const topic = `${uniqueTopicPrefix('handover')}police.events`;
  const received: IncomingMessage[] = [];
  let consumer: MessageConsumer;
  let publisher: Publisher;
  const relays: OutboxRelay[] = [];

  beforeAll(async () => {
    db = await createTestDatabase([EVENT_STORE_MIGRATIONS]);
    const messaging = new KafkaMessaging({ brokers: testBrokers(), clientId: 'relay-handover-test' });
    await messaging.ensureTopics([topic]);
    consumer = messaging.consumer({ groupId: `${topic}.reader`, topics: [topic] });
    await consumer.start((message) => {
      received.push(message);
      return Promise.resolve();
    });
    publisher = messaging.publisher();
  });
  afterAll(async () => {
    await Promise.all(relays.map((r) => r.stop()));
    await publisher?.close();
    await consumer?.stop();
    await db?.drop();
  });

  it('lets the lock go while it pauses after a failed batch, so a standby leads and publishes', async () => {
    const store = new PostgresEventStore(db.pool, { route: (e) => ({ topic, key: e.childid }) });
    const events = Array.from({ length: 3 }, () => aRecordedEvent());
    for (const event of events) {
      await store.append(`police-${event.childid}`, [event], { expectedVersion: 'no-stream' });
    }
    // A replica whose producer refuses every send (as one stuck after a broker fault), leading first.
    const failures: number[] = [];
    const broken: Publisher = {
      publish: () => Promise.reject(new Error('send refused')),
      close: () => Promise.resolve(),
    };
    const failing = new OutboxRelay(db.pool, broken, {
      topics: [topic],
      pollIntervalMs: 20,
      onError: () => void failures.push(Date.now()),
    });
    relays.push(failing);
    failing.start();
    await until(() => failures.length > 0, { what: 'the failing replica leading', timeoutMs: 30_000 });

    // Within its 500 ms pause the lock is free: another session can take it.
    const other = await db.pool.connect();
    try {
      const lockName = `jigsaw.outbox-relay:${topic}`;
      const deadline = failures[0]! + 450;
      let free = false;
      while (!free && Date.now() < deadline) {
        const { rows } = await other.query<{ ok: boolean }>(
          'SELECT pg_try_advisory_lock(hashtext($1)) AS ok',
          [lockName],
        );
        free = rows[0]!.ok;
      }
      expect({ lockFreeDuringThePause: free }).toEqual({ lockFreeDuringThePause: true });
      await other.query('SELECT pg_advisory_unlock_all()');
    } finally {
      other.release();
    }

    const standby = new OutboxRelay(db.pool, publisher, { topics: [topic], pollIntervalMs: 20 });
    relays.push(standby);
    standby.start();
    // Counted once its batch commits, which may be a moment after the consumer has the messages.
    await until(() => received.length >= events.length && standby.published === events.length, {
      what: 'the standby publishing every row',
      timeoutMs: 30_000,
    });
    expect(failing.published).toBe(0);
    expect(await standby.backlog()).toBe(0);
    expect(received.map((m) => (JSON.parse(m.value!.toString()) as { id: string }).id).sort()).toEqual(
      events.map((e) => e.id).sort(),
    );
  });
});

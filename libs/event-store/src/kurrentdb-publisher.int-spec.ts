import { PassThrough, type ReadableOptions } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type {
  AllStreamResolvedEvent,
  AllStreamSubscription,
  JSONEventData,
  KurrentDBClient,
  Position,
  SubscribeToAllOptions,
} from '@kurrent/kurrentdb-client';
import { contentHash, type RecordedEvent } from '@jigsaw/envelope';
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
import type { OutboxRoute } from './event-store.js';
import { connectKurrentDb, KurrentDbEventStore } from './kurrentdb-event-store.js';
import { toEventData } from './kurrentdb-mapping.js';
import { KURRENTDB_PUBLISHER_MIGRATIONS, KurrentDbPublisher } from './kurrentdb-publisher.js';
import type { AllSubscriber } from './kurrentdb-subscription.js';
import { testKurrentDb } from './kurrentdb-test-server.js';
import { OutboxRelay } from './outbox-relay.js';
import { EVENT_STORE_MIGRATIONS, PostgresEventStore } from './postgres-event-store.js';

const HEADERS = { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' };

/**
 * Stands in for a KurrentDB node's $all where none can run (no server is obtainable on these machines):
 * appends get increasing positions and come back as the server returns them (JSON data and metadata, plus
 * the properties a multi-stream append adds); a catch-up subscription sends, in order, each event after
 * its start position in a stream with one of the filter's prefixes, then whatever is appended later. It
 * does only what KurrentDbPublisher asks of a client; the same tests against a real node are below.
 */
class StandInAll implements AllSubscriber {
  private readonly all: AllStreamResolvedEvent[] = [];
  private readonly live = new Set<{ stream: PassThrough; prefixes: string[] }>();
  private readonly revisions = new Map<string, bigint>();
  private position = 4096n;
  subscriptions = 0;

  append(streamId: string, data: JSONEventData): Position {
    this.position += 173n;
    const position = { commit: this.position, prepare: this.position };
    const revision = (this.revisions.get(streamId) ?? -1n) + 1n;
    this.revisions.set(streamId, revision);
    const resolved = {
      event: {
        streamId,
        id: data.id,
        revision,
        type: data.type,
        isJson: true,
        data: JSON.parse(JSON.stringify(data.data)),
        metadata: { ...(data.metadata as object), '$schema.format': 'Json', '$schema.name': data.type },
        created: new Date(),
        position,
      },
      commitPosition: position.commit,
    } as AllStreamResolvedEvent;
    this.all.push(resolved);
    for (const { stream, prefixes } of this.live) {
      if (prefixes.some((p) => streamId.startsWith(p))) stream.write(resolved);
    }
    return position;
  }

  subscribeToAll(options: SubscribeToAllOptions = {}, readable: ReadableOptions = {}): AllStreamSubscription {
    this.subscriptions++;
    const filter = options.filter;
    if (!filter || !('prefixes' in filter)) throw new Error('the stand-in filters on stream prefixes only');
    const from = options.fromPosition;
    const stream = new PassThrough({ objectMode: true, highWaterMark: readable.highWaterMark ?? 16 });
    const entry = { stream, prefixes: filter.prefixes };
    for (const resolved of this.all) {
      const after = typeof from !== 'object' || resolved.event!.position.commit > from.commit;
      if (after && entry.prefixes.some((p) => resolved.event!.streamId.startsWith(p))) stream.write(resolved);
    }
    this.live.add(entry);
    return Object.assign(stream, {
      unsubscribe: () => {
        this.live.delete(entry);
        stream.end();
        return Promise.resolve();
      },
    });
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('KurrentDB publisher, in place of the outbox relay', () => {
  let db: TestDatabase;
  let messaging: KafkaMessaging;
  const consumers: MessageConsumer[] = [];
  const producers: Publisher[] = [];
  const kafka = (): Publisher => {
    const producer = messaging.publisher();
    producers.push(producer);
    return producer;
  };
  const prefix = uniqueTopicPrefix('kdb-pub');
  const relayTopic = `${prefix}relay.police.events`;
  const topic = `${prefix}police.events`;
  const received = new Map<string, IncomingMessage[]>();
  const routeTo =
    (t: string) =>
    (event: RecordedEvent): OutboxRoute => ({ topic: t, key: event.childid });

  const messagesOn = (t: string): IncomingMessage[] => received.get(t) ?? [];
  const idsOn = (t: string): string[] =>
    messagesOn(t).map((m) => (JSON.parse(m.value!.toString('utf8')) as RecordedEvent).id);

  beforeAll(async () => {
    db = await createTestDatabase([EVENT_STORE_MIGRATIONS, KURRENTDB_PUBLISHER_MIGRATIONS]);
    messaging = new KafkaMessaging({ brokers: testBrokers(), clientId: 'kurrentdb-publisher-test' });
    await messaging.ensureTopics([relayTopic, topic]);
    const consumer = messaging.consumer({ groupId: `${prefix}reader`, topics: [relayTopic, topic] });
    await consumer.start((message) => {
      received.set(message.topic, [...messagesOn(message.topic), message]);
      return Promise.resolve();
    });
    consumers.push(consumer);
  });

  afterAll(async () => {
    await Promise.all([...consumers.map((c) => c.stop()), ...producers.map((p) => p.close())]);
    await db?.drop();
  });

  it('sends each event with the topic, key, value and headers that the outbox relay sends', async () => {
    const events = [aRecordedEvent(), aRecordedEvent(), aRecordedEvent()];
    // The PostgreSQL store and its relay, as an agency service runs them.
    const store = new PostgresEventStore(db.pool, { route: routeTo(relayTopic), headers: () => HEADERS });
    const relay = new OutboxRelay(db.pool, kafka());
    for (const e of events) await store.append(`police-${e.childid}`, [e], { expectedVersion: 'no-stream' });
    await relay.relayBatch();
    // The same events as the KurrentDB store records them, and the publisher following $all.
    const all = new StandInAll();
    for (const e of events) {
      all.append(
        `police-${e.childid}`,
        toEventData(e, contentHash(e), { route: routeTo(topic)(e), headers: HEADERS }),
      );
    }
    const publisher = new KurrentDbPublisher(all, db.pool, kafka(), {
      name: 'same-as-relay',
      streamPrefixes: ['police-'],
    });
    publisher.start();
    await until(() => messagesOn(topic).length === 3 && messagesOn(relayTopic).length === 3, {
      what: 'both topics',
      timeoutMs: 20_000,
    });
    await publisher.stop();

    const byId = (t: string) =>
      new Map(messagesOn(t).map((m) => [(JSON.parse(m.value!.toString('utf8')) as RecordedEvent).id, m]));
    const fromRelay = byId(relayTopic);
    const fromPublisher = byId(topic);
    for (const e of events) {
      const a = fromRelay.get(e.id)!;
      const b = fromPublisher.get(e.id)!;
      expect(b.key).toBe(e.childid);
      expect(b.key).toBe(a.key);
      expect(b.value!.toString('utf8')).toBe(a.value!.toString('utf8'));
      expect(b.headers).toEqual(a.headers);
      expect(b.headers).toEqual({ ...HEADERS, 'content-type': 'application/cloudevents+json' });
    }
  });

  it('keeps its place in PostgreSQL: a restart sends only what came after, and nothing twice', async () => {
    const all = new StandInAll();
    const appendOne = (stream = 'police-'): { event: RecordedEvent; position: Position } => {
      const event = aRecordedEvent();
      const data = toEventData(event, contentHash(event), { route: routeTo(topic)(event), headers: {} });
      return { event, position: all.append(`${stream}${event.childid}`, data) };
    };
    const before = new Set(idsOn(topic));
    const first = [appendOne(), appendOne(), appendOne()];
    const make = () =>
      new KurrentDbPublisher(all, db.pool, kafka(), { name: 'restart', streamPrefixes: ['police-'] });
    const one = make();
    one.start();
    await until(() => first.every((f) => idsOn(topic).includes(f.event.id)), {
      what: 'first three',
      timeoutMs: 20_000,
    });
    await one.stop();
    const last = first[2]!.position;
    expect(await one.checkpoint()).toEqual({
      transactionId: String(last.commit),
      position: String(last.prepare),
    });

    // Meanwhile: more events, one without a route and one in another agency's stream.
    const unrouted = aRecordedEvent();
    all.append(`police-${unrouted.childid}`, toEventData(unrouted, contentHash(unrouted)));
    const elsewhere = appendOne('council-');
    const later = [appendOne(), appendOne()];
    const two = make();
    two.start();
    await until(() => later.every((f) => idsOn(topic).includes(f.event.id)), {
      what: 'the later two',
      timeoutMs: 20_000,
    });
    await sleep(300);
    await two.stop();

    // One message each, whatever the partition: order holds per key (child), not across the topic.
    const sent = idsOn(topic).filter((id) => !before.has(id));
    expect(sent.sort()).toEqual([...first, ...later].map((f) => f.event.id).sort());
    expect(sent).not.toContain(unrouted.id);
    expect(sent).not.toContain(elsewhere.event.id);
    expect(two.published).toBe(2);
    const end = later[1]!.position;
    expect(await two.checkpoint()).toEqual({
      transactionId: String(end.commit),
      position: String(end.prepare),
    });
  });

  it('runs one publisher per name at a time; a standby takes over when the active one stops', async () => {
    const all = new StandInAll();
    const appendMany = (n: number): string[] =>
      Array.from({ length: n }, () => {
        const event = aRecordedEvent();
        all.append(
          `police-${event.childid}`,
          toEventData(event, contentHash(event), { route: routeTo(topic)(event), headers: {} }),
        );
        return event.id;
      });
    const before = new Set(idsOn(topic));
    const options = { name: 'leader', streamPrefixes: ['police-'], standbyIntervalMs: 50 };
    const a = new KurrentDbPublisher(all, db.pool, kafka(), options);
    const b = new KurrentDbPublisher(all, db.pool, kafka(), options);
    a.start();
    b.start();
    const firstIds = appendMany(10);
    await until(() => firstIds.every((id) => idsOn(topic).includes(id)), {
      what: 'first ten',
      timeoutMs: 20_000,
    });
    await sleep(300);
    expect(a.published + b.published).toBe(10);
    expect([a.published, b.published].sort()).toEqual([0, 10]);
    const [active, standby] = a.published === 10 ? [a, b] : [b, a];
    await active.stop();
    const moreIds = appendMany(5);
    await until(() => moreIds.every((id) => idsOn(topic).includes(id)), {
      what: 'five more, from the standby',
      timeoutMs: 20_000,
    });
    await standby.stop();
    expect(standby.published).toBe(5);
    const sent = idsOn(topic).filter((id) => !before.has(id));
    expect(sent.sort()).toEqual([...firstIds, ...moreIds].sort());
  });

  it('holds its place while Kafka refuses, and sends everything once it accepts', async () => {
    const missingTopic = `${prefix}not-yet.events`;
    const all = new StandInAll();
    const errors: unknown[] = [];
    const event = aRecordedEvent();
    all.append(
      `police-${event.childid}`,
      toEventData(event, contentHash(event), { route: routeTo(missingTopic)(event), headers: {} }),
    );
    const publisher = new KurrentDbPublisher(all, db.pool, kafka(), {
      name: 'refused',
      streamPrefixes: ['police-'],
      onError: (error) => errors.push(error),
    });
    publisher.start();
    await until(() => errors.length > 0, { what: 'a refused publish', timeoutMs: 60_000 });
    expect(await publisher.checkpoint()).toBeUndefined();
    await messaging.ensureTopics([missingTopic]);
    const consumer = messaging.consumer({ groupId: `${prefix}late-reader`, topics: [missingTopic] });
    await consumer.start((message) => {
      received.set(message.topic, [...messagesOn(message.topic), message]);
      return Promise.resolve();
    });
    consumers.push(consumer);
    await until(() => idsOn(missingTopic).includes(event.id), {
      what: 'the event after Kafka accepts',
      timeoutMs: 60_000,
    });
    await publisher.stop();
    expect(all.subscriptions).toBeGreaterThan(1);
    expect(await publisher.checkpoint()).toBeDefined();
  }, 120_000);
});

// The same, against a real node, wherever one is reachable.
const server = testKurrentDb();
const url = 'url' in server ? server.url : undefined;
(url ? describe : describe.skip)(
  url
    ? 'KurrentDB publisher on a KurrentDB node'
    : `KurrentDB publisher on a KurrentDB node (SKIPPED: ${'reason' in server ? server.reason : ''})`,
  () => {
    let db: TestDatabase;
    let messaging: KafkaMessaging;
    let client: KurrentDBClient;
    let consumer: MessageConsumer;
    let producer: Publisher;
    const prefix = uniqueTopicPrefix('kdb-node');
    const relayTopic = `${prefix}relay.police.events`;
    const topic = `${prefix}police.events`;
    const received: IncomingMessage[] = [];

    beforeAll(async () => {
      db = await createTestDatabase([EVENT_STORE_MIGRATIONS, KURRENTDB_PUBLISHER_MIGRATIONS]);
      messaging = new KafkaMessaging({ brokers: testBrokers(), clientId: 'kurrentdb-node-test' });
      await messaging.ensureTopics([relayTopic, topic]);
      client = connectKurrentDb(url!);
      producer = messaging.publisher();
      consumer = messaging.consumer({ groupId: `${prefix}reader`, topics: [relayTopic, topic] });
      await consumer.start((message) => {
        received.push(message);
        return Promise.resolve();
      });
    });

    afterAll(async () => {
      await consumer?.stop();
      await producer?.close();
      await client?.dispose();
      await db?.drop();
    });

    it('sends what the store appended exactly as the outbox relay does', async () => {
      const run = crypto.randomUUID().slice(0, 8);
      const events = [aRecordedEvent(), aRecordedEvent()];
      const pg = new PostgresEventStore(db.pool, {
        route: (e) => ({ topic: relayTopic, key: e.childid }),
        headers: () => HEADERS,
      });
      const kurrent = new KurrentDbEventStore(client, {
        route: (e) => ({ topic, key: e.childid }),
        headers: () => HEADERS,
      });
      for (const e of events) {
        await pg.append(`police${run}-${e.childid}`, [e], { expectedVersion: 'no-stream' });
        await kurrent.append(`police${run}-${e.childid}`, [e], { expectedVersion: 'no-stream' });
      }
      await new OutboxRelay(db.pool, producer).relayBatch();
      const publisher = new KurrentDbPublisher(client, db.pool, producer, {
        name: `node-${run}`,
        streamPrefixes: [`police${run}-`],
      });
      publisher.start();
      await until(() => received.filter((m) => m.topic === topic).length === 2, {
        what: 'two from KurrentDB',
        timeoutMs: 30_000,
      });
      await publisher.stop();
      const value = (t: string, id: string) =>
        received.find(
          (m) => m.topic === t && (JSON.parse(m.value!.toString('utf8')) as RecordedEvent).id === id,
        );
      for (const e of events) {
        const a = value(relayTopic, e.id)!;
        const b = value(topic, e.id)!;
        expect(b.value!.toString('utf8')).toBe(a.value!.toString('utf8'));
        expect(b.key).toBe(a.key);
        expect(b.headers).toEqual(a.headers);
      }
    });
  },
);

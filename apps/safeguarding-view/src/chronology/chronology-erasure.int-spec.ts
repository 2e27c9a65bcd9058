import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { loadConfig, ServiceConfig } from '@jigsaw/config';
import {
  agencyOfSource,
  contentHash,
  readStoredEvent,
  SchemaRegistry,
  type Agency,
  type RecordedEvent,
} from '@jigsaw/envelope';
import {
  ERASED_MARKER,
  erasePersonalData,
  erasureTopic,
  isErased,
  OpeningEventStore,
  PersonalDataVault,
  recordedExamples,
  recordTopics,
  type ProtectedEvent,
} from '@jigsaw/erasure';
import { withTransaction } from '@jigsaw/database';
import { EVENT_STORE_MIGRATIONS, OutboxRelay, PostgresEventStore } from '@jigsaw/event-store';
import {
  agencyTopic,
  deadLetterTopic,
  KafkaMessaging,
  type MessageConsumer,
  type Publisher,
} from '@jigsaw/messaging';
import { appliedEventsMigrations, ProjectionRunner, rebuild } from '@jigsaw/projection';
import {
  aNhsNumber,
  anIncidentNotification,
  createTestDatabase,
  eventually,
  testBrokers,
  uniqueTopicPrefix,
  type TestDatabase,
} from '@jigsaw/testing';
import {
  chronologyProjection,
  EVENT_COLUMNS,
  fullEvent,
  VIEW_SCHEMA,
  viewMigrations,
  type StoredChronologyRow,
} from '@jigsaw/view-model';
import { ProjectionConsumer } from '../projection.consumer.js';

const REBUILT = 'view_rebuilt';
const MASTER_KEY = randomBytes(32).toString('base64');
const DPO = {
  userId: 'dpo-1',
  role: 'data-protection-officer',
  organisation: 'urn:jigsaw:org:council:camden',
};

interface Child {
  id: string;
  events: RecordedEvent[];
  /** What must never be readable once the child is erased. */
  secrets: string[];
}

/** A police incident and a school's concern about one child, each with words of its own. */
function aChild(): Child {
  const id = randomUUID();
  const nhsNumber = aNhsNumber();
  const tag = randomBytes(4).toString('hex');
  const incident = anIncidentNotification({ nhsNumber, summary: `Incident summary ${tag}` });
  incident.subject.name = { given: `Given${tag}`, family: `Family${tag}` };
  const [, concern] = recordedExamples().find(([path]) =>
    path.startsWith('education/safeguarding-concern-recorded/'),
  )!;
  const now = new Date().toISOString();
  const events: RecordedEvent[] = [
    { ...incident, childid: id, recordedtime: now },
    {
      ...concern,
      id: `concern-${randomUUID()}`,
      subject: { nhsNumber, birthDate: '2015-03-01' },
      data: { ...(concern.data as object), summary: `Concern summary ${tag}`, actions: [`Action ${tag}`] },
      childid: id,
      recordedtime: now,
    },
  ];
  return {
    id,
    events,
    secrets: [
      nhsNumber,
      `Given${tag}`,
      `Family${tag}`,
      `Incident summary ${tag}`,
      `Concern summary ${tag}`,
      `Action ${tag}`,
    ],
  };
}

const waitFor = <T>(what: string, probe: () => Promise<T | undefined>): Promise<T> =>
  eventually(probe, { what, timeoutMs: 45_000 });

describe('erasing a child, end to end through the store, Kafka, the live view and a rebuild', () => {
  const prefix = uniqueTopicPrefix('erasure');
  let db: TestDatabase;
  let messaging: KafkaMessaging;
  let relay: OutboxRelay;
  let relayPublisher: Publisher;
  let view: ProjectionConsumer;
  let store: PostgresEventStore;
  let vault: PersonalDataVault;
  let deadLetters: MessageConsumer;
  const deadLettered: Record<string, string>[] = [];
  const [a, b] = [aChild(), aChild()];

  beforeAll(async () => {
    db = await createTestDatabase([
      EVENT_STORE_MIGRATIONS,
      ...[VIEW_SCHEMA, REBUILT].flatMap((schema) => [
        appliedEventsMigrations(schema),
        viewMigrations(schema),
      ]),
    ]);
    messaging = new KafkaMessaging({ brokers: testBrokers(), clientId: 'erasure-test' });
    await messaging.ensureTopics([...recordTopics(prefix), deadLetterTopic(prefix)]);
    const config = loadConfig(ServiceConfig, {
      JIGSAW_DEVELOPMENT: 'true',
      KAFKA_TOPIC_PREFIX: prefix,
      ENCRYPTION_MASTER_KEY: MASTER_KEY,
    });
    view = new ProjectionConsumer(db.pool, config, messaging, new SchemaRegistry());
    await view.onApplicationBootstrap();
    deadLetters = messaging.consumer({ groupId: `${prefix}dlq-reader`, topics: [deadLetterTopic(prefix)] });
    await deadLetters.start((message) => {
      deadLettered.push(message.headers);
      return Promise.resolve();
    });
    relayPublisher = messaging.publisher();
    relay = new OutboxRelay(db.pool, relayPublisher, { pollIntervalMs: 20 });
    relay.start();
    store = new PostgresEventStore(db.pool, {
      route: (event) => ({
        topic: agencyTopic(prefix, agencyOfSource(event.source) as Agency),
        key: event.childid,
      }),
      afterAppend: () => relay.wake(),
    });
    // As ingest does: sealed with the child's key just before the append, the hash over the plaintext.
    vault = new PersonalDataVault(db.pool, { masterKey: MASTER_KEY, erasureTopic: erasureTopic(prefix) });
    for (const child of [a, b]) {
      for (const event of child.events) {
        await store.append(
          `${agencyOfSource(event.source)}-${child.id}`,
          await vault.sealAll([event], child.id),
          {
            expectedVersion: 'any',
            contentHashes: [contentHash(event)],
          },
        );
      }
    }
  }, 120_000);

  afterAll(async () => {
    await Promise.all([view?.onApplicationShutdown(), deadLetters?.stop(), relay?.stop()]);
    await relayPublisher?.close();
    await db?.drop();
  });

  const chronology = async (schema: string, childId: string): Promise<ProtectedEvent[]> =>
    (
      await db.pool.query<StoredChronologyRow>(
        `SELECT ${EVENT_COLUMNS} FROM "${schema}".chronology WHERE child_id = $1 ORDER BY event_key`,
        [childId],
      )
    ).rows.map((r) => fullEvent<ProtectedEvent>(r));
  const byKey = (events: RecordedEvent[]): RecordedEvent[] =>
    [...events].sort((x, y) => `${x.source}|${x.id}`.localeCompare(`${y.source}|${y.id}`));
  const skeletonOf = ({
    id,
    source,
    type,
    time,
    sharing,
    childid,
    recordedtime,
    dataschema,
  }: RecordedEvent) => ({
    id,
    source,
    type,
    time,
    sharing,
    childid,
    recordedtime,
    dataschema,
  });

  it('shows each child its own personal data in the live view, though it only ever travelled sealed', async () => {
    for (const child of [a, b]) {
      const rows = await waitFor('both children in the chronology', async () => {
        const found = await chronology(VIEW_SCHEMA, child.id);
        return found.length === child.events.length ? found : undefined;
      });
      expect(rows).toEqual(byKey(child.events));
    }
  });

  it('after eraseChild, the live view, the store, Kafka and a rebuild hold no personal data of that child', async () => {
    const erasure = await vault.eraseChild(a.id, DPO, 'Retention period ended (decision DPO-2026-117)');
    expect(erasure).toMatchObject({ keyGenerations: [1], destroyedNow: [1], recorded: true });

    // The live view: the hub.child-erased event reaches it over Kafka and the child's entries are marked.
    const live = await waitFor('the live view to mark the child erased', async () => {
      const rows = await chronology(VIEW_SCHEMA, a.id);
      return rows.every(isErased) ? rows : undefined;
    });
    const erasedText = JSON.stringify(live);
    for (const secret of a.secrets) expect(erasedText).not.toContain(secret);
    expect(live.map(skeletonOf)).toEqual(byKey(a.events).map(skeletonOf));
    expect(live.every((e) => (e.data as { summary: string }).summary === ERASED_MARKER)).toBe(true);
    expect(await chronology(VIEW_SCHEMA, b.id)).toEqual(byKey(b.events));

    // The store: only ciphertext, now unopenable; the other child still opens.
    const stored = await db.pool.query<{ payload: string; childid: string }>(
      "SELECT payload::text, payload->>'childid' AS childid FROM event_store.events",
    );
    for (const child of [a, b]) {
      const text = stored.rows
        .filter((r) => r.childid === child.id)
        .map((r) => r.payload)
        .join('\n');
      expect(text).toContain(child.id);
      for (const secret of child.secrets) expect(text).not.toContain(secret);
    }
    const reader = new OpeningEventStore(store, new PersonalDataVault(db.pool, { masterKey: MASTER_KEY }));
    // The global order hides transactions still in flight anywhere on the server: wait for all five.
    const all = await waitFor('every event in the global order', async () => {
      const found = (await reader.readAll({ limit: 100 })).map((e) => e.event);
      return found.length === 5 ? found : undefined;
    });
    const readA = all.filter((e) => e.childid === a.id && e.type !== 'hub.child-erased');
    expect(readA).toHaveLength(2);
    expect(readA.every(isErased)).toBe(true);
    expect(byKey(all.filter((e) => e.childid === b.id))).toEqual(byKey(b.events));

    // Kafka, read raw: never a word of either child in clear; the erased child's messages no longer open.
    const raw = await readTopics(
      [agencyTopic(prefix, 'police'), agencyTopic(prefix, 'education'), erasureTopic(prefix)],
      5,
    );
    const rawText = raw.map((m) => m.value).join('\n');
    for (const secret of [...a.secrets, ...b.secrets]) expect(rawText).not.toContain(secret);
    const erasedMessage = raw.find((m) => m.topic === erasureTopic(prefix));
    expect(erasedMessage?.key).toBe(a.id);
    expect(JSON.parse(erasedMessage!.value)).toMatchObject({
      type: 'hub.child-erased',
      data: { record: { childId: a.id } },
    });
    const opener = new PersonalDataVault(db.pool, { masterKey: MASTER_KEY });
    const opened = await opener.openAll(
      raw
        .filter((m) => m.topic !== erasureTopic(prefix))
        .map((m) => readStoredEvent(JSON.parse(m.value)) as ProtectedEvent),
    );
    expect(opened.filter((e) => e.childid === a.id).every(isErased)).toBe(true);
    expect(byKey(opened.filter((e) => e.childid === b.id))).toEqual(byKey(b.events));

    // A rebuild from the store into a fresh schema: the same as the live view, erasure included.
    const result = await rebuild(db.pool, reader, REBUILT, [chronologyProjection], { batchSize: 2 });
    expect(result.events).toBe(5);
    expect(await chronology(REBUILT, a.id)).toEqual(live);
    expect(await chronology(REBUILT, b.id)).toEqual(byKey(b.events));
  });

  it('dead-letters a sealed message whose ciphertext was tampered with, naming why', async () => {
    const [sealed] = (await store.readStream(`police-${b.id}`)).map((e) => e.event as ProtectedEvent);
    const attribute = sealed!.personaldata as { ciphertext: string };
    const first = attribute.ciphertext[0] === 'A' ? 'B' : 'A';
    const tampered = {
      ...sealed,
      personaldata: { ...attribute, ciphertext: first + attribute.ciphertext.slice(1) },
    };
    const publisher = messaging.publisher();
    await publisher.publish([
      { topic: agencyTopic(prefix, 'police'), key: b.id, value: JSON.stringify(tampered) },
    ]);
    await publisher.close();
    const headers = await waitFor('the dead letter', () => Promise.resolve(deadLettered[0]));
    expect(headers['dlq-code']).toBe('POISON_MESSAGE');
    expect(headers['dlq-reason']).toBe(
      `the personal data of event ${sealed!.source}#${sealed!.id} fails its authentication check: it was altered, or sealed for another event or under another key`,
    );
    expect(await chronology(VIEW_SCHEMA, b.id)).toEqual(byKey(b.events));
  });

  it('applies hub.child-erased once, and twice changes nothing', async () => {
    const c = aChild();
    const runner = new ProjectionRunner(db.pool, REBUILT, [chronologyProjection], new SchemaRegistry());
    for (const event of c.events) await runner.apply(event);
    const own = new PersonalDataVault(db.pool, { masterKey: MASTER_KEY });
    await own.sealAll(c.events, c.id);
    await own.eraseChild(c.id, DPO, 'Decision DPO-2026-118');
    const [erased] = (await store.readStream(`erasure-${c.id}`)).map((e) => e.event);
    expect(await runner.apply(erased!)).toBe(true);
    const once = await chronology(REBUILT, c.id);
    expect(once.every(isErased)).toBe(true);
    expect(await runner.apply(erased!)).toBe(false);
    // And applied again below the runner's applied mark, the projection itself changes nothing.
    await withTransaction(db.pool, async (tx) => {
      await tx.query(`SET LOCAL search_path TO "${REBUILT}", public`);
      await chronologyProjection.apply(tx, erased!);
    });
    expect(await chronology(REBUILT, c.id)).toEqual(once);
  });

  it('leaves entries recorded after the erasure (under a new key) alone, even when they arrive first', async () => {
    const c = aChild();
    const runner = new ProjectionRunner(db.pool, REBUILT, [chronologyProjection], new SchemaRegistry());
    const own = new PersonalDataVault(db.pool, { masterKey: MASTER_KEY });
    await own.sealAll(c.events, c.id);
    await own.eraseChild(c.id, DPO, 'Decision DPO-2026-119', new Date('2026-11-22T10:00:00Z'));
    const [before, after] = [
      { ...c.events[0]!, recordedtime: '2026-11-22T09:59:59.000Z' },
      { ...c.events[1]!, recordedtime: '2026-11-22T10:00:01.000Z' },
    ];
    // The agency topic delivered both before the hub topic delivered the erasure.
    await runner.apply(before);
    await runner.apply(after);
    const [erased] = (await store.readStream(`erasure-${c.id}`)).map((e) => e.event);
    await runner.apply(erased!);
    const rows = await chronology(REBUILT, c.id);
    expect(rows.find((e) => e.id === before.id)).toEqual(erasePersonalData(before));
    expect(rows.find((e) => e.id === after.id)).toEqual(after);
  });
});

/** Every message on the topics, read raw with kafkajs from the beginning, until `count` arrived. */
async function readTopics(
  topics: string[],
  count: number,
): Promise<{ topic: string; key: string | undefined; value: string }[]> {
  const kafka = new Kafka({
    clientId: 'raw-reader',
    brokers: testBrokers().split(','),
    logLevel: logLevel.NOTHING,
  });
  const consumer: Consumer = kafka.consumer({ groupId: `raw-${randomUUID()}` });
  const seen: { topic: string; key: string | undefined; value: string }[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topics, fromBeginning: true });
    await consumer.run({
      eachMessage: ({ topic, message }) => {
        seen.push({ topic, key: message.key?.toString(), value: message.value?.toString() ?? '' });
        return Promise.resolve();
      },
    });
    await waitFor(`${count} raw messages`, () => Promise.resolve(seen.length >= count ? true : undefined));
  } finally {
    await consumer.disconnect();
  }
  return seen;
}

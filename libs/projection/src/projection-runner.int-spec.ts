import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { PoolClient } from '@jigsaw/database';
import { SchemaRegistry, type RecordedEvent } from '@jigsaw/envelope';
import {
  deadLetterTopic,
  KafkaMessaging,
  type IncomingMessage,
  type MessageConsumer,
} from '@jigsaw/messaging';
import {
  aRecordedEvent,
  createTestDatabase,
  testBrokers,
  uniqueTopicPrefix,
  type TestDatabase,
} from '@jigsaw/testing';
import type { Projection } from './projection.js';
import { appliedEventsMigrations, ProjectionRunner } from './projection-runner.js';

const SCHEMA = 'runner_test';

/** Counts applications per event, so a double application shows. */
const counting: Projection = {
  name: 'counting',
  async apply(tx: PoolClient, event: RecordedEvent): Promise<void> {
    await tx.query(
      `INSERT INTO applications (event_id, times) VALUES ($1, 1)
       ON CONFLICT (event_id) DO UPDATE SET times = applications.times + 1`,
      [event.id],
    );
  },
};

describe('projection runner on Kafka', () => {
  let db: TestDatabase;
  let messaging: KafkaMessaging;
  let consumer: MessageConsumer;
  const prefix = uniqueTopicPrefix('runner');
  const topic = `${prefix}police.events`;
  const deadLetters: IncomingMessage[] = [];
  let deadLetterConsumer: MessageConsumer;

  beforeAll(async () => {
    db = await createTestDatabase([appliedEventsMigrations(SCHEMA)]);
    await db.pool.query(
      `CREATE TABLE ${SCHEMA}.applications (event_id text PRIMARY KEY, times int NOT NULL)`,
    );
    messaging = new KafkaMessaging({ brokers: testBrokers(), clientId: 'runner-test' });
    await messaging.ensureTopics([topic, deadLetterTopic(prefix)]);
    const runner = new ProjectionRunner(db.pool, SCHEMA, [counting], new SchemaRegistry());
    consumer = messaging.consumer({
      groupId: `${prefix}view`,
      topics: [topic],
      deadLetterTopic: deadLetterTopic(prefix),
    });
    await consumer.startBatch((messages) => runner.handleBatch(messages));
    deadLetterConsumer = messaging.consumer({
      groupId: `${prefix}dlq-reader`,
      topics: [deadLetterTopic(prefix)],
    });
    await deadLetterConsumer.start((message) => {
      deadLetters.push(message);
      return Promise.resolve();
    });
  });

  afterAll(async () => {
    await Promise.all([consumer?.stop(), deadLetterConsumer?.stop()]);
    await db?.drop();
  });

  it('dead-letters what can never apply, with the reason, and applies the rest exactly once', async () => {
    const good = [aRecordedEvent(), aRecordedEvent()];
    const invalid = { ...aRecordedEvent(), sharing: { purposes: [] } };
    const publisher = messaging.publisher();
    await publisher.publish([
      { topic, key: good[0]!.childid, value: JSON.stringify(good[0]) },
      { topic, key: 'k', value: '{not json' },
      { topic, key: invalid.childid, value: JSON.stringify(invalid) },
      { topic, key: good[1]!.childid, value: JSON.stringify(good[1]) },
      // Kafka delivers at least once: the same event again must change nothing.
      { topic, key: good[0]!.childid, value: JSON.stringify(good[0]) },
    ]);
    await publisher.close();

    const deadline = Date.now() + 30_000;
    while (deadLetters.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const reasons = deadLetters.map((m) => m.headers['dlq-reason']).sort();
    expect(reasons).toEqual([
      expect.stringMatching(/^the event fails its schema: .*sharing\.basis is required/),
      'the message is not valid JSON',
    ]);
    expect(deadLetters.every((m) => m.headers['dlq-original-topic'] === topic)).toBe(true);
    expect(deadLetters.map((m) => m.headers['dlq-code'])).toEqual(['POISON_MESSAGE', 'POISON_MESSAGE']);

    let rows: { event_id: string; times: number }[] = [];
    while (rows.length < 2 && Date.now() < deadline) {
      rows = (await db.pool.query(`SELECT event_id, times FROM ${SCHEMA}.applications ORDER BY event_id`))
        .rows;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(rows).toEqual(
      good.map((e) => ({ event_id: e.id, times: 1 })).sort((a, b) => a.event_id.localeCompare(b.event_id)),
    );
  });
});

import { describe, expect, it, jest } from '@jest/globals';
import kafkajs, { Kafka, logLevel } from 'kafkajs';
import { LossyKafkaSockets, testBrokers, uniqueTopicPrefix, until } from '@jigsaw/testing';
import { kafkaTool } from '../../../infra/kafka/kafka.mjs';
import { KafkaMessaging } from './kafka-messaging.js';

const { ConfigResourceTypes, KafkaJSConnectionError } = kafkajs;

/** The topics as the broker itself describes them, through a client of its own. */
async function described(
  topic: string,
): Promise<{ partitions: number; replicas: number; minInsync: string; retention: string }> {
  const admin = new Kafka({ brokers: testBrokers().split(','), clientId: 'topic-check' }).admin();
  await admin.connect();
  try {
    const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
    const configs = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [
        {
          type: ConfigResourceTypes.TOPIC,
          name: topic,
          configNames: ['min.insync.replicas', 'retention.ms'],
        },
      ],
    });
    const entries = configs.resources[0]!.configEntries;
    const config = (name: string) => entries.find((e) => e.configName === name)?.configValue;
    return {
      partitions: topics[0]!.partitions.length,
      replicas: topics[0]!.partitions[0]!.replicas.length,
      minInsync: config('min.insync.replicas')!,
      retention: config('retention.ms')!,
    };
  } finally {
    await admin.disconnect();
  }
}

describe('topics made and checked against KAFKA_PARTITIONS, KAFKA_REPLICATION_FACTOR, KAFKA_MIN_INSYNC_REPLICAS, KAFKA_RETENTION_MS', () => {
  const messaging = new KafkaMessaging({ brokers: testBrokers(), clientId: 'topic-settings-test' });

  it('creates missing topics with the settings, and finds nothing to report about them', async () => {
    const topic = `${uniqueTopicPrefix('topics')}police.events`;
    const settings = { partitions: 3, replicationFactor: 1, minInsyncReplicas: 1, retentionMs: 7_200_000 };
    expect(await messaging.ensureTopics([topic], settings)).toEqual([]);
    expect(await described(topic)).toEqual({
      partitions: 3,
      replicas: 1,
      minInsync: '1',
      retention: '7200000',
    });
    expect(await messaging.ensureTopics([topic], settings)).toEqual([]);
  });

  it('keeps messages for good by default, as Kafka’s own kafka-topics --describe shows', async () => {
    const topic = `${uniqueTopicPrefix('topics')}hub.events`;
    expect(await messaging.ensureTopics([topic], { partitions: 1 })).toEqual([]);
    const out = await kafkaTool('org.apache.kafka.tools.TopicCommand', [
      '--bootstrap-server',
      testBrokers(),
      '--describe',
      '--topic',
      topic,
    ]);
    const header = out.split('\n').find((line) => line.startsWith(`Topic: ${topic}\t`)) ?? out;
    expect(header).toMatch(/\tConfigs: (.*,)?retention\.ms=-1(,|$)/);
  });

  it('reports a topic that forgets, made before messages were kept for good, and leaves it as it is', async () => {
    const topic = `${uniqueTopicPrefix('topics')}council.events`;
    const week = { partitions: 1, replicationFactor: 1, minInsyncReplicas: 1, retentionMs: 604_800_000 };
    await messaging.ensureTopics([topic], week);
    expect(await messaging.ensureTopics([topic], { ...week, retentionMs: -1 })).toEqual([
      { topic, setting: 'retentionMs', expected: -1, actual: 604_800_000 },
    ]);
    expect((await described(topic)).retention).toBe('604800000');
  });

  it('reports each setting an existing topic does not have, and leaves the topic as it is', async () => {
    const topic = `${uniqueTopicPrefix('topics')}health.events`;
    await messaging.ensureTopics([topic], { partitions: 2, replicationFactor: 1, minInsyncReplicas: 1 });
    const differences = await messaging.ensureTopics([topic], {
      partitions: 4,
      replicationFactor: 1,
      minInsyncReplicas: 2,
    });
    expect(differences).toEqual([
      { topic, setting: 'partitions', expected: 4, actual: 2 },
      { topic, setting: 'minInsyncReplicas', expected: 2, actual: 1 },
    ]);
    expect(await described(topic)).toEqual({ partitions: 2, replicas: 1, minInsync: '1', retention: '-1' });
  });

  it('asks again when the broker asked for the topics’ configs does not answer, as one that is down', async () => {
    const topic = `${uniqueTopicPrefix('topics')}education.events`;
    const settings = { partitions: 1, replicationFactor: 1, minInsyncReplicas: 1 };
    await messaging.ensureTopics([topic], settings);
    // The metadata may still name a broker that was killed a moment ago: its first answer is a refused
    // connection, as a replica starting during an outage saw.
    const kafka = (messaging as unknown as { kafka: Kafka }).kafka;
    const admin = kafka.admin.bind(kafka);
    let refused = 0;
    const spy = jest.spyOn(kafka, 'admin').mockImplementation((config) => {
      const real = admin(config);
      const describeConfigs = real.describeConfigs.bind(real);
      real.describeConfigs = (request) =>
        refused++ === 0
          ? Promise.reject(new KafkaJSConnectionError('Connection error: connect ECONNREFUSED'))
          : describeConfigs(request);
      return real;
    });
    try {
      expect(await messaging.ensureTopics([topic], settings)).toEqual([]);
    } finally {
      spy.mockRestore();
    }
    expect(refused).toBe(2);
  });

  it('refuses a replication factor above the number of brokers, naming the variable', async () => {
    const topic = `${uniqueTopicPrefix('topics')}council.events`;
    await expect(
      messaging.ensureTopics([topic], { partitions: 1, replicationFactor: 3, minInsyncReplicas: 2 }),
    ).rejects.toThrow(/KAFKA_REPLICATION_FACTOR is 3 but the cluster has 1 broker/);
  });
});

describe('publishing after a publish whose answer was lost', () => {
  it('publishes what follows, and what was written without an answer, once the broker answers again', async () => {
    const topic = `${uniqueTopicPrefix('lost-answer')}police.events`;
    const messaging = new KafkaMessaging({ brokers: testBrokers(), clientId: 'lost-answer-test' });
    await messaging.ensureTopics([topic], { partitions: 1, replicationFactor: 1, minInsyncReplicas: 1 });
    // The same messaging, its client's sockets losing produce answers on demand, giving up after a retry.
    const sockets = new LossyKafkaSockets();
    (messaging as unknown as { kafka: Kafka }).kafka = new Kafka({
      brokers: testBrokers().split(','),
      clientId: 'lost-answer-test',
      logLevel: logLevel.NOTHING,
      retry: { retries: 1, initialRetryTime: 100 },
      socketFactory: sockets.factory,
    });
    const publisher = messaging.publisher();
    const message = (value: string) => ({ topic, key: 'child-1', value });
    try {
      await publisher.publish([message('first')]);
      sockets.losing = true;
      await expect(publisher.publish([message('lost-1'), message('lost-2')])).rejects.toThrow();
      expect(sockets.lost).toBeGreaterThan(0);
      sockets.losing = false;
      // As a relay does: its next batch holds the rows not yet published and those written since.
      await publisher.publish([message('lost-1'), message('lost-2'), message('later')]);
      await publisher.publish([message('last')]);
    } finally {
      await publisher.close();
    }
    const values = await topicValues(topic);
    expect(new Set(values)).toEqual(new Set(['first', 'lost-1', 'lost-2', 'later', 'last']));
    expect(values.filter((v) => v === 'later' || v === 'last')).toEqual(['later', 'last']);
  });
});

describe('a consumer that kafkajs stops after a crash it does not restart', () => {
  it('is started again, and consumes what it was given and what follows', async () => {
    const topic = `${uniqueTopicPrefix('crashed')}police.events`;
    const messaging = new KafkaMessaging({ brokers: testBrokers(), clientId: 'crashed-consumer-test' });
    await messaging.ensureTopics([topic], { partitions: 1, replicationFactor: 1, minInsyncReplicas: 1 });
    const publisher = messaging.publisher();
    const consumer = messaging.consumer({ groupId: `${topic}.reader`, topics: [topic] });
    const handled: string[] = [];
    let thrown = 0;
    try {
      await publisher.publish([{ topic, key: 'child-1', value: 'before' }]);
      // kafkajs counts a TypeError as unrecoverable: it leaves the group and does not restart.
      await consumer.startBatch((messages) => {
        if (thrown++ === 0) throw new TypeError('a handler’s own bug, once');
        handled.push(...messages.map((m) => m.value?.toString() ?? ''));
        return Promise.resolve([]);
      });
      await publisher.publish([{ topic, key: 'child-1', value: 'after' }]);
      await until(() => handled.includes('after'), { timeoutMs: 30_000, what: 'both messages handled' });
    } finally {
      await consumer.stop();
      await publisher.close();
    }
    expect(handled).toEqual(['before', 'after']);
    expect(thrown).toBeGreaterThan(1);
  });
});

/** Every value on a topic, in order, read by a client of its own. */
async function topicValues(topic: string): Promise<string[]> {
  const kafka = new Kafka({
    brokers: testBrokers().split(','),
    clientId: 'topic-reader',
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  await admin.connect();
  const ends = await admin.fetchTopicOffsets(topic).finally(() => admin.disconnect());
  const total = ends.reduce((sum, p) => sum + Number(p.high), 0);
  const consumer = kafka.consumer({ groupId: `${topic}.reader` });
  const values: string[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      eachMessage: ({ message }) => {
        values.push(message.value?.toString() ?? '');
        return Promise.resolve();
      },
    });
    await until(() => values.length >= total, { timeoutMs: 30_000, what: `${total} messages read` });
  } finally {
    await consumer.disconnect();
  }
  return values;
}

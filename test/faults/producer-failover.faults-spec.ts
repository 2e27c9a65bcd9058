import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Kafka, logLevel, Partitioners, type PartitionMetadata } from 'kafkajs';
import { KafkaMessaging } from '@jigsaw/messaging';
import { clusterNodes, stopKafkaCluster } from '../../infra/kafka/kafka.mjs';
import { eventually } from './support/agency-client.js';
import { startFaultKafkaCluster } from './support/kafka-cluster.js';
import { scanTopics } from './support/missing-events.js';

/** A key kafkajs's default partitioner sends to `partition` of a topic of `count` partitions. */
function keyOn(partition: number, count: number): string {
  const partitionMetadata = Array.from({ length: count }, (_, partitionId) => ({
    partitionId,
    leader: 0,
  })) as PartitionMetadata[];
  const partitioner = Partitioners.DefaultPartitioner();
  for (let i = 0; ; i++) {
    const key = randomUUID();
    if (partitioner({ topic: 't', partitionMetadata, message: { key, value: '' } }) === partition) return key;
  }
}

describe('a send to partitions led by two brokers, one of them no longer the leader', () => {
  let options: { basePort: number; dataDir: string } | undefined;
  let brokers: string;

  beforeAll(async () => {
    ({ options, brokers } = await startFaultKafkaCluster('producer-failover'));
  }, 300_000);
  afterAll(async () => {
    if (options) await stopKafkaCluster(options);
  }, 120_000);

  it('is never taken as written while a partition of it was not: sent again, every message is on the topic', async () => {
    const kafka = new Kafka({
      brokers: brokers.split(','),
      clientId: 'faults-admin',
      logLevel: logLevel.NOTHING,
    });
    const admin = kafka.admin();
    await admin.connect();
    const [a, b] = clusterNodes(options).map((n) => n.nodeId) as [number, number];
    const topic = `jigsaw-failover-${randomUUID()}`;
    await admin.createTopics({
      waitForLeaders: true,
      topics: [
        {
          topic,
          replicaAssignment: [
            { partition: 0, replicas: [a] },
            { partition: 1, replicas: [b] },
          ],
        },
      ],
    });
    const on0 = keyOn(0, 2);
    const on1 = keyOn(1, 2);
    const publisher = new KafkaMessaging({ brokers, clientId: 'faults-failover' }).publisher();
    // The publisher learns that broker a leads partition 0 and broker b partition 1.
    await publisher.publish([
      { topic, key: on0, value: 'before-0' },
      { topic, key: on1, value: 'before-1' },
    ]);

    // Partition 1 moves to broker a, which has answered for partition 0 in the same send, while b stays up
    // and refuses partition 1 as no longer its leader: as when a broker fails over in a cluster.
    await admin.alterPartitionReassignments({
      topics: [{ topic, partitionAssignment: [{ partition: 1, replicas: [a] }] }],
    });
    await eventually(
      async () => {
        const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
        const { topics: moving } = await admin.listPartitionReassignments({
          topics: [{ topic, partitions: [1] }],
        });
        const p1 = topics[0]!.partitions.find((p) => p.partitionId === 1);
        return p1?.leader === a && p1.replicas.join() === String(a) && moving.length === 0 ? true : undefined;
      },
      60_000,
      'partition 1 led by broker a alone',
      250,
    );

    // As the relay does: a send that fails is sent again, until one succeeds.
    let failed = 0;
    for (;;) {
      try {
        await publisher.publish([
          { topic, key: on0, value: 'after-0' },
          { topic, key: on1, value: 'after-1' },
        ]);
        break;
      } catch {
        if (++failed >= 10) throw new Error('the send never succeeded');
        await sleep(500);
      }
    }
    await publisher.close();
    process.stderr.write(
      `[faults] producer failover: ${failed} send(s) failed before one was taken as written\n`,
    );

    const values = new Map<string, number>();
    const scan = await scanTopics(kafka, [topic], (m) => {
      values.set(m.value?.toString() ?? '', m.partition);
    });
    await admin.disconnect();
    expect(scan.complete).toBe(true);
    expect(Object.fromEntries(values)).toEqual({
      'before-0': 0,
      'before-1': 1,
      'after-0': 0,
      'after-1': 1,
    });
  }, 300_000);
});

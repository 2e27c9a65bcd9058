import { AssignerProtocol, Kafka, logLevel } from 'kafkajs';
import type { Pool } from '@jigsaw/database';
import type { ServiceProcess } from '@jigsaw/testing';
import { eventually } from './agency-client.js';
import { deadLetters, missingEvents, type KeyedReadModel } from './missing-events.js';
import { eventCounts } from './replay.js';

/** Where to look when the hub stops catching up: its database, its brokers and its processes. */
export interface StallScene {
  pool: Pool;
  brokers: string;
  prefix: string;
  /** Consumer groups, without the prefix. */
  groups: readonly string[];
  topics: readonly string[];
  /** Read models that hold every agency event, each with its consumer group (without the prefix). */
  readModels?: readonly (KeyedReadModel & { group: string })[];
  /** Where the consumers dead-letter what they cannot read. */
  deadLetterTopic?: string;
  processes: () => Record<string, ServiceProcess | undefined>;
}

const TAIL_LINES = 25;

/**
 * What a stalled run looks like, as text: the event counts, the outbox by topic, each group's lag by
 * partition and its members' assignments, each agency event a read model lacks and where it sits in
 * Kafka, the dead-letter topic, and the tail of each process's output.
 */
export async function stallReport(scene: StallScene): Promise<string> {
  const lines: string[] = [];
  const section = async (title: string, work: () => Promise<void> | void): Promise<void> => {
    lines.push(`-- ${title}`);
    await Promise.resolve()
      .then(work)
      .catch((error: unknown) => lines.push(`   (failed: ${(error as Error).message})`));
  };
  await section('event counts', async () => {
    lines.push(`   ${JSON.stringify(await eventCounts(scene.pool))}`);
  });
  await section('outbox by topic', async () => {
    const { rows } = await scene.pool.query<{ topic: string; n: number; oldest: number }>(
      `SELECT topic, count(*)::int AS n, extract(epoch FROM now() - min(created_at))::int AS oldest
       FROM event_store.outbox GROUP BY topic ORDER BY topic`,
    );
    for (const r of rows) lines.push(`   ${r.topic}: ${r.n} rows, oldest ${r.oldest} s`);
  });
  const admin = new Kafka({ brokers: scene.brokers.split(','), clientId: 'faults-stall-report' }).admin();
  await section('consumer groups', async () => {
    await admin.connect();
    const ends = new Map<string, { partition: number; high: string }[]>();
    for (const topic of scene.topics) ends.set(topic, await admin.fetchTopicOffsets(topic));
    const { groups } = await admin.describeGroups(scene.groups.map((g) => `${scene.prefix}${g}`));
    for (const group of groups) {
      lines.push(`   ${group.groupId}: ${group.state}, ${group.members.length} member(s)`);
      for (const m of group.members) {
        const assigned = m.memberAssignment.length
          ? (AssignerProtocol.MemberAssignment.decode(m.memberAssignment)?.assignment ?? {})
          : {};
        const held = Object.entries(assigned)
          .map(([topic, partitions]) => `${topic.slice(scene.prefix.length)}[${partitions.join(',')}]`)
          .join(' ');
        lines.push(`     ${m.memberId} ${m.clientHost}: ${held}`);
      }
      const committed = await admin.fetchOffsets({ groupId: group.groupId, topics: [...scene.topics] });
      for (const { topic, partitions } of committed) {
        const behind = (ends.get(topic) ?? []).map((end) => {
          const at = Number(partitions.find((p) => p.partition === end.partition)?.offset ?? '-1');
          return { partition: end.partition, lag: Number(end.high) - Math.max(0, at), at };
        });
        const total = behind.reduce((sum, b) => sum + b.lag, 0);
        const lagging = behind.filter((b) => b.lag > 0).map((b) => `p${b.partition} at ${b.at} lag ${b.lag}`);
        lines.push(
          `     ${topic.slice(scene.prefix.length)}: lag ${total}${lagging.length ? `: ${lagging.join(', ')}` : ''}`,
        );
      }
    }
  });
  await admin.disconnect().catch(() => undefined);
  const kafka = new Kafka({
    brokers: scene.brokers.split(','),
    clientId: 'faults-stall-report',
    logLevel: logLevel.NOTHING,
  });
  if (scene.readModels) {
    const models = scene.readModels.map((m) => ({ ...m, group: `${scene.prefix}${m.group}` }));
    await section('stored agency events a read model lacks', async () => {
      lines.push(...(await missingEvents({ pool: scene.pool, kafka, models, topics: scene.topics })));
    });
  }
  const deadLetterTopic = scene.deadLetterTopic;
  if (deadLetterTopic) {
    await section(`the dead-letter topic, ${deadLetterTopic.slice(scene.prefix.length)}`, async () => {
      lines.push(...(await deadLetters(kafka, deadLetterTopic)));
    });
  }
  await section(`each process's last ${TAIL_LINES} lines`, () => {
    for (const [name, process] of Object.entries(scene.processes())) {
      const tail = (process?.output.join('') ?? '').trimEnd().split('\n').slice(-TAIL_LINES);
      lines.push(`   ${name}${process?.pid ? ` (pid ${process.pid})` : ''}:`);
      for (const line of tail) lines.push(`     ${line.slice(0, 400)}`);
    }
  });
  return lines.join('\n');
}

/** As `eventually`, but a wait that gives up first prints the stall report. */
export async function eventuallyOrReport<T>(
  scene: StallScene,
  probe: () => Promise<T | undefined>,
  timeoutMs: number,
  what: string,
  intervalMs?: number,
): Promise<T> {
  try {
    return await eventually(probe, timeoutMs, what, intervalMs);
  } catch (error) {
    process.stderr.write(`[faults] ${what}: not reached; how things stand:\n${await stallReport(scene)}\n`);
    throw error;
  }
}

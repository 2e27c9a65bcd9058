import { randomUUID } from 'node:crypto';
import type { IHeaders, Kafka } from 'kafkajs';
import type { Pool } from '@jigsaw/database';

/** A read model that should hold every agency event once, by event key (`source|id`). */
export interface KeyedReadModel {
  name: string;
  /** Schema-qualified, with an `event_key` column. */
  table: string;
  /** Its consumer's applied marks, schema-qualified. */
  applied: string;
}

interface Missing {
  key: string;
  source: string;
  id: string;
  streamId: string;
  position: string;
  recordedAt: Date;
  childId: string;
  applied: boolean;
}

/** More than this many missing is a stall, not a loss: counted, and the first few named. */
const NAMED = 20;
const SCAN_WITHIN_MS = 90_000;

const str = (value: IHeaders[string]): string => (Array.isArray(value) ? value[0] : value)?.toString() ?? '';

/**
 * Reads every message below each partition's end as it is now, in a throwaway group that is deleted after.
 * Resolves with whether every partition was read to its end within the time allowed.
 */
export async function scanTopics(
  kafka: Kafka,
  topics: readonly string[],
  each: (message: {
    topic: string;
    partition: number;
    offset: string;
    key: string;
    value: Buffer | null;
    headers: IHeaders;
  }) => void,
): Promise<{ complete: boolean; read: number }> {
  const admin = kafka.admin();
  await admin.connect();
  const groupId = `faults-stall-report-${randomUUID()}`;
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100 });
  let read = 0;
  try {
    const existing = new Set(await admin.listTopics());
    const present = topics.filter((t) => existing.has(t));
    const ends = new Map<string, bigint>();
    for (const topic of present)
      for (const p of await admin.fetchTopicOffsets(topic))
        if (BigInt(p.high) > BigInt(p.low)) ends.set(`${topic}:${p.partition}`, BigInt(p.high));
    if (ends.size === 0) return { complete: true, read };
    let done: () => void = () => undefined;
    const finished = new Promise<void>((resolve) => (done = resolve));
    await consumer.connect();
    await consumer.subscribe({ topics: present, fromBeginning: true });
    await consumer.run({
      eachBatch: async ({ batch }) => {
        const at = `${batch.topic}:${batch.partition}`;
        const end = ends.get(at);
        if (end === undefined) return;
        for (const m of batch.messages) {
          if (BigInt(m.offset) >= end) break;
          read++;
          each({
            topic: batch.topic,
            partition: batch.partition,
            offset: m.offset,
            key: m.key?.toString() ?? '',
            value: m.value,
            headers: m.headers ?? {},
          });
        }
        if (BigInt(batch.lastOffset()) + 1n >= end) {
          ends.delete(at);
          if (ends.size === 0) done();
        }
        return Promise.resolve();
      },
    });
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([finished, new Promise((resolve) => (timer = setTimeout(resolve, SCAN_WITHIN_MS)))]);
    clearTimeout(timer);
    return { complete: ends.size === 0, read };
  } finally {
    await consumer.disconnect().catch(() => undefined);
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.disconnect().catch(() => undefined);
  }
}

/**
 * The agency events stored but absent from each read model, by event key, with where each sits: its stream
 * and position, when it was recorded, whether its consumer marked it applied, and every copy of it on the
 * record topics (topic, partition, offset) beside each group's committed offset there. Ids, keys and
 * offsets only: no personal data.
 */
export async function missingEvents(options: {
  pool: Pool;
  kafka: Kafka;
  models: readonly (KeyedReadModel & { group: string })[];
  topics: readonly string[];
}): Promise<string[]> {
  const { pool, kafka, models, topics } = options;
  const lines: string[] = [];
  const wanted = new Map<string, Missing[]>();
  const byModel: { model: KeyedReadModel & { group: string }; missing: Missing[]; total: number }[] = [];
  for (const model of models) {
    const exists = await pool.query<{ ok: boolean }>('SELECT to_regclass($1) IS NOT NULL AS ok', [
      model.table,
    ]);
    if (!exists.rows[0]?.ok) continue;
    const { rows } = await pool.query<{
      key: string;
      source: string;
      id: string;
      stream_id: string;
      position: string;
      recorded_at: Date;
      child_id: string;
      applied: boolean;
      total: number;
    }>(
      `SELECT e.source || '|' || e.id AS key, e.source, e.id, e.stream_id, e.stream_position::text AS position,
              e.recorded_at, e.payload->>'childid' AS child_id,
              EXISTS (SELECT 1 FROM ${model.applied} a WHERE a.event_key = e.source || '|' || e.id) AS applied,
              count(*) OVER ()::int AS total
       FROM event_store.events e
       WHERE e.type NOT LIKE 'hub.%'
         AND NOT EXISTS (SELECT 1 FROM ${model.table} m WHERE m.event_key = e.source || '|' || e.id)
       ORDER BY e.recorded_at LIMIT ${NAMED}`,
    );
    const missing = rows.map((r) => ({
      key: r.key,
      source: r.source,
      id: r.id,
      streamId: r.stream_id,
      position: r.position,
      recordedAt: r.recorded_at,
      childId: r.child_id,
      applied: r.applied,
    }));
    byModel.push({ model, missing, total: rows[0]?.total ?? 0 });
    for (const m of missing) wanted.set(m.key, []);
  }
  const found = new Map<string, { topic: string; partition: number; offset: string }[]>();
  let scanned = '';
  if (wanted.size > 0) {
    const ids = new Set([...wanted.keys()]);
    const scan = await scanTopics(kafka, topics, (m) => {
      let key: string | undefined;
      try {
        const value = JSON.parse(m.value?.toString('utf8') ?? '') as { source?: unknown; id?: unknown };
        key = `${String(value.source)}|${String(value.id)}`;
      } catch {
        return;
      }
      if (!ids.has(key)) return;
      const list = found.get(key) ?? [];
      list.push({ topic: m.topic, partition: m.partition, offset: m.offset });
      found.set(key, list);
    });
    scanned = `${scan.read} messages of the record topics read${scan.complete ? '' : ', not to their ends in time'}`;
  }
  const admin = kafka.admin();
  await admin.connect();
  try {
    for (const { model, missing, total } of byModel) {
      lines.push(
        `   ${model.name}: ${total} stored agency event(s) absent${total > NAMED ? `, the first ${NAMED}:` : ''}`,
      );
      if (missing.length === 0) continue;
      const committed = await admin.fetchOffsets({ groupId: model.group, topics: [...topics] });
      for (const m of missing) {
        lines.push(
          `     ${m.key} stream ${m.streamId} position ${m.position} recorded ${m.recordedAt.toISOString()} ` +
            `child ${m.childId}; ${m.applied ? 'MARKED applied' : 'not marked applied'}`,
        );
        const copies = found.get(m.key) ?? [];
        if (copies.length === 0) lines.push('       on no record topic');
        for (const c of copies) {
          const at = committed
            .find((t) => t.topic === c.topic)
            ?.partitions.find((p) => p.partition === c.partition)?.offset;
          lines.push(
            `       ${c.topic} p${c.partition} offset ${c.offset}; ${model.group} committed at ${at ?? '?'}`,
          );
        }
      }
    }
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
  if (scanned) lines.push(`   (${scanned})`);
  return lines;
}

/** Every message on the dead-letter topic: why, and where it came from. */
export async function deadLetters(kafka: Kafka, topic: string): Promise<string[]> {
  const lines: string[] = [];
  const scan = await scanTopics(kafka, [topic], (m) => {
    const h = m.headers;
    lines.push(
      `     ${str(h['dlq-original-topic'])} p${str(h['dlq-original-partition'])} offset ${str(h['dlq-original-offset'])}` +
        ` (here p${m.partition} offset ${m.offset}): ${str(h['dlq-code'])}: ${str(h['dlq-reason']).slice(0, 300)}`,
    );
  });
  return [`   ${scan.read} message(s)${scan.complete ? '' : ', not read to the end in time'}`, ...lines];
}

import type { Pool, PoolClient } from '@jigsaw/database';
import type { Publisher } from '@jigsaw/messaging';
import { registerGauge } from '@jigsaw/telemetry';
import { cloudEventRecord } from './cloud-event-message.js';
import { LeaderLoop } from './leader-loop.js';
import { relayed, relaySpans, type OutboxRow } from './outbox-relay.telemetry.js';

/** After a failed batch, how long a relay waits, without the lock, before it tries to lead again. */
const ERROR_PAUSE_MS = 500;

export interface OutboxRelayOptions {
  /**
   * The topics whose rows this relay publishes: its owner's (an agency's topic, the hub's). Each owner has
   * its own leader, so several owners' relays publish at once. Absent: every row in the outbox.
   */
  topics?: readonly string[];
  batchSize?: number;
  /** How long `stop` waits for a batch in flight (e.g. Kafka retrying a broker that is down). */
  stopTimeoutMs?: number;
  /** How often to look when nothing woke the relay: rows written by another process wait this long at most. */
  pollIntervalMs?: number;
  onError?: (error: unknown) => void;
}

/**
 * Publishes outbox rows to Kafka in id order, then deletes them. One relay per owner (its set of topics)
 * is active at a time, by an advisory lock named after those topics, which keeps each child's messages in
 * order; the owner's other replicas wait as standbys, and other owners' relays publish side by side. A
 * leader whose batch fails lets the lock go before it pauses, so a standby takes over from a failing one.
 * At least once: a crash after publishing and before deleting republishes, and consumers dedupe.
 */
export class OutboxRelay {
  published = 0;
  private readonly topics: string[] | null;
  private readonly leadership: LeaderLoop;

  constructor(
    private readonly pool: Pool,
    private readonly publisher: Publisher,
    private readonly options: OutboxRelayOptions = {},
  ) {
    this.topics = options.topics ? [...options.topics].sort() : null;
    this.leadership = new LeaderLoop(
      pool,
      {
        lockName: `jigsaw.outbox-relay${this.topics ? `:${this.topics.join(',')}` : ''}`,
        standbyIntervalMs: 1_000,
        errorPauseMs: ERROR_PAUSE_MS,
        ...(options.onError ? { onError: options.onError } : {}),
      },
      (session) => this.lead(session),
    );
    // Only what this relay publishes: another owner's backlog is another process's to report.
    registerGauge('jigsaw_outbox_backlog', 'Outbox rows not yet published to Kafka', () => this.backlog());
    registerGauge('jigsaw_outbox_oldest_age_seconds', 'Age of the oldest unpublished outbox row', () =>
      this.oldestAgeSeconds(),
    );
  }

  /** Looks at the outbox now rather than at the next poll (the store calls it after each append). */
  wake(): void {
    this.leadership.wake();
  }

  start(): void {
    this.leadership.start();
  }

  /**
   * Stops after the batch in flight, waiting `stopTimeoutMs` at most: a batch cut off is rolled back
   * with its session, and its rows are published again by the next leader.
   */
  stop(): Promise<void> {
    return this.leadership.stop(this.options.stopTimeoutMs ?? 2_000);
  }

  /** The outbox's rows that are this relay's to publish. */
  private get mine(): { where: string; params: unknown[] } {
    return this.topics
      ? { where: 'WHERE topic = ANY($1::text[])', params: [this.topics] }
      : { where: '', params: [] };
  }

  async backlog(): Promise<number> {
    const { where, params } = this.mine;
    const { rows } = await this.pool.query<{ n: string }>(
      `SELECT count(*) AS n FROM event_store.outbox ${where}`,
      params,
    );
    return Number(rows[0]?.n ?? 0);
  }

  async oldestAgeSeconds(): Promise<number> {
    const { where, params } = this.mine;
    const { rows } = await this.pool.query<{ age: number | null }>(
      `SELECT extract(epoch FROM now() - min(created_at))::float8 AS age FROM event_store.outbox ${where}`,
      params,
    );
    return Math.max(0, rows[0]?.age ?? 0);
  }

  /** While leading: a batch at a time, on the session holding the lock, waiting when there is none. */
  private async lead(session: PoolClient): Promise<void> {
    while (!this.leadership.stopped) {
      // On the session holding the lock: if the database restarts, the lock is gone, and so is the
      // session, so the batch fails and the lock is taken again before anything more is published.
      const sent = await this.relayBatch(session);
      if (sent === 0) await this.leadership.idle(this.options.pollIntervalMs ?? 100);
    }
  }

  /** Publishes one batch; the rows stay locked until Kafka has acknowledged every message. */
  async relayBatch(session?: PoolClient): Promise<number> {
    const client = session ?? (await this.pool.connect());
    try {
      await client.query('BEGIN');
      const { where, params } = this.mine;
      const { rows } = await client.query<OutboxRow>(
        `SELECT id, topic, message_key, payload, headers, traceparent, tracestate, created_at
         FROM event_store.outbox ${where} ORDER BY id LIMIT $${params.length + 1} FOR UPDATE SKIP LOCKED`,
        [...params, this.options.batchSize ?? 500],
      );
      if (rows.length > 0) {
        // Each message's span continues its append's trace, and its traceparent travels on in the headers.
        const spans = relaySpans(rows);
        try {
          await this.publisher.publish(
            rows.map((r, i) => {
              const { value, headers } = cloudEventRecord(r.payload, { ...r.headers, ...spans.headers(i) });
              return { topic: r.topic, key: r.message_key, value: JSON.stringify(value), headers };
            }),
          );
          await client.query('DELETE FROM event_store.outbox WHERE id = ANY($1::bigint[])', [
            rows.map((r) => r.id),
          ]);
        } catch (error) {
          spans.end(error);
          throw error;
        }
        spans.end();
      }
      await client.query('COMMIT');
      this.published += rows.length;
      relayed(rows);
      return rows.length;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      if (!session) client.release();
    }
  }
}

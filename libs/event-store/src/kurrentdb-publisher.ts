import { join } from 'node:path';
import type { AllStreamResolvedEvent, AllStreamSubscription } from '@kurrent/kurrentdb-client';
import { repoRoot } from '@jigsaw/config';
import { OWNER_ROLES, type MigrationSet, type Pool, type PoolClient } from '@jigsaw/database';
import type { Publisher } from '@jigsaw/messaging';
import type { GlobalPosition } from './event-store.js';
import { toGlobalPosition, toKafkaMessage } from './kurrentdb-mapping.js';
import { LeaderLoop } from './leader-loop.js';
import {
  closeSubscription,
  readBatches,
  recordsAfter,
  subscribeAfter,
  type AllSubscriber,
} from './kurrentdb-subscription.js';

/** The publishers' checkpoints, in the service's PostgreSQL database. */
export const KURRENTDB_PUBLISHER_MIGRATIONS: MigrationSet = {
  component: 'event-store-kurrentdb',
  owner: OWNER_ROLES.eventStore,
  directory: join(repoRoot(), 'libs/event-store/kurrentdb-migrations'),
};

export interface KurrentDbPublisherOptions {
  /** Names the checkpoint and the leadership lock: publishers of one name share one place in $all. */
  name: string;
  /** Follow only streams starting with one of these (e.g. `police-`); by default all of ours. */
  streamPrefixes?: readonly string[];
  batchSize?: number;
  /** How often a standby looks whether the active publisher has gone. */
  standbyIntervalMs?: number;
  onError?: (error: unknown) => void;
}

/**
 * What replaces the outbox relay when the store is KurrentDB: a catch-up subscription to $all that sends
 * each event recorded with a route to Kafka exactly as the relay sends an outbox row (same topic, key,
 * value and headers), then stores the event's position as its checkpoint in PostgreSQL.
 *
 * One publisher per name is active at a time (a PostgreSQL advisory lock, as for the relay), which keeps
 * each child's messages in order; others wait as standbys. At least once: a crash after publishing and
 * before the checkpoint is stored sends that batch again, and consumers dedupe.
 */
export class KurrentDbPublisher {
  private subscription: AllStreamSubscription | undefined;
  private readonly leadership: LeaderLoop;
  published = 0;

  constructor(
    private readonly client: AllSubscriber,
    private readonly pool: Pool,
    private readonly publisher: Publisher,
    private readonly options: KurrentDbPublisherOptions,
  ) {
    this.leadership = new LeaderLoop(
      pool,
      {
        lockName: `jigsaw.kurrentdb-publisher:${options.name}`,
        standbyIntervalMs: options.standbyIntervalMs ?? 1_000,
        errorPauseMs: 500,
        ...(options.onError ? { onError: options.onError } : {}),
      },
      (session) => this.follow(session),
    );
  }

  start(): void {
    this.leadership.start();
  }

  async stop(): Promise<void> {
    const stopped = this.leadership.stop();
    // A subscription waiting for events ends only when closed.
    if (this.subscription) await closeSubscription(this.subscription);
    await stopped;
  }

  /** Where this publisher's name has got to in $all, if anywhere. */
  async checkpoint(client: Pick<Pool, 'query'> = this.pool): Promise<GlobalPosition | undefined> {
    const { rows } = await client.query<{ commit_position: string; prepare_position: string }>(
      `SELECT commit_position::text, prepare_position::text FROM event_store.kurrentdb_checkpoints WHERE name = $1`,
      [this.options.name],
    );
    const row = rows[0];
    return row ? { transactionId: row.commit_position, position: row.prepare_position } : undefined;
  }

  /** Publishes from the checkpoint on, batch by batch, until stopped or something fails. */
  private async follow(leader: PoolClient): Promise<void> {
    let after = await this.checkpoint(leader);
    const batchSize = this.options.batchSize ?? 500;
    const selection = this.options.streamPrefixes ? { prefixes: this.options.streamPrefixes } : {};
    const subscription = subscribeAfter(this.client, after, selection, batchSize);
    this.subscription = subscription;
    try {
      if (this.leadership.stopped) return;
      for await (const batch of readBatches<AllStreamResolvedEvent>(subscription, batchSize)) {
        const records = recordsAfter(batch, after);
        const last = records[records.length - 1];
        if (!last) continue;
        if (!last.position) throw new Error('KurrentDB sent an event without its position in $all');
        const messages = records.flatMap((r) => toKafkaMessage(r) ?? []);
        await this.publisher.publish(messages);
        after = toGlobalPosition(last.position);
        await leader.query(
          `INSERT INTO event_store.kurrentdb_checkpoints (name, commit_position, prepare_position)
           VALUES ($1, $2, $3)
           ON CONFLICT (name) DO UPDATE
           SET commit_position = EXCLUDED.commit_position, prepare_position = EXCLUDED.prepare_position,
               updated_at = now()`,
          [this.options.name, after.transactionId, after.position],
        );
        this.published += messages.length;
        if (this.leadership.stopped) return;
      }
      if (!this.leadership.stopped) throw new Error('the KurrentDB subscription ended');
    } finally {
      this.subscription = undefined;
      await closeSubscription(subscription);
    }
  }
}

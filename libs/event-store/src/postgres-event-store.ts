import { join } from 'node:path';
import { repoRoot } from '@jigsaw/config';
import {
  isUniqueViolation,
  withTransaction,
  type MigrationSet,
  type Pool,
  type PoolClient,
} from '@jigsaw/database';
import { contentHash, type RecordedEvent } from '@jigsaw/envelope';
import { DuplicateEventError, StreamVersionConflictError } from './event-store.errors.js';
import {
  START,
  type AppendResult,
  type EventStore,
  type ExpectedVersion,
  type GlobalPosition,
  type OutboxRoute,
  type StoredEvent,
  type SubscribeOptions,
  type Subscription,
} from './event-store.js';

export const EVENT_STORE_MIGRATIONS: MigrationSet = {
  component: 'event-store',
  directory: join(repoRoot(), 'libs/event-store/migrations'),
};

interface EventRow {
  stream_id: string;
  stream_position: string;
  transaction_id: string;
  global_position: string;
  payload: RecordedEvent;
  content_hash: string;
  recorded_at: Date;
}

// The select list names `transaction_id::text` transaction_id, and an unqualified ORDER BY takes the select
// list's name first: order by `events.transaction_id` (the xid8) or 1000 sorts before 999.
const SELECT_EVENT =
  'SELECT stream_id, stream_position, transaction_id::text, global_position, payload, content_hash, recorded_at FROM event_store.events';

function toStored(row: EventRow): StoredEvent {
  return {
    streamId: row.stream_id,
    streamPosition: Number(row.stream_position),
    globalPosition: { transactionId: row.transaction_id, position: row.global_position },
    event: row.payload,
    contentHash: row.content_hash,
    recordedAt: row.recorded_at,
  };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export interface PostgresEventStoreOptions {
  /** Where the outbox sends each appended event; without it nothing is published. */
  route?: (event: RecordedEvent) => OutboxRoute;
  /**
   * Called after an append with outbox rows commits, to wake a relay in this process at once.
   * (Not NOTIFY: PostgreSQL serialises the commits of every transaction that notifies.)
   */
  afterAppend?: () => void;
  /** Extra headers (e.g. trace context) for each outbox row. */
  headers?: () => Record<string, string>;
  pollIntervalMs?: number;
}

export class PostgresEventStore implements EventStore {
  constructor(
    private readonly pool: Pool,
    private readonly options: PostgresEventStoreOptions = {},
  ) {}

  async append(
    streamId: string,
    events: readonly RecordedEvent[],
    options: { expectedVersion: ExpectedVersion; contentHashes?: readonly string[] },
  ): Promise<AppendResult> {
    if (events.length === 0) throw new Error('append needs at least one event');
    try {
      const result = await withTransaction(this.pool, async (client) => {
        const version = await this.claimVersions(client, streamId, events.length, options.expectedVersion);
        const first = version - events.length + 1;
        await client.query(
          `INSERT INTO event_store.events (stream_id, stream_position, source, id, type, payload, content_hash)
           SELECT $1, $2::bigint + ord - 1, e->>'source', e->>'id', e->>'type', e, h
           FROM jsonb_array_elements($3::jsonb) WITH ORDINALITY AS t(e, ord)
           JOIN unnest($4::text[]) WITH ORDINALITY AS u(h, ord2) ON ord = ord2`,
          [
            streamId,
            first,
            JSON.stringify(events),
            events.map((e, i) => options.contentHashes?.[i] ?? contentHash(e)),
          ],
        );
        if (this.options.route) await this.writeOutbox(client, events);
        return { version };
      });
      if (this.options.route) this.options.afterAppend?.();
      return result;
    } catch (error) {
      if (isUniqueViolation(error, 'events_source_id_unique')) {
        const detail = (error as { detail?: string }).detail ?? '';
        const duplicate = events.find((e) => detail.includes(`(${e.source}, ${e.id})`)) ?? events[0]!;
        throw new DuplicateEventError(duplicate.source, duplicate.id);
      }
      throw error;
    }
  }

  private async writeOutbox(client: PoolClient, events: readonly RecordedEvent[]): Promise<void> {
    const route = this.options.route!;
    const headers = JSON.stringify(this.options.headers?.() ?? {});
    const routes = events.map(route);
    await client.query(
      `INSERT INTO event_store.outbox (topic, message_key, payload, headers)
       SELECT t, k, p, $4::jsonb FROM unnest($1::text[], $2::text[], $3::jsonb[]) AS u(t, k, p)`,
      [routes.map((r) => r.topic), routes.map((r) => r.key), events.map((e) => JSON.stringify(e)), headers],
    );
  }

  /** Moves the stream's version on by `count`, or throws if it is not what the caller expected. */
  private async claimVersions(
    client: PoolClient,
    streamId: string,
    count: number,
    expected: ExpectedVersion,
  ): Promise<number> {
    let result;
    if (expected === 'any') {
      result = await client.query<{ version: string }>(
        `INSERT INTO event_store.streams (stream_id, version) VALUES ($1, $2)
         ON CONFLICT (stream_id) DO UPDATE SET version = event_store.streams.version + $2 RETURNING version`,
        [streamId, count],
      );
    } else if (expected === 'no-stream' || expected === 0) {
      result = await client.query<{ version: string }>(
        `INSERT INTO event_store.streams (stream_id, version) VALUES ($1, $2)
         ON CONFLICT (stream_id) DO NOTHING RETURNING version`,
        [streamId, count],
      );
    } else {
      result = await client.query<{ version: string }>(
        `UPDATE event_store.streams SET version = version + $2 WHERE stream_id = $1 AND version = $3 RETURNING version`,
        [streamId, count, expected],
      );
    }
    const row = result.rows[0];
    if (row) return Number(row.version);
    const actual = await client.query<{ version: string }>(
      'SELECT version FROM event_store.streams WHERE stream_id = $1',
      [streamId],
    );
    throw new StreamVersionConflictError(streamId, String(expected), Number(actual.rows[0]?.version ?? 0));
  }

  async readStream(streamId: string): Promise<StoredEvent[]> {
    const { rows } = await this.pool.query<EventRow>(
      `${SELECT_EVENT} WHERE stream_id = $1 ORDER BY stream_position`,
      [streamId],
    );
    return rows.map(toStored);
  }

  async readAll(options: { after?: GlobalPosition; limit?: number } = {}): Promise<StoredEvent[]> {
    const after = options.after ?? START;
    const { rows } = await this.pool.query<EventRow>(
      `${SELECT_EVENT}
       WHERE (transaction_id, global_position) > ($1::text::xid8, $2::bigint)
         AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())
       ORDER BY events.transaction_id, events.global_position
       LIMIT $3`,
      [after.transactionId, after.position, options.limit ?? 1000],
    );
    return rows.map(toStored);
  }

  async findEvent(source: string, id: string): Promise<StoredEvent | undefined> {
    const { rows } = await this.pool.query<EventRow>(`${SELECT_EVENT} WHERE source = $1 AND id = $2`, [
      source,
      id,
    ]);
    return rows[0] ? toStored(rows[0]) : undefined;
  }

  subscribe(options: SubscribeOptions): Subscription {
    let stopped = false;
    const poll = this.options.pollIntervalMs ?? 50;
    const loop = async (): Promise<void> => {
      let after = options.after ?? START;
      while (!stopped) {
        try {
          const batch = await this.readAll({ after, limit: options.batchSize ?? 500 });
          if (batch.length === 0) {
            await sleep(poll);
            continue;
          }
          await options.handler(batch);
          after = batch[batch.length - 1]!.globalPosition;
        } catch (error) {
          options.onError?.(error);
          await sleep(Math.max(poll, 500));
        }
      }
    };
    const running = loop();
    return {
      stop: async () => {
        stopped = true;
        await running;
      },
    };
  }
}

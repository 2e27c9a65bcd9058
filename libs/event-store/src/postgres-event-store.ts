import { join } from 'node:path';
import { repoRoot } from '@jigsaw/config';
import {
  isUniqueViolation,
  OWNER_ROLES,
  withTransaction,
  type MigrationSet,
  type Pool,
  type PoolClient,
} from '@jigsaw/database';
import { contentHash, readStoredEvent, toCloudEvent, type RecordedEvent } from '@jigsaw/envelope';
import { Traced } from '@jigsaw/telemetry';
import {
  DuplicateEventError,
  StreamsConflictError,
  StreamVersionConflictError,
} from './event-store.errors.js';
import {
  appendAttributes,
  appendLabels,
  appendSeconds,
  appendToStreamsAttributes,
  appendToStreamsLabels,
  outboxTraceContext,
} from './event-store.telemetry.js';
import {
  START,
  type AppendOptions,
  type AppendResult,
  type EventStore,
  type GlobalPosition,
  type OutboxRoute,
  type StoredEvent,
  type StoredEventKey,
  type StreamAppend,
  type SubscribeOptions,
  type Subscription,
} from './event-store.js';

export const EVENT_STORE_MIGRATIONS: MigrationSet = {
  component: 'event-store',
  owner: OWNER_ROLES.eventStore,
  directory: join(repoRoot(), 'libs/event-store/migrations'),
};

interface EventRow {
  stream_id: string;
  stream_position: string;
  transaction_id: string;
  global_position: string;
  /** The CloudEvent as written: envelope v2, or an older version that reading upcasts. */
  payload: unknown;
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
    event: readStoredEvent(row.payload),
    contentHash: row.content_hash,
    recordedAt: row.recorded_at,
  };
}

/** PostgreSQL's deadlock_detected: the transaction was rolled back, nothing of it written. */
function isDeadlock(error: unknown): boolean {
  return (error as { code?: string } | undefined)?.code === '40P01';
}

/** A write that broke the store's unique (source, id): the DuplicateEventError of the event that did. */
function duplicateOf(error: unknown, events: readonly RecordedEvent[]): unknown {
  if (!isUniqueViolation(error, 'events_source_id_unique')) return error;
  const detail = (error as { detail?: string }).detail ?? '';
  const duplicate = events.find((e) => detail.includes(`(${e.source}, ${e.id})`)) ?? events[0]!;
  return new DuplicateEventError(duplicate.source, duplicate.id);
}

// The multi-stream appends' shared parts. `wanted` holds each stream's id and event count n (and more);
// `input` each event's stream, its 1-based place `ord` in its stream, payload p, content hash h, and `seq`.
/** Each wanted stream's chain: its events' hashes from its head as this statement sees it. */
const CHAIN_OF_EACH_STREAM = `chain AS (
             SELECT w.*, c.hashes[1] AS prev, c.hashes[w.n + 1] AS head, c.hashes
             FROM wanted w
             -- Each stream's events gathered in one pass over the input, not one pass a stream.
             LEFT JOIN (SELECT stream_id, jsonb_agg(p ORDER BY ord) AS ps, array_agg(h ORDER BY ord) AS hs
                        FROM input GROUP BY stream_id) g USING (stream_id)
             LEFT JOIN event_store.streams s USING (stream_id),
             LATERAL (SELECT event_store.chain_hashes(coalesce(s.head_hash, ''), w.stream_id, g.ps, g.hs, now())
                      AS hashes OFFSET 0) AS c)`;
/** The events of the streams `claim` claimed, in input order (so in that order in the global order). */
const WRITE_CLAIMED = `written AS (
             INSERT INTO event_store.events
               (stream_id, stream_position, source, id, type, payload, content_hash, recorded_at, prev_hash, chain_hash)
             SELECT e.stream_id, claim.version - chain.n + e.ord, e.p->>'source', e.p->>'id', e.p->>'type', e.p, e.h,
                    now(), chain.hashes[e.ord], chain.hashes[e.ord + 1]
             FROM input e JOIN claim USING (stream_id) JOIN chain USING (stream_id) ORDER BY e.seq)`;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export interface PostgresEventStoreOptions {
  /** Where the outbox sends each appended event; an event routed nowhere, or every event without it, is not published. */
  route?: (event: RecordedEvent) => OutboxRoute | undefined;
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

  /**
   * One statement, so one round trip and one commit: the stream's version is claimed, the events and their
   * outbox rows are written, or (version conflict, duplicate id) nothing is.
   */
  @Traced('event-store append', {
    attributes: appendAttributes,
    histogram: appendSeconds,
    labels: appendLabels,
  })
  async append(
    streamId: string,
    events: readonly RecordedEvent[],
    options: AppendOptions,
  ): Promise<AppendResult> {
    if (events.length === 0) throw new Error('append needs at least one event');
    const { before } = options;
    const result = before
      ? await withTransaction(this.pool, async (tx) => {
          await before(tx);
          return this.appendWith(tx, streamId, events, options);
        })
      : await this.appendWith(this.pool, streamId, events, options);
    if (this.options.route) this.options.afterAppend?.();
    return result;
  }

  private async appendWith(
    db: Pool | PoolClient,
    streamId: string,
    events: readonly RecordedEvent[],
    options: AppendOptions,
  ): Promise<AppendResult> {
    const expected = options.expectedVersion;
    // The chain is computed from the stream's head as this statement sees it; the claim goes ahead only if
    // the head is still that one when it holds the row, so a writer that got in between is never forked.
    const claim =
      expected === 'any'
        ? `INSERT INTO event_store.streams (stream_id, version, head_hash) SELECT $1, $2, head FROM chain
           ON CONFLICT (stream_id) DO UPDATE SET version = event_store.streams.version + $2, head_hash = EXCLUDED.head_hash
           WHERE event_store.streams.head_hash IS NOT DISTINCT FROM (SELECT prev FROM chain) RETURNING version`
        : expected === 'no-stream' || expected === 0
          ? `INSERT INTO event_store.streams (stream_id, version, head_hash) SELECT $1, $2, head FROM chain
             ON CONFLICT (stream_id) DO NOTHING RETURNING version`
          : `UPDATE event_store.streams SET version = version + $2, head_hash = (SELECT head FROM chain)
             WHERE stream_id = $1 AND version = $10::bigint
               AND head_hash IS NOT DISTINCT FROM (SELECT prev FROM chain) RETURNING version`;
    const routes = this.options.route ? events.map(this.options.route) : [];
    const trace = outboxTraceContext();
    const params: unknown[] = [
      streamId,
      events.length,
      JSON.stringify(events.map(toCloudEvent)),
      events.map((e, i) => options.contentHashes?.[i] ?? contentHash(e)),
      routes.map((r) => r?.topic ?? null),
      routes.map((r) => r?.key ?? null),
      JSON.stringify(this.options.headers?.() ?? {}),
      // The append span's W3C trace context, for the relay to continue (null while tracing is off).
      trace.traceparent,
      trace.tracestate,
    ];
    if (typeof expected === 'number' && expected > 0) params.push(expected);
    let version: number | undefined;
    try {
      for (let attempt = 1; ; attempt++) {
        // Named, so each connection plans this statement once.
        const { rows } = await db.query<{ version: string }>({
          name: `event-store.append.${expected === 'any' ? 'any' : typeof expected === 'number' && expected > 0 ? 'at' : 'new'}`,
          // The fold is materialised, so the hashes are computed once however many columns read them.
          text: `WITH fold AS MATERIALIZED (
             SELECT CASE WHEN $2 = 1
               -- One event, the usual append: the same hash as the fold, without the function call.
               THEN ARRAY[head.prev, event_store.chain_hash(head.prev,
                 event_store.event_digest($1, $3::jsonb -> 0, ($4::text[])[1], now()))]
               ELSE event_store.chain_hashes(head.prev, $1, $3::jsonb, $4::text[], now()) END AS hashes
             FROM (SELECT coalesce((SELECT head_hash FROM event_store.streams WHERE stream_id = $1), '') AS prev
                   OFFSET 0) AS head),
           chain AS (SELECT hashes[1] AS prev, hashes[$2 + 1] AS head, hashes FROM fold),
           claim AS (${claim}),
           written AS (
             INSERT INTO event_store.events
               (stream_id, stream_position, source, id, type, payload, content_hash, recorded_at, prev_hash, chain_hash)
             SELECT $1, claim.version - $2 + ord, e->>'source', e->>'id', e->>'type', e, h, now(),
                    chain.hashes[ord], chain.hashes[ord + 1]
             FROM claim, chain, jsonb_array_elements($3::jsonb) WITH ORDINALITY AS t(e, ord)
             JOIN unnest($4::text[]) WITH ORDINALITY AS u(h, ord2) ON ord = ord2
             RETURNING stream_position, payload),
           routed AS (
             INSERT INTO event_store.outbox (topic, message_key, payload, headers, traceparent, tracestate)
             SELECT r.topic, r.message_key, w.payload, $7::jsonb, $8::text, $9::text
             FROM written w JOIN unnest($5::text[], $6::text[]) WITH ORDINALITY AS r(topic, message_key, ord)
               ON w.stream_position = (SELECT version FROM claim) - $2 + r.ord
             WHERE r.topic IS NOT NULL)
           SELECT version FROM claim`,
          values: params,
        });
        version = rows[0] ? Number(rows[0].version) : undefined;
        // At any version, the only way to lose the claim is another writer moving the head meanwhile: go again.
        if (version !== undefined || expected !== 'any' || attempt >= 20) break;
      }
    } catch (error) {
      throw duplicateOf(error, events);
    }
    if (version === undefined) {
      const actual = await db.query<{ version: string }>(
        'SELECT version FROM event_store.streams WHERE stream_id = $1',
        [streamId],
      );
      throw new StreamVersionConflictError(streamId, String(expected), Number(actual.rows[0]?.version ?? 0));
    }
    return { version };
  }

  /**
   * Appends to many streams in one transaction: `before`, then one statement that claims every stream at its
   * expected version, chains and writes the events in the order given, and writes their outbox rows. If any
   * stream moved since it was read, the transaction is rolled back and StreamsConflictError names them all.
   */
  @Traced('event-store append', {
    attributes: appendToStreamsAttributes,
    histogram: appendSeconds,
    labels: appendToStreamsLabels,
  })
  async appendMany(
    appends: readonly StreamAppend[],
    options: Pick<AppendOptions, 'before'> = {},
  ): Promise<void> {
    const rows = appends.flatMap((a) =>
      a.events.map((event, i) => ({
        streamId: a.streamId,
        ord: i + 1,
        event,
        hash: a.contentHashes?.[i] ?? contentHash(event),
        route: this.options.route?.(event),
      })),
    );
    if (rows.length === 0) return;
    if (new Set(appends.map((a) => a.streamId)).size !== appends.length) {
      throw new Error('appendMany takes each stream once');
    }
    const trace = outboxTraceContext();
    await withTransaction(this.pool, async (tx) => {
      await options.before?.(tx);
      let claimed: string[];
      try {
        const result = await tx.query<{ stream_id: string }>({
          name: 'event-store.append-many',
          text: `WITH wanted AS (SELECT * FROM unnest($1::text[], $2::bigint[], $3::bigint[]) AS w(stream_id, n, expected)),
           input AS (SELECT * FROM ROWS FROM (unnest($4::text[]), unnest($5::bigint[]), jsonb_array_elements($6::jsonb),
                                              unnest($7::text[]), unnest($8::text[]), unnest($9::text[]))
                     WITH ORDINALITY AS e(stream_id, ord, p, h, topic, message_key, seq)),
           ${CHAIN_OF_EACH_STREAM},
           -- A stream expected to exist is moved on only from the version and head it was read at; one
           -- expected not to exist is made, never taken over. A stream claimed by neither has moved.
           moved AS (
             UPDATE event_store.streams s SET version = s.version + chain.n, head_hash = chain.head
             FROM chain
             WHERE chain.expected > 0 AND s.stream_id = chain.stream_id AND s.version = chain.expected
               AND s.head_hash IS NOT DISTINCT FROM chain.prev
             RETURNING s.stream_id, s.version),
           made AS (
             INSERT INTO event_store.streams (stream_id, version, head_hash)
             SELECT stream_id, n, head FROM chain WHERE expected = 0
             ON CONFLICT (stream_id) DO NOTHING
             RETURNING stream_id, version),
           claim AS (SELECT * FROM moved UNION ALL SELECT * FROM made),
           ${WRITE_CLAIMED},
           routed AS (
             INSERT INTO event_store.outbox (topic, message_key, payload, headers, traceparent, tracestate)
             SELECT e.topic, e.message_key, e.p, $10::jsonb, $11::text, $12::text
             FROM input e JOIN claim USING (stream_id) WHERE e.topic IS NOT NULL ORDER BY e.seq)
           SELECT stream_id FROM claim`,
          values: [
            appends.map((a) => a.streamId),
            appends.map((a) => a.events.length),
            appends.map((a) => (a.expectedVersion === 'no-stream' ? 0 : a.expectedVersion)),
            rows.map((r) => r.streamId),
            rows.map((r) => r.ord),
            // One JSON array, not an array of jsonb: no per-element quoting either side.
            JSON.stringify(rows.map((r) => toCloudEvent(r.event))),
            rows.map((r) => r.hash),
            rows.map((r) => r.route?.topic ?? null),
            rows.map((r) => r.route?.key ?? null),
            JSON.stringify(this.options.headers?.() ?? {}),
            trace.traceparent,
            trace.tracestate,
          ],
        });
        claimed = result.rows.map((r) => r.stream_id);
      } catch (error) {
        // Two batches claiming the same streams in different orders: PostgreSQL rolls this one back.
        if (isDeadlock(error)) throw new StreamsConflictError(appends.map((a) => a.streamId));
        throw duplicateOf(
          error,
          rows.map((r) => r.event),
        );
      }
      if (claimed.length < appends.length) {
        const done = new Set(claimed);
        throw new StreamsConflictError(appends.map((a) => a.streamId).filter((id) => !done.has(id)));
      }
    });
    if (this.options.route) this.options.afterAppend?.();
  }

  async findEvents(keys: ReadonlyArray<{ source: string; id: string }>): Promise<StoredEventKey[]> {
    if (keys.length === 0) return [];
    const { rows } = await this.pool.query<{ source: string; id: string; content_hash: string }>({
      name: 'event-store.find-events',
      text: `SELECT e.source, e.id, e.content_hash FROM event_store.events e
             JOIN unnest($1::text[], $2::text[]) AS k(source, id) ON e.source = k.source AND e.id = k.id`,
      values: [keys.map((k) => k.source), keys.map((k) => k.id)],
    });
    return rows.map((r) => ({ source: r.source, id: r.id, contentHash: r.content_hash }));
  }

  /**
   * Appends to many streams in one statement, each at whatever version it has reached: for streams whose
   * writers never conflict and nobody publishes (the access log), so that concurrent reads share a commit.
   */
  @Traced('event-store append', {
    attributes: appendToStreamsAttributes,
    histogram: appendSeconds,
    labels: appendToStreamsLabels,
  })
  async appendToStreams(
    entries: ReadonlyArray<{ streamId: string; events: readonly RecordedEvent[] }>,
  ): Promise<void> {
    if (this.options.route) throw new Error('appendToStreams writes no outbox rows: use append');
    const counts = new Map<string, number>();
    const rows: { streamId: string; ord: number; event: RecordedEvent }[] = [];
    for (const { streamId, events } of entries) {
      for (const event of events) {
        const ord = (counts.get(streamId) ?? 0) + 1;
        counts.set(streamId, ord);
        rows.push({ streamId, ord, event });
      }
    }
    if (rows.length === 0) return;
    let pending = [...counts.keys()];
    for (let attempt = 1; pending.length > 0; attempt++) {
      const waiting = new Set(pending);
      const batch = rows.filter((r) => waiting.has(r.streamId));
      let claimed: string[];
      try {
        // Named, so each connection plans it once: planning it costs about as much as running it.
        const result = await this.pool.query<{ stream_id: string }>({
          name: 'event-store.append-to-streams',
          text: `WITH wanted AS (SELECT * FROM unnest($1::text[], $2::bigint[]) AS w(stream_id, n)),
           input AS (SELECT * FROM ROWS FROM (unnest($3::text[]), unnest($4::bigint[]), jsonb_array_elements($5::jsonb),
                                              unnest($6::text[])) WITH ORDINALITY AS e(stream_id, ord, p, h, seq)),
           ${CHAIN_OF_EACH_STREAM},
           claim AS (
             INSERT INTO event_store.streams (stream_id, version, head_hash) SELECT stream_id, n, head FROM chain
             ON CONFLICT (stream_id) DO UPDATE SET version = event_store.streams.version + EXCLUDED.version,
               head_hash = EXCLUDED.head_hash
             WHERE event_store.streams.head_hash IS NOT DISTINCT FROM
               (SELECT prev FROM chain WHERE chain.stream_id = EXCLUDED.stream_id)
             RETURNING stream_id, version),
           ${WRITE_CLAIMED}
           SELECT stream_id FROM claim`,
          values: [
            pending,
            pending.map((id) => counts.get(id)!),
            batch.map((r) => r.streamId),
            batch.map((r) => r.ord),
            // One JSON array, not an array of jsonb: no per-element quoting either side.
            JSON.stringify(batch.map((r) => toCloudEvent(r.event))),
            batch.map((r) => contentHash(r.event)),
          ],
        });
        claimed = result.rows.map((r) => r.stream_id);
      } catch (error) {
        throw duplicateOf(
          error,
          batch.map((r) => r.event),
        );
      }
      // A stream whose head another writer moved meanwhile was left alone: append to it again.
      const done = new Set(claimed);
      pending = pending.filter((id) => !done.has(id));
      if (pending.length > 0 && attempt >= 20) {
        throw new Error(`could not append to ${pending.length} streams: their heads kept moving`);
      }
    }
  }

  async readStream(streamId: string): Promise<StoredEvent[]> {
    const { rows } = await this.pool.query<EventRow>({
      name: 'event-store.read-stream',
      text: `${SELECT_EVENT} WHERE stream_id = $1 ORDER BY stream_position`,
      values: [streamId],
    });
    return rows.map(toStored);
  }

  async readStreams(streamIds: readonly string[]): Promise<Map<string, StoredEvent[]>> {
    const { rows } = await this.pool.query<EventRow>({
      name: 'event-store.read-streams',
      text: `${SELECT_EVENT} WHERE stream_id = ANY($1::text[]) ORDER BY stream_id, stream_position`,
      values: [streamIds],
    });
    const streams = new Map<string, StoredEvent[]>();
    for (const row of rows) {
      const stored = toStored(row);
      const list = streams.get(stored.streamId);
      if (list) list.push(stored);
      else streams.set(stored.streamId, [stored]);
    }
    return streams;
  }

  async readAll(options: { after?: GlobalPosition; limit?: number } = {}): Promise<StoredEvent[]> {
    return this.readAfter(options.after ?? START, options.limit ?? 1000);
  }

  /**
   * Of `types` only, when given: unnamed, so each query is planned with its types, and a partial index on
   * the global order of one type (`events_record_accessed_order`) serves a subscription to it.
   */
  private async readAfter(
    after: GlobalPosition,
    limit: number,
    types?: readonly string[],
  ): Promise<StoredEvent[]> {
    const { rows } = await this.pool.query<EventRow>(
      `${SELECT_EVENT}
       WHERE (transaction_id, global_position) > ($1::text::xid8, $2::bigint)
         AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())
         ${types ? 'AND type = ANY($4::text[])' : ''}
       ORDER BY events.transaction_id, events.global_position
       LIMIT $3`,
      [after.transactionId, after.position, limit, ...(types ? [types] : [])],
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
          const batch = await this.readAfter(after, options.batchSize ?? 500, options.types);
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

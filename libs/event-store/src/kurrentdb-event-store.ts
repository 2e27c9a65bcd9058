import {
  BACKWARDS,
  END,
  KurrentDBClient,
  START,
  StreamNotFoundError,
  streamNameFilter,
  type AllStreamResolvedEvent,
  type ReadPosition,
  type ResolvedEvent,
} from '@kurrent/kurrentdb-client';
import { withTransaction, type Pool } from '@jigsaw/database';
import { contentHash, type RecordedEvent } from '@jigsaw/envelope';
import { DuplicateEventError } from './event-store.errors.js';
import type {
  AppendOptions,
  AppendResult,
  EventStore,
  GlobalPosition,
  OutboxRoute,
  StoredEvent,
  SubscribeOptions,
  Subscription,
} from './event-store.js';
import {
  appendRequests,
  appendToStreamsRequests,
  claimOf,
  claimStreamOf,
  eventIdOf,
  isAfter,
  isStart,
  OUR_STREAMS_REGEX,
  repeatedInBatch,
  toAppendError,
  toGlobalPosition,
  toPosition,
  toStoredEvent,
  type KurrentRecord,
} from './kurrentdb-mapping.js';
import { closeSubscription, readBatches, recordsAfter, subscribeAfter } from './kurrentdb-subscription.js';

export interface KurrentDbEventStoreOptions {
  /**
   * Where each appended event goes on Kafka; recorded with the event, for a `KurrentDbPublisher` to
   * send. An event routed nowhere, or every event without it, is not published.
   */
  route?: (event: RecordedEvent) => OutboxRoute | undefined;
  /** Extra headers (e.g. trace context) recorded with each routed event. */
  headers?: () => Record<string, string>;
  /** How long a failed subscription waits before it subscribes again. */
  retryDelayMs?: number;
  /** The PostgreSQL pool an append's `before` work runs in: it commits only if the append succeeded. */
  pool?: Pool;
}

/** Opens a client from a connection string such as `kurrentdb://127.0.0.1:2113?tls=false`. */
export function connectKurrentDb(url: string): KurrentDBClient {
  return KurrentDBClient.connectionString(url);
}

/** True when the server answers a read (a stream that does not exist is an answer). */
export async function kurrentDbAnswers(client: KurrentDBClient): Promise<boolean> {
  try {
    for await (const _ of client.readStream('jigsaw-readiness', { maxCount: 1, deadline: 2_000 })) break;
    return true;
  } catch (error) {
    return error instanceof StreamNotFoundError;
  }
}

const PAGE = 500;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The event store on KurrentDB (25.1 or later: appends use its atomic multi-stream append).
 *
 * - A stream per child per agency, as in PostgreSQL; versions are event counts, KurrentDB's revision + 1.
 * - Each event's id is a UUID derived from its (source, id). The pair is claimed in the same atomic append
 *   by writing to a stream of its own (`jigsaw-event-id-<uuid>`) that must not exist yet: a second event
 *   with the pair fails the whole append with DuplicateEventError and writes nothing, as the unique key
 *   does in PostgreSQL. The claim names the event's stream, so `findEvent` reads one claim and one event.
 * - The global order is $all's (commit, prepare) position, filtered on the server to our streams.
 * - No outbox: the route and headers go into the event's metadata, and a `KurrentDbPublisher` following
 *   $all sends them to Kafka.
 */
export class KurrentDbEventStore implements EventStore {
  constructor(
    private readonly client: KurrentDBClient,
    private readonly options: KurrentDbEventStoreOptions = {},
  ) {}

  async append(
    streamId: string,
    events: readonly RecordedEvent[],
    options: AppendOptions,
  ): Promise<AppendResult> {
    const { before } = options;
    if (!before) return this.appendNow(streamId, events, options);
    const pool = this.options.pool;
    if (!pool) throw new Error('an append with work before it needs the PostgreSQL pool');
    return withTransaction(pool, async (tx) => {
      await before(tx);
      return this.appendNow(streamId, events, options);
    });
  }

  private async appendNow(
    streamId: string,
    events: readonly RecordedEvent[],
    options: AppendOptions,
  ): Promise<AppendResult> {
    if (events.length === 0) throw new Error('append needs at least one event');
    const repeated = repeatedInBatch(events);
    if (repeated) throw new DuplicateEventError(repeated.source, repeated.id);
    const { expectedVersion } = options;
    const route = this.options.route;
    const headers = route ? (this.options.headers?.() ?? {}) : undefined;
    const requests = appendRequests(streamId, events, {
      expectedVersion,
      contentHashes: events.map((e, i) => options.contentHashes?.[i] ?? contentHash(e)),
      ...(route && headers
        ? {
            publication: (e: RecordedEvent) => {
              const to = route(e);
              return to ? { route: to, headers } : undefined;
            },
          }
        : {}),
    });
    try {
      const result = await this.client.multiStreamAppend(requests);
      const own = result.responses.find((r) => r.streamName === streamId);
      if (!own) throw new Error(`KurrentDB did not report the revision of ${streamId} after the append`);
      return { version: Number(own.revision) + 1 };
    } catch (error) {
      throw toAppendError(error, streamId, expectedVersion, events);
    }
  }

  /**
   * Appends to many streams in one atomic append, each at whatever version it has reached: for streams whose
   * writers never conflict and nobody publishes (the access log), so that concurrent reads share a commit.
   */
  async appendToStreams(
    entries: ReadonlyArray<{ streamId: string; events: readonly RecordedEvent[] }>,
  ): Promise<void> {
    if (this.options.route) throw new Error('appendToStreams records no routes: use append');
    const all = entries.flatMap((e) => e.events);
    if (all.length === 0) return;
    const repeated = repeatedInBatch(all);
    if (repeated) throw new DuplicateEventError(repeated.source, repeated.id);
    const requests = appendToStreamsRequests(entries);
    try {
      await this.client.multiStreamAppend(requests);
    } catch (error) {
      throw toAppendError(error, '', 'any', all);
    }
  }

  async readStream(streamId: string): Promise<StoredEvent[]> {
    const events: StoredEvent[] = [];
    for (const record of await this.read(streamId)) {
      const stored = toStoredEvent(record);
      if (stored) events.push(stored);
    }
    return events;
  }

  async readAll(options: { after?: GlobalPosition; limit?: number } = {}): Promise<StoredEvent[]> {
    const limit = options.limit ?? 1000;
    const events: StoredEvent[] = [];
    let cursor = options.after;
    let from: ReadPosition = isStart(cursor) ? START : toPosition(cursor!);
    // Page on until `limit` of our events are found: $all may also hold events another application wrote.
    for (;;) {
      let seen = 0;
      const page: AsyncIterable<AllStreamResolvedEvent> = this.client.readAll({
        fromPosition: from,
        maxCount: PAGE,
        filter: streamNameFilter({ regex: OUR_STREAMS_REGEX }),
      });
      for await (const resolved of page) {
        seen++;
        const record: KurrentRecord | undefined = resolved.event;
        if (!record?.position) continue;
        // Reading from a position starts at it: leave out what the caller or the last page already had.
        if (!isAfter(record, cursor)) continue;
        from = record.position;
        cursor = toGlobalPosition(record.position);
        const stored = toStoredEvent(record);
        if (stored) events.push(stored);
        if (events.length >= limit) return events;
      }
      if (seen < PAGE) return events;
    }
  }

  async findEvent(source: string, id: string): Promise<StoredEvent | undefined> {
    const [claimed] = await this.read(claimStreamOf(source, id), { maxCount: 1 });
    const claim = claimOf(claimed?.data);
    if (!claim) return undefined;
    const eventId = eventIdOf(source, id);
    const matches = (r: KurrentRecord): boolean =>
      r.id === eventId &&
      typeof r.data === 'object' &&
      (r.data as RecordedEvent).source === source &&
      (r.data as RecordedEvent).id === id;
    let found: KurrentRecord | undefined;
    if (claim.streamPosition !== undefined) {
      const [record] = await this.read(claim.streamId, {
        fromRevision: BigInt(claim.streamPosition - 1),
        maxCount: 1,
      });
      if (record && matches(record)) found = record;
    }
    // Appended at any version, the claim could not know the position: look from the newest back.
    found ??= (await this.read(claim.streamId, { fromRevision: END, direction: BACKWARDS })).find(matches);
    return found ? toStoredEvent(found) : undefined;
  }

  subscribe(options: SubscribeOptions): Subscription {
    let stopped = false;
    let current: ReturnType<typeof subscribeAfter> | undefined;
    const batchSize = options.batchSize ?? 500;
    const loop = async (): Promise<void> => {
      let after = options.after;
      while (!stopped) {
        const subscription = subscribeAfter(this.client, after, {}, batchSize);
        current = subscription;
        try {
          if (stopped) break;
          for await (const batch of readBatches<AllStreamResolvedEvent>(subscription, batchSize)) {
            if (stopped) break;
            const records = recordsAfter(batch, after);
            const events = records
              .flatMap((r) => toStoredEvent(r) ?? [])
              .filter(({ event }) => !options.types || options.types.includes(event.type));
            if (events.length > 0) await options.handler(events);
            const last = records[records.length - 1];
            if (last?.position) after = toGlobalPosition(last.position);
          }
          if (!stopped) throw new Error('the KurrentDB subscription ended');
        } catch (error) {
          if (stopped) break;
          options.onError?.(error);
          await sleep(this.options.retryDelayMs ?? 500);
        } finally {
          await closeSubscription(subscription);
        }
      }
    };
    const running = loop();
    return {
      stop: async () => {
        stopped = true;
        if (current) await closeSubscription(current);
        await running;
      },
    };
  }

  /** A stream's events, or none if it does not exist. */
  private async read(
    streamId: string,
    options: Parameters<KurrentDBClient['readStream']>[1] = {},
  ): Promise<KurrentRecord[]> {
    const records: KurrentRecord[] = [];
    try {
      for await (const resolved of this.client.readStream(
        streamId,
        options,
      ) as AsyncIterable<ResolvedEvent>) {
        if (resolved.event) records.push(resolved.event);
      }
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw error;
    }
    return records;
  }
}

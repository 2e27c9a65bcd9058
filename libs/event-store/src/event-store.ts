import type { PoolClient } from '@jigsaw/database';
import type { RecordedEvent } from '@jigsaw/envelope';

/** `no-stream`: the stream must not exist yet; a number: the stream's current version (its event count). */
export type ExpectedVersion = number | 'any' | 'no-stream';

/** A place in the global order. Compare only through the store; never do arithmetic on it. */
export interface GlobalPosition {
  transactionId: string;
  position: string;
}

export const START: GlobalPosition = { transactionId: '0', position: '0' };

export interface StoredEvent {
  streamId: string;
  /** 1-based position within its stream. */
  streamPosition: number;
  globalPosition: GlobalPosition;
  event: RecordedEvent;
  contentHash: string;
  recordedAt: Date;
}

/** A stored event's (source, id) and content hash. */
export interface StoredEventKey {
  source: string;
  id: string;
  contentHash: string;
}

export interface AppendResult {
  /** The stream's version after the append. */
  version: number;
}

/** Where the relay publishes an event: one topic per agency, keyed by the pseudonymous hub child id. */
export interface OutboxRoute {
  topic: string;
  key: string;
}

export interface Subscription {
  /** Resolves once the subscription has stopped. */
  stop(): Promise<void>;
}

export interface SubscribeOptions {
  after?: GlobalPosition;
  batchSize?: number;
  /** Only events of these types (the others are passed over in the store where it can): all when absent. */
  types?: readonly string[];
  /** Called with each batch in global order; the next batch is read only after it resolves. */
  handler: (events: StoredEvent[]) => Promise<void>;
  onError?: (error: unknown) => void;
}

export interface AppendOptions {
  expectedVersion: ExpectedVersion;
  contentHashes?: readonly string[];
  /**
   * Work that must commit with the append or not at all (identity links, evidence): run in the append's
   * PostgreSQL transaction before the events are written. If it throws, nothing is written.
   */
  before?: (tx: PoolClient) => Promise<void>;
}

/** One stream's part of a multi-stream append. */
export interface StreamAppend {
  streamId: string;
  events: readonly RecordedEvent[];
  /** The stream's version as read (0 or `no-stream` when it has none yet). */
  expectedVersion: number | 'no-stream';
  contentHashes?: readonly string[];
}

export interface EventStore {
  append(streamId: string, events: readonly RecordedEvent[], options: AppendOptions): Promise<AppendResult>;
  readStream(streamId: string): Promise<StoredEvent[]>;
  /** Every event after `after`, in an order that never skips a late-committing writer. */
  readAll(options?: { after?: GlobalPosition; limit?: number }): Promise<StoredEvent[]>;
  /** The event a source sent with this id, if stored: the basis of idempotent ingest. */
  findEvent(source: string, id: string): Promise<StoredEvent | undefined>;
  /**
   * Many streams' events, with their outbox rows, in one transaction and a few statements, each stream at
   * its expected version: all of them or nothing. Throws StreamsConflictError naming every stream that
   * moved, DuplicateEventError for an id already stored; `before` runs first in the same transaction.
   * Optional: a store without it is written one stream at a time.
   */
  appendMany?(appends: readonly StreamAppend[], options?: Pick<AppendOptions, 'before'>): Promise<void>;
  /** Several streams read at once (one query), each in stream order; a stream with no events is absent. */
  readStreams?(streamIds: readonly string[]): Promise<Map<string, StoredEvent[]>>;
  /** Which of these (source, id) pairs are stored, with their content hashes: one query. */
  findEvents?(keys: ReadonlyArray<{ source: string; id: string }>): Promise<StoredEventKey[]>;
  subscribe(options: SubscribeOptions): Subscription;
}

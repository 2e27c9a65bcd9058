import { createHash } from 'node:crypto';
import {
  ANY,
  NO_STREAM,
  WrongExpectedVersionError,
  type AppendStreamRequest,
  type AppendStreamState,
  type JSONEventData,
  type JSONType,
  type Position,
} from '@kurrent/kurrentdb-client';
import { contentHash, readStoredEvent, toCloudEvent, type RecordedEvent } from '@jigsaw/envelope';
import { cloudEventRecord } from './cloud-event-message.js';
import type { OutgoingMessage } from '@jigsaw/messaging';
import { DuplicateEventError, StreamVersionConflictError } from './event-store.errors.js';
import type { ExpectedVersion, GlobalPosition, OutboxRoute, StoredEvent } from './event-store.js';

// How Jigsaw's events, ids, positions and errors look in KurrentDB. Pure functions, so that the mapping
// is tested without a server.

/** Fixed namespace of the name-based (version 5) UUIDs that identify our events in KurrentDB. */
export const JIGSAW_EVENT_ID_NAMESPACE = '291b8672-ce51-4fee-a57d-3257b7f8d690';

/** Streams that record which (source, id) pairs are taken: one per pair, holding one claim event. */
export const CLAIM_STREAM_PREFIX = 'jigsaw-event-id-';
export const CLAIM_EVENT_TYPE = 'jigsaw.event-id-claimed';

/**
 * Our streams in $all: everything but system streams (`$...`) and the claim streams. A .NET regex,
 * applied by the server; JavaScript reads it the same way.
 */
export const OUR_STREAMS_REGEX = `^(?!\\$|${CLAIM_STREAM_PREFIX})`;

/** Event metadata keys. Multi-stream appends take metadata as a flat map of strings only. */
export const METADATA = {
  contentHash: 'jigsaw.content-hash',
  topic: 'jigsaw.topic',
  key: 'jigsaw.key',
  headers: 'jigsaw.headers',
} as const;

/** A name-based UUID as RFC 9562 section 5.5 defines it (SHA-1, version 5). */
export function uuidV5(namespace: string, name: string): string {
  const ns = Buffer.from(namespace.replaceAll('-', ''), 'hex');
  if (ns.length !== 16) throw new Error(`not a UUID: ${namespace}`);
  const bytes = createHash('sha1').update(ns).update(name, 'utf8').digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The KurrentDB event id of the event a source sent with this id: the same pair, the same UUID. */
export function eventIdOf(source: string, id: string): string {
  // A JSON array keeps the pair unambiguous whatever characters either part holds.
  return uuidV5(JIGSAW_EVENT_ID_NAMESPACE, JSON.stringify([source, id]));
}

export function claimStreamOf(source: string, id: string): string {
  return `${CLAIM_STREAM_PREFIX}${eventIdOf(source, id)}`;
}

/** Our expected version (the stream's event count) as KurrentDB's (the last event's 0-based revision). */
export function toStreamState(expected: ExpectedVersion): AppendStreamState {
  if (expected === 'any') return ANY;
  if (expected === 'no-stream' || expected === 0) return NO_STREAM;
  if (!Number.isSafeInteger(expected) || expected < 0)
    throw new Error(`invalid expected version ${expected}`);
  return BigInt(expected - 1);
}

/** A stream's version (its event count) from KurrentDB's current state. */
export function versionOf(state: bigint | string): number {
  if (typeof state !== 'bigint') return 0;
  return state < 0n ? 0 : Number(state) + 1;
}

export interface Publication {
  route: OutboxRoute;
  headers: Record<string, string>;
}

/**
 * The event as KurrentDB stores it: the recorded envelope as JSON data, its id derived from (source,
 * id), and in its metadata the content hash and, for events that go to Kafka, where and with what
 * headers (what the PostgreSQL store writes in its outbox row).
 */
export function toEventData(
  event: RecordedEvent,
  contentHash: string,
  publication?: Publication,
): JSONEventData {
  const metadata: Record<string, string> = { [METADATA.contentHash]: contentHash };
  if (publication) {
    metadata[METADATA.topic] = publication.route.topic;
    metadata[METADATA.key] = publication.route.key;
    metadata[METADATA.headers] = JSON.stringify(publication.headers);
  }
  return {
    id: eventIdOf(event.source, event.id),
    contentType: 'application/json',
    type: event.type,
    data: toCloudEvent(event) as unknown as JSONType,
    metadata,
  };
}

export interface Claim {
  streamId: string;
  /** The event's 1-based position in its stream, when it was known before the append. */
  streamPosition?: number;
}

/** The claim of (source, id): which stream the event went to, so that `findEvent` can fetch it. */
export function toClaimData(event: RecordedEvent, claim: Claim): JSONEventData {
  return {
    id: uuidV5(JIGSAW_EVENT_ID_NAMESPACE, JSON.stringify(['claim', event.source, event.id])),
    contentType: 'application/json',
    type: CLAIM_EVENT_TYPE,
    data: { ...claim },
    metadata: {},
  };
}

export function claimOf(data: unknown): Claim | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const { streamId, streamPosition } = data as Record<string, unknown>;
  if (typeof streamId !== 'string') return undefined;
  return typeof streamPosition === 'number' ? { streamId, streamPosition } : { streamId };
}

/**
 * The multi-stream append of `events` to `streamId`: the events at the expected version, and for each a
 * claim stream that must not exist yet. The claim knows the event's position unless appended at any version.
 */
export function appendRequests(
  streamId: string,
  events: readonly RecordedEvent[],
  options: {
    expectedVersion: ExpectedVersion;
    contentHashes: readonly string[];
    publication?: (event: RecordedEvent) => Publication | undefined;
  },
): AppendStreamRequest[] {
  const { expectedVersion, contentHashes, publication } = options;
  const first =
    expectedVersion === 'any' ? undefined : expectedVersion === 'no-stream' ? 1 : expectedVersion + 1;
  return [
    {
      streamName: streamId,
      expectedState: toStreamState(expectedVersion),
      events: events.map((e, i) => toEventData(e, contentHashes[i] ?? '', publication?.(e))),
    },
    ...events.map((e, i): AppendStreamRequest => ({
      streamName: claimStreamOf(e.source, e.id),
      expectedState: NO_STREAM,
      events: [toClaimData(e, first === undefined ? { streamId } : { streamId, streamPosition: first + i })],
    })),
  ];
}

/** One multi-stream append of events to several streams, each at any version, each (source, id) claimed. */
export function appendToStreamsRequests(
  entries: ReadonlyArray<{ streamId: string; events: readonly RecordedEvent[] }>,
): AppendStreamRequest[] {
  const byStream = new Map<string, RecordedEvent[]>();
  for (const { streamId, events } of entries)
    byStream.set(streamId, [...(byStream.get(streamId) ?? []), ...events]);
  return [...byStream].flatMap(([streamId, events]) =>
    appendRequests(streamId, events, {
      expectedVersion: 'any',
      contentHashes: events.map((e) => contentHash(e)),
    }),
  );
}

/** What this mapping reads of an event the client returns. */
export interface KurrentRecord {
  streamId: string;
  id: string;
  revision: bigint;
  type: string;
  isJson: boolean;
  data: unknown;
  metadata: unknown;
  created: Date;
  position?: Position;
}

function stringMetadata(record: KurrentRecord): Record<string, unknown> {
  const m = record.metadata;
  return typeof m === 'object' && m !== null && !(m instanceof Uint8Array)
    ? (m as Record<string, unknown>)
    : {};
}

function isRecordedEvent(data: unknown): data is RecordedEvent {
  if (typeof data !== 'object' || data === null) return false;
  const e = data as Record<string, unknown>;
  return typeof e['id'] === 'string' && typeof e['source'] === 'string' && typeof e['type'] === 'string';
}

/** Our stored event, or undefined for anything in $all that Jigsaw did not write. */
export function toStoredEvent(record: KurrentRecord): StoredEvent | undefined {
  const hash = stringMetadata(record)[METADATA.contentHash];
  if (!record.isJson || typeof hash !== 'string' || !isRecordedEvent(record.data)) return undefined;
  if (!record.position) {
    throw new Error(
      'KurrentDB returned an event without its position in $all: KurrentDB 25.1 or later is needed',
    );
  }
  return {
    streamId: record.streamId,
    streamPosition: Number(record.revision) + 1,
    globalPosition: toGlobalPosition(record.position),
    event: readStoredEvent(record.data),
    contentHash: hash,
    recordedAt: record.created,
  };
}

/** The Kafka message the outbox relay would send for this event, or undefined if it is not published. */
export function toKafkaMessage(record: KurrentRecord): OutgoingMessage | undefined {
  const metadata = stringMetadata(record);
  const topic = metadata[METADATA.topic];
  const key = metadata[METADATA.key];
  if (typeof topic !== 'string' || typeof key !== 'string' || !record.isJson) return undefined;
  const stored = metadata[METADATA.headers];
  // The stored document in the order the PostgreSQL store's relay reads it, then the binding's attributes,
  // so both publishers send the same bytes for one event.
  const { value, headers } = cloudEventRecord(
    inJsonbOrder(record.data),
    typeof stored === 'string' ? (JSON.parse(stored) as Record<string, string>) : {},
  );
  return { topic, key, value: JSON.stringify(value), headers };
}

/**
 * The value with every object's keys in the order PostgreSQL's jsonb keeps them (shorter first, then
 * by their UTF-8 bytes). The outbox relay sends events as they come back out of jsonb, so this makes
 * the message value byte for byte the same. (JavaScript then puts integer-like keys first, as it does
 * when the relay parses jsonb's text.)
 */
export function inJsonbOrder(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(inJsonbOrder);
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => [Buffer.from(k, 'utf8'), k, v] as const)
    .sort(([a], [b]) => a.length - b.length || Buffer.compare(a, b));
  const ordered: Record<string, unknown> = {};
  for (const [, k, v] of entries) ordered[k] = inJsonbOrder(v);
  return ordered;
}

/** KurrentDB's place in $all as ours: commit and prepare positions, as decimal strings. */
export function toGlobalPosition(position: Position): GlobalPosition {
  return { transactionId: position.commit.toString(), position: position.prepare.toString() };
}

export function toPosition(position: GlobalPosition): Position {
  return { commit: BigInt(position.transactionId), prepare: BigInt(position.position) };
}

export function isStart(position: GlobalPosition | undefined): boolean {
  return position === undefined || (position.transactionId === '0' && position.position === '0');
}

export function comparePositions(a: Position, b: Position): number {
  if (a.commit !== b.commit) return a.commit < b.commit ? -1 : 1;
  if (a.prepare !== b.prepare) return a.prepare < b.prepare ? -1 : 1;
  return 0;
}

/** True when `record` lies after `after` in $all (everything does when `after` is the start). */
export function isAfter(record: { position?: Position }, after: GlobalPosition | undefined): boolean {
  if (isStart(after) || !record.position) return true;
  return comparePositions(record.position, toPosition(after!)) > 0;
}

/**
 * The error an append raises, as our store's: a conflict on the event's stream is a version conflict;
 * on a claim stream, the (source, id) pair is already taken.
 */
export function toAppendError(
  error: unknown,
  streamId: string,
  expected: ExpectedVersion,
  events: readonly RecordedEvent[],
): unknown {
  if (!(error instanceof WrongExpectedVersionError)) return error;
  if (error.streamName === streamId) {
    return new StreamVersionConflictError(streamId, String(expected), versionOf(error.actualState));
  }
  const duplicate = events.find((e) => claimStreamOf(e.source, e.id) === error.streamName);
  return duplicate ? new DuplicateEventError(duplicate.source, duplicate.id) : error;
}

/** The first event in a batch whose (source, id) an earlier event of the same batch already has. */
export function repeatedInBatch(events: readonly RecordedEvent[]): RecordedEvent | undefined {
  const seen = new Set<string>();
  for (const e of events) {
    const key = JSON.stringify([e.source, e.id]);
    if (seen.has(key)) return e;
    seen.add(key);
  }
  return undefined;
}

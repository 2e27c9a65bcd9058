import { createRequire } from 'node:module';
import { describe, expect, it } from '@jest/globals';
import { Metadata, status, type ServiceError } from '@grpc/grpc-js';
import {
  ANY,
  convertToCommandError,
  NO_STREAM,
  WrongExpectedVersionError,
  type Position,
} from '@kurrent/kurrentdb-client';
import { contentHash, toCloudEvent } from '@jigsaw/envelope';
import { ErrorCode } from '@jigsaw/errors';
import { aRecordedEvent } from '@jigsaw/testing';
import { DuplicateEventError, StreamVersionConflictError } from './event-store.errors.js';
import {
  appendRequests,
  appendToStreamsRequests,
  claimOf,
  claimStreamOf,
  comparePositions,
  eventIdOf,
  inJsonbOrder,
  isAfter,
  METADATA,
  OUR_STREAMS_REGEX,
  repeatedInBatch,
  toAppendError,
  toClaimData,
  toEventData,
  toGlobalPosition,
  toKafkaMessage,
  toPosition,
  toStoredEvent,
  toStreamState,
  uuidV5,
  versionOf,
  type KurrentRecord,
} from './kurrentdb-mapping.js';

const UUID_V5 = /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** What the client hands back for an event written with `data`, as its JSON round trip leaves it. */
function asRead(
  data: ReturnType<typeof toEventData>,
  at: { streamId: string; revision: bigint; position?: Position },
): KurrentRecord {
  return {
    streamId: at.streamId,
    id: data.id,
    revision: at.revision,
    type: data.type,
    isJson: true,
    data: JSON.parse(JSON.stringify(data.data)),
    // Multi-stream appends add the record's own properties to the metadata it reads back.
    metadata: { ...(data.metadata as object), '$schema.format': 'Json', '$schema.name': data.type },
    created: new Date('2026-01-02T03:04:05Z'),
    ...(at.position ? { position: at.position } : {}),
  };
}

describe('KurrentDB event ids', () => {
  it('derives name-based UUIDs exactly as RFC 9562 does (its DNS example)', () => {
    const dns = '6ba7b810-9dad-11d1-80b4-00c04fd430c8';
    expect(uuidV5(dns, 'www.example.com')).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
  });

  it('gives the same (source, id) the same event id, and any other pair another', () => {
    const id = eventIdOf('urn:jigsaw:org:police:met', 'oe-1');
    expect(id).toMatch(UUID_V5);
    expect(eventIdOf('urn:jigsaw:org:police:met', 'oe-1')).toBe(id);
    expect(eventIdOf('urn:jigsaw:org:police:kent', 'oe-1')).not.toBe(id);
    expect(eventIdOf('urn:jigsaw:org:police:met', 'oe-2')).not.toBe(id);
    // No concatenation ambiguity: ("a:b", "c") is not ("a", "b:c").
    expect(eventIdOf('a:b', 'c')).not.toBe(eventIdOf('a', 'b:c'));
  });

  it('claims each pair in a stream of its own that our filter leaves out of $all', () => {
    const event = aRecordedEvent();
    const claim = claimStreamOf(event.source, event.id);
    expect(claim).toBe(`jigsaw-event-id-${eventIdOf(event.source, event.id)}`);
    const ours = new RegExp(OUR_STREAMS_REGEX);
    expect(ours.test(claim)).toBe(false);
    expect(ours.test('$et-police.domestic-abuse-incident-notified')).toBe(false);
    expect(ours.test('$$police-1')).toBe(false);
    for (const stream of ['police-9f2c', 'identity-9f2c', 'access-9f2c', 'test-new-1', 'jigsaw-other']) {
      expect(ours.test(stream)).toBe(true);
    }
  });

  it('finds a repeated (source, id) within one batch', () => {
    const a = aRecordedEvent();
    const b = aRecordedEvent();
    expect(repeatedInBatch([a, b])).toBeUndefined();
    expect(repeatedInBatch([a, b, { ...aRecordedEvent(), source: a.source, id: a.id }])?.id).toBe(a.id);
    expect(
      repeatedInBatch([a, { ...aRecordedEvent(), source: 'urn:jigsaw:org:police:kent', id: a.id }]),
    ).toBe(undefined);
  });
});

describe('expected versions', () => {
  it('maps our event counts to KurrentDB revisions', () => {
    expect(toStreamState('any')).toBe(ANY);
    expect(toStreamState('no-stream')).toBe(NO_STREAM);
    expect(toStreamState(0)).toBe(NO_STREAM);
    expect(toStreamState(1)).toBe(0n);
    expect(toStreamState(42)).toBe(41n);
    expect(() => toStreamState(-1)).toThrow(/invalid expected version/);
    expect(() => toStreamState(1.5)).toThrow(/invalid expected version/);
  });

  it('reads a stream state back as a version', () => {
    expect(versionOf('no_stream')).toBe(0);
    expect(versionOf(0n)).toBe(1);
    expect(versionOf(41n)).toBe(42);
    expect(versionOf(-5n)).toBe(0);
  });
});

describe('events in KurrentDB', () => {
  it('stores the recorded event as its CloudEvent under its type, with the given content hash', () => {
    const event = aRecordedEvent();
    const data = toEventData(event, 'hash-of-the-envelope');
    expect(data).toEqual({
      id: eventIdOf(event.source, event.id),
      contentType: 'application/json',
      type: event.type,
      data: toCloudEvent(event),
      metadata: { [METADATA.contentHash]: 'hash-of-the-envelope' },
    });
  });

  it('keeps metadata a flat map of strings, as multi-stream appends require', () => {
    const event = aRecordedEvent();
    const data = toEventData(event, contentHash(event), {
      route: { topic: 'jigsaw.police.events', key: event.childid },
      headers: { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' },
    });
    const metadata = data.metadata as Record<string, unknown>;
    expect(Object.values(metadata).every((v) => typeof v === 'string')).toBe(true);
    expect(metadata).toEqual({
      [METADATA.contentHash]: contentHash(event),
      [METADATA.topic]: 'jigsaw.police.events',
      [METADATA.key]: event.childid,
      [METADATA.headers]: '{"traceparent":"00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"}',
    });
  });

  it('reads a stored event back as the store returned it: positions 1-based, place in $all as strings', () => {
    const event = aRecordedEvent();
    const data = toEventData(event, 'h1');
    const read = asRead(data, {
      streamId: 'police-1',
      revision: 2n,
      position: { commit: 900n, prepare: 880n },
    });
    expect(toStoredEvent(read)).toEqual({
      streamId: 'police-1',
      streamPosition: 3,
      globalPosition: { transactionId: '900', position: '880' },
      event,
      contentHash: 'h1',
      recordedAt: new Date('2026-01-02T03:04:05Z'),
    });
  });

  it('leaves out what Jigsaw did not write, and refuses an event without its place in $all', () => {
    const event = aRecordedEvent();
    const read = asRead(toEventData(event, 'h1'), { streamId: 'police-1', revision: 0n });
    expect(() => toStoredEvent(read)).toThrow(/25\.1 or later/);
    const at = { streamId: 'orders-1', revision: 0n, position: { commit: 1n, prepare: 1n } };
    expect(toStoredEvent({ ...asRead(toEventData(event, 'h'), at), metadata: {} })).toBeUndefined();
    expect(toStoredEvent({ ...asRead(toEventData(event, 'h'), at), data: { order: 1 } })).toBeUndefined();
    expect(
      toStoredEvent({ ...asRead(toEventData(event, 'h'), at), isJson: false, data: new Uint8Array([1]) }),
    ).toBeUndefined();
    expect(toStoredEvent({ ...asRead(toEventData(event, 'h'), at), metadata: new Uint8Array([1]) })).toBe(
      undefined,
    );
  });

  it('records in each claim where its event went', () => {
    const event = aRecordedEvent();
    const claim = toClaimData(event, { streamId: 'police-1', streamPosition: 4 });
    expect(claim.type).toBe('jigsaw.event-id-claimed');
    expect(claim.id).toMatch(UUID_V5);
    expect(claim.id).not.toBe(eventIdOf(event.source, event.id));
    expect(claimOf(JSON.parse(JSON.stringify(claim.data)))).toEqual({
      streamId: 'police-1',
      streamPosition: 4,
    });
    expect(claimOf(toClaimData(event, { streamId: 'police-1' }).data)).toEqual({ streamId: 'police-1' });
    expect(claimOf({ nothing: true })).toBeUndefined();
    expect(claimOf('police-1')).toBeUndefined();
  });
});

describe('the multi-stream append of an append', () => {
  const a = aRecordedEvent();
  const b = aRecordedEvent();

  it('writes the events at the expected version and claims each (source, id) in a stream that must be new', () => {
    const requests = appendRequests('police-1', [a, b], { expectedVersion: 3, contentHashes: ['ha', 'hb'] });
    expect(requests.map((r) => [r.streamName, r.expectedState])).toEqual([
      ['police-1', 2n],
      [claimStreamOf(a.source, a.id), NO_STREAM],
      [claimStreamOf(b.source, b.id), NO_STREAM],
    ]);
    expect(requests[0]!.events).toEqual([toEventData(a, 'ha'), toEventData(b, 'hb')]);
    // Stream positions 4 and 5: the claims say where to find each event.
    expect(requests.slice(1).map((r) => claimOf(r.events[0]!.data))).toEqual([
      { streamId: 'police-1', streamPosition: 4 },
      { streamId: 'police-1', streamPosition: 5 },
    ]);
  });

  it('starts a new stream at position 1, and leaves the position out when appending at any version', () => {
    const fresh = appendRequests('police-2', [a], { expectedVersion: 'no-stream', contentHashes: ['h'] });
    expect(fresh[0]!.expectedState).toBe(NO_STREAM);
    expect(claimOf(fresh[1]!.events[0]!.data)).toEqual({ streamId: 'police-2', streamPosition: 1 });
    const any = appendRequests('police-2', [a], { expectedVersion: 'any', contentHashes: ['h'] });
    expect(any[0]!.expectedState).toBe(ANY);
    expect(claimOf(any[1]!.events[0]!.data)).toEqual({ streamId: 'police-2' });
  });

  it('records where each event is published when the store routes it', () => {
    const [events] = appendRequests('police-1', [a], {
      expectedVersion: 'any',
      contentHashes: ['h'],
      publication: (e) => ({ route: { topic: 't', key: e.childid }, headers: {} }),
    });
    expect(events!.events[0]!.metadata).toMatchObject({ [METADATA.topic]: 't', [METADATA.key]: a.childid });
  });

  it('appends to several streams at once, each at any version, with every event claimed', () => {
    const c = aRecordedEvent();
    const requests = appendToStreamsRequests([
      { streamId: 'access-1', events: [a] },
      { streamId: 'access-2', events: [b] },
      { streamId: 'access-1', events: [c] },
    ]);
    const own = requests.filter((r) => r.streamName.startsWith('access-'));
    expect(own.map((r) => [r.streamName, r.expectedState, r.events.map((e) => e.id)])).toEqual([
      ['access-1', ANY, [eventIdOf(a.source, a.id), eventIdOf(c.source, c.id)]],
      ['access-2', ANY, [eventIdOf(b.source, b.id)]],
    ]);
    expect(
      requests
        .filter((r) => r.expectedState === NO_STREAM)
        .map((r) => r.streamName)
        .sort(),
    ).toEqual([a, b, c].map((e) => claimStreamOf(e.source, e.id)).sort());
    expect(own[0]!.events[0]!.metadata).toEqual({ [METADATA.contentHash]: contentHash(a) });
  });
});

describe('places in $all', () => {
  it('round-trips a position through our GlobalPosition, beyond 2^53', () => {
    const position = { commit: 2n ** 60n + 7n, prepare: 2n ** 60n + 3n };
    expect(toGlobalPosition(position)).toEqual({
      transactionId: '1152921504606846983',
      position: '1152921504606846979',
    });
    expect(toPosition(toGlobalPosition(position))).toEqual(position);
  });

  it('orders by commit, then prepare position, and tells what lies after a checkpoint', () => {
    expect(comparePositions({ commit: 1n, prepare: 9n }, { commit: 2n, prepare: 0n })).toBe(-1);
    expect(comparePositions({ commit: 2n, prepare: 1n }, { commit: 2n, prepare: 0n })).toBe(1);
    expect(comparePositions({ commit: 2n, prepare: 1n }, { commit: 2n, prepare: 1n })).toBe(0);
    const after = { transactionId: '100', position: '100' };
    expect(isAfter({ position: { commit: 100n, prepare: 100n } }, after)).toBe(false);
    expect(isAfter({ position: { commit: 99n, prepare: 99n } }, after)).toBe(false);
    expect(isAfter({ position: { commit: 101n, prepare: 101n } }, after)).toBe(true);
    expect(isAfter({ position: { commit: 0n, prepare: 0n } }, undefined)).toBe(true);
    expect(isAfter({ position: { commit: 0n, prepare: 0n } }, { transactionId: '0', position: '0' })).toBe(
      true,
    );
  });
});

describe('Kafka messages from KurrentDB events', () => {
  it('goes to the routed topic, keyed by the hub child id, with the headers from the append', () => {
    const event = aRecordedEvent();
    const data = toEventData(event, 'h', {
      route: { topic: 'jigsaw.police.events', key: event.childid },
      headers: { traceparent: 'tp' },
    });
    const message = toKafkaMessage(asRead(data, { streamId: 'police-1', revision: 0n }));
    expect(message).toMatchObject({
      topic: 'jigsaw.police.events',
      key: event.childid,
      headers: { traceparent: 'tp', 'content-type': 'application/cloudevents+json' },
    });
    expect(JSON.parse(message!.value)).toEqual({ ...toCloudEvent(event), traceparent: 'tp' });
  });

  it('publishes an event stored in envelope v1 as its v2 CloudEvent', () => {
    const event = aRecordedEvent();
    const data = toEventData(event, 'h', {
      route: { topic: 'jigsaw.police.events', key: event.childid },
      headers: {},
    });
    const message = toKafkaMessage(
      asRead({ ...data, data: event as never }, { streamId: 'police-1', revision: 0n }),
    );
    expect(JSON.parse(message!.value)).toEqual(toCloudEvent(event));
  });

  it('publishes nothing for an event appended without a route', () => {
    const event = aRecordedEvent();
    expect(
      toKafkaMessage(asRead(toEventData(event, 'h'), { streamId: 'access-1', revision: 0n })),
    ).toBeUndefined();
  });

  it('orders keys as jsonb does: by UTF-8 length, then bytes, integer-like keys first as JavaScript puts them', () => {
    const value = {
      b: 1,
      aa: 2,
      é: 3,
      '10': 4,
      '2': 5,
      Z: 6,
      ab: { y: 1, x: [{ d: 1, c: 2 }] },
      u: undefined,
    };
    // The text PostgreSQL returns for the same object, '{"2": 5, "Z": 6, "b": 1, "10": 4, "aa": 2,
    // "ab": {"x": [{"c": 2, "d": 1}], "y": 1}, "é": 3}', as the relay's JSON.parse/JSON.stringify leaves it:
    expect(JSON.stringify(inJsonbOrder(value))).toBe(
      '{"2":5,"10":4,"Z":6,"b":1,"aa":2,"ab":{"x":[{"c":2,"d":1}],"y":1},"é":3}',
    );
    expect(inJsonbOrder([3, 'x', null, true])).toEqual([3, 'x', null, true]);
  });
});

describe('append errors', () => {
  const event = aRecordedEvent();
  const other = aRecordedEvent();

  /** A revision conflict as a KurrentDB 25.1+ node reports it on a multi-stream append, through the client's own conversion. */
  function revisionConflict(stream: string, expected: string, actual: string): unknown {
    const require = createRequire(import.meta.url);
    const errors =
      require('@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v2/streams/errors_pb') as {
        StreamRevisionConflictErrorDetails: new () => {
          setStream(v: string): unknown;
          setExpectedRevision(v: string): unknown;
          setActualRevision(v: string): unknown;
          serializeBinary(): Uint8Array;
        };
      };
    const { Status } = require('@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/status_pb') as {
      Status: new () => {
        setCode(c: number): unknown;
        setDetails(a: unknown): unknown;
        serializeBinary(): Uint8Array;
      };
    };
    const { Any } = require('google-protobuf/google/protobuf/any_pb.js') as {
      Any: new () => { setTypeUrl(u: string): unknown; setValue(v: Uint8Array): unknown };
    };
    const details = new errors.StreamRevisionConflictErrorDetails();
    details.setStream(stream);
    details.setExpectedRevision(expected);
    details.setActualRevision(actual);
    const any = new Any();
    any.setTypeUrl(
      'type.googleapis.com/kurrentdb.protocol.v2.streams.errors.StreamRevisionConflictErrorDetails',
    );
    any.setValue(details.serializeBinary());
    const st = new Status();
    st.setCode(status.FAILED_PRECONDITION);
    st.setDetails(any);
    const metadata = new Metadata();
    metadata.set('grpc-status-details-bin', Buffer.from(st.serializeBinary()));
    const grpcError: ServiceError = Object.assign(new Error('revision conflict'), {
      code: status.FAILED_PRECONDITION,
      details: 'revision conflict',
      metadata,
    });
    return convertToCommandError(grpcError);
  }

  it('reads the conflict the client makes of a server error', () => {
    const converted = revisionConflict('police-1', '0', '1');
    expect(converted).toBeInstanceOf(WrongExpectedVersionError);
    expect(converted).toMatchObject({ streamName: 'police-1', expectedState: 0n, actualState: 1n });
  });

  it('is a version conflict, with the message of the PostgreSQL store, on the event stream', () => {
    const error = toAppendError(revisionConflict('police-1', '0', '1'), 'police-1', 1, [event]);
    expect(error).toBeInstanceOf(StreamVersionConflictError);
    expect(error).toMatchObject({
      code: ErrorCode.StreamVersionConflict,
      streamId: 'police-1',
      actual: 2,
      message: 'the stream has changed since it was read: expected version 1, found 2',
    });
    const fresh = toAppendError(revisionConflict('police-1', '-1', '0'), 'police-1', 'no-stream', [event]);
    expect(fresh).toMatchObject({
      message: 'the stream has changed since it was read: expected version no-stream, found 1',
    });
    const gone = toAppendError(revisionConflict('police-1', '3', '-1'), 'police-1', 4, [event]);
    expect(gone).toMatchObject({ actual: 0 });
  });

  it('is a duplicate of the event whose claim stream already exists', () => {
    const claim = claimStreamOf(other.source, other.id);
    const error = toAppendError(revisionConflict(claim, '-1', '0'), 'police-1', 'any', [event, other]);
    expect(error).toBeInstanceOf(DuplicateEventError);
    expect(error).toMatchObject({
      code: ErrorCode.DuplicateEventConflict,
      source: other.source,
      id: other.id,
    });
  });

  it('leaves every other error as it is', () => {
    const unknownStream = revisionConflict('elsewhere', '-1', '0');
    expect(toAppendError(unknownStream, 'police-1', 'any', [event])).toBe(unknownStream);
    const timeout = new Error('deadline exceeded');
    expect(toAppendError(timeout, 'police-1', 'any', [event])).toBe(timeout);
  });
});

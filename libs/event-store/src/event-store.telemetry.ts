import type { Attributes } from '@opentelemetry/api';
import type { RecordedEvent } from '@jigsaw/envelope';
import { histogram, traceContextOf } from '@jigsaw/telemetry';

/**
 * What kind of stream, from its id: `police` for `police-<hub child id>`, `access` for `access-<…>`.
 * Only the leading word, and only if it is a short lower-case word: never any part of the child's id.
 */
export function streamCategoryOf(streamId: string): string {
  const word = /^([a-z]{2,20})-/.exec(streamId)?.[1];
  return word ?? 'other';
}

export const appendSeconds = histogram({
  name: 'jigsaw_event_store_append_seconds',
  help: 'Appends to the event store (events and outbox rows in one transaction), by stream kind and outcome',
  labelNames: ['stream', 'outcome'],
  buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
});

export function appendLabels(streamId: string): { stream: string } {
  return { stream: streamCategoryOf(streamId) };
}

/** The append span's attributes: stream kind, event types and count; never the stream id. */
export function appendAttributes(streamId: string, events: readonly RecordedEvent[]): Attributes {
  return {
    'jigsaw.stream.kind': streamCategoryOf(streamId),
    'jigsaw.event.type': [...new Set(events.map((e) => e.type))].join(','),
    'jigsaw.event.count': events.length,
  };
}

type Entries = ReadonlyArray<{ streamId: string; events: readonly RecordedEvent[] }>;

/** One kind for a multi-stream append (the access log's group commit), or `mixed`. */
function kindOf(entries: Entries): string {
  const kinds = new Set(entries.map((e) => streamCategoryOf(e.streamId)));
  return kinds.size === 1 ? [...kinds][0]! : 'mixed';
}

export function appendToStreamsLabels(entries: Entries): { stream: string } {
  return { stream: kindOf(entries) };
}

export function appendToStreamsAttributes(entries: Entries): Attributes {
  const events = entries.flatMap((e) => e.events);
  return {
    'jigsaw.stream.kind': kindOf(entries),
    'jigsaw.stream.count': entries.length,
    'jigsaw.event.type': [...new Set(events.map((e) => e.type))].join(','),
    'jigsaw.event.count': events.length,
  };
}

/** The active (append) span's W3C context for the outbox row: `[traceparent, tracestate]`, null when off. */
export function outboxTraceContext(): { traceparent: string | null; tracestate: string | null } {
  const { traceparent, tracestate } = traceContextOf();
  return { traceparent: traceparent ?? null, tracestate: tracestate ?? null };
}

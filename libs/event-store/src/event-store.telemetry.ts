import type { Attributes } from '@opentelemetry/api';
import type { RecordedEvent } from '@jigsaw/envelope';
import { histogram } from '@jigsaw/telemetry';

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

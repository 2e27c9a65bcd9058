import { SpanKind, type Span } from '@opentelemetry/api';
import { agencyOfSource, type RecordedEvent } from '@jigsaw/envelope';
import {
  endSpan,
  extractTraceContext,
  histogram,
  tracer,
  tracingEnabled,
  type TraceCarrier,
} from '@jigsaw/telemetry';
import { eventKeyOf } from './projection.js';

const visibilitySeconds = histogram({
  name: 'jigsaw_event_visibility_seconds',
  help: 'From the hub recording an event to its update of the view committing, by agency',
  labelNames: ['agency'],
  buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
});

const HOUR = 3600;
const occurrenceSeconds = histogram({
  name: 'jigsaw_event_occurrence_to_visibility_seconds',
  help: 'From when the recorded thing happened (the event time) to its update of the view committing, by agency',
  labelNames: ['agency'],
  buckets: [60, 600, HOUR, 4 * HOUR, 12 * HOUR, 24 * HOUR, 72 * HOUR, 168 * HOUR, 720 * HOUR, 8760 * HOUR],
});

function agencyLabel(event: RecordedEvent): string {
  return agencyOfSource(event.source) ?? 'hub';
}

/** Observes, for each event just applied, how long it took to become visible. */
export function observeVisible(events: readonly RecordedEvent[], at: number = Date.now()): void {
  for (const event of events) {
    const agency = agencyLabel(event);
    const recorded = Date.parse(event.recordedtime);
    const occurred = Date.parse(event.time);
    if (Number.isFinite(recorded)) visibilitySeconds.observe({ agency }, Math.max(0, at - recorded) / 1000);
    if (Number.isFinite(occurred)) occurrenceSeconds.observe({ agency }, Math.max(0, at - occurred) / 1000);
  }
}

export interface ProjectionSpans {
  end(applied: readonly RecordedEvent[], error?: unknown): void;
}

const NONE: ProjectionSpans = { end: () => undefined };

/**
 * One consumer span per event, a child of the relay span whose `traceparent` its Kafka message carries,
 * open while the batch's transaction runs: the event is visible when its span ends.
 */
export function projectionSpans(
  schema: string,
  events: readonly RecordedEvent[],
  carriers: readonly (TraceCarrier | undefined)[],
  topics: readonly (string | undefined)[],
): ProjectionSpans {
  if (!tracingEnabled() || events.length === 0) return NONE;
  const spans: Span[] = events.map((event, i) =>
    tracer().startSpan(
      'projection apply',
      {
        kind: SpanKind.CONSUMER,
        attributes: {
          'jigsaw.agency': agencyLabel(event),
          'jigsaw.event.type': event.type,
          'jigsaw.projection.schema': schema,
          'messaging.system': 'kafka',
          'messaging.operation.type': 'process',
          ...(topics[i] ? { 'messaging.destination.name': topics[i] } : {}),
          'messaging.batch.message_count': events.length,
        },
      },
      extractTraceContext(carriers[i]),
    ),
  );
  return {
    end(applied, error) {
      const fresh = new Set(applied.map(eventKeyOf));
      spans.forEach((span, i) => {
        if (error === undefined) {
          span.setAttribute('jigsaw.outcome', fresh.delete(eventKeyOf(events[i]!)) ? 'applied' : 'duplicate');
        }
        endSpan(span, error);
      });
    },
  };
}

import { ROOT_CONTEXT, SpanKind, trace, type Span } from '@opentelemetry/api';
import {
  counter,
  endSpan,
  extractTraceContext,
  histogram,
  injectTraceContext,
  tracer,
  tracingEnabled,
} from '@jigsaw/telemetry';

export interface OutboxRow {
  id: string;
  topic: string;
  message_key: string;
  payload: unknown;
  headers: Record<string, string>;
  traceparent: string | null;
  tracestate: string | null;
  created_at: Date;
}

const published = counter({
  name: 'jigsaw_outbox_published_total',
  help: 'Outbox rows published to Kafka, by topic',
  labelNames: ['topic'],
});

const delaySeconds = histogram({
  name: 'jigsaw_outbox_relay_delay_seconds',
  help: 'From an event appended with its outbox row to Kafka acknowledging it, by topic',
  labelNames: ['topic'],
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
});

/** Counts a published batch and how long its rows waited. */
export function relayed(rows: readonly OutboxRow[]): void {
  const now = Date.now();
  const byTopic = new Map<string, number>();
  for (const row of rows) {
    byTopic.set(row.topic, (byTopic.get(row.topic) ?? 0) + 1);
    delaySeconds.observe({ topic: row.topic }, Math.max(0, now - row.created_at.getTime()) / 1000);
  }
  for (const [topic, n] of byTopic) published.inc({ topic }, n);
}

export interface RelaySpans {
  /** The headers carrying row `i`'s span to the consumer. */
  headers(i: number): Record<string, string>;
  end(error?: unknown): void;
}

const NONE: RelaySpans = { headers: () => ({}), end: () => undefined };

/**
 * One producer span per row, a child of the append that wrote it (its stored traceparent). Rows written
 * while tracing was off start their own trace. Nothing at all while tracing is off here.
 */
export function relaySpans(rows: readonly OutboxRow[]): RelaySpans {
  if (!tracingEnabled()) return NONE;
  const spans: Span[] = rows.map((row) =>
    tracer().startSpan(
      'outbox relay',
      {
        kind: SpanKind.PRODUCER,
        attributes: {
          'messaging.system': 'kafka',
          'messaging.operation.type': 'send',
          'messaging.destination.name': row.topic,
          'messaging.batch.message_count': rows.length,
        },
      },
      extractTraceContext(
        row.traceparent
          ? { traceparent: row.traceparent, ...(row.tracestate ? { tracestate: row.tracestate } : {}) }
          : undefined,
      ),
    ),
  );
  return {
    headers: (i) => injectTraceContext({}, trace.setSpan(ROOT_CONTEXT, spans[i]!)),
    end: (error) => spans.forEach((span) => endSpan(span, error)),
  };
}

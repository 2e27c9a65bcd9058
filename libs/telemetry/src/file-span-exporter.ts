import { appendFileSync } from 'node:fs';
import { SpanKind, type Attributes, type HrTime } from '@opentelemetry/api';
import { ExportResultCode, hrTimeToMicroseconds, type ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';

/** One finished span as the `file` exporter writes it: a JSON line. */
export interface SpanRecord {
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: string;
  /** Microseconds since the epoch. */
  start: number;
  end: number;
  status: { code: number; message?: string };
  attributes: Attributes;
  links: { traceId: string; spanId: string }[];
}

const micros = (time: HrTime): number => hrTimeToMicroseconds(time);

export function spanRecordOf(span: ReadableSpan): SpanRecord {
  const context = span.spanContext();
  const parent = span.parentSpanContext?.spanId;
  const service = span.resource.attributes[ATTR_SERVICE_NAME];
  return {
    service: typeof service === 'string' ? service : 'unknown',
    traceId: context.traceId,
    spanId: context.spanId,
    ...(parent ? { parentSpanId: parent } : {}),
    name: span.name,
    kind: SpanKind[span.kind],
    start: micros(span.startTime),
    end: micros(span.endTime),
    status: { code: span.status.code, ...(span.status.message ? { message: span.status.message } : {}) },
    attributes: span.attributes,
    links: span.links.map((l) => ({ traceId: l.context.traceId, spanId: l.context.spanId })),
  };
}

/**
 * Appends each finished span to a file as a JSON line, synchronously, so a test can read the spans of
 * service processes it started (several processes may share one file: each line is one append).
 */
export class FileSpanExporter implements SpanExporter {
  constructor(private readonly path: string) {}

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    try {
      const lines = spans.map((s) => `${JSON.stringify(spanRecordOf(s))}\n`).join('');
      appendFileSync(this.path, lines);
      resultCallback({ code: ExportResultCode.SUCCESS });
    } catch (error) {
      resultCallback({ code: ExportResultCode.FAILED, error: error as Error });
    }
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

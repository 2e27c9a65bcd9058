import { context, propagation, ROOT_CONTEXT, type Context } from '@opentelemetry/api';

/** Headers as HTTP and Kafka carry them. */
export type TraceCarrier = Readonly<Record<string, string | readonly string[] | undefined>>;

/** The W3C trace context of `ctx` (the active one by default): `traceparent`, and `tracestate` if any. */
export function traceContextOf(ctx: Context = context.active()): {
  traceparent?: string;
  tracestate?: string;
} {
  const carrier: Record<string, string> = {};
  propagation.inject(ctx, carrier);
  return carrier;
}

/** Writes the active trace context into `headers` (no-op while tracing is off) and returns them. */
export function injectTraceContext(
  headers: Record<string, string>,
  ctx: Context = context.active(),
): Record<string, string> {
  propagation.inject(ctx, headers);
  return headers;
}

/** The context a `traceparent` (HTTP or Kafka header, or an outbox row) continues; the root if none. */
export function extractTraceContext(carrier: TraceCarrier | undefined): Context {
  if (!carrier) return ROOT_CONTEXT;
  return propagation.extract(ROOT_CONTEXT, carrier);
}

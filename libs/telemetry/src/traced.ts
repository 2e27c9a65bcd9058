import { performance } from 'node:perf_hooks';
import {
  context,
  INVALID_SPAN_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Link,
  type Span,
} from '@opentelemetry/api';
import type { Histogram } from 'prom-client';
import type { MetricLabel } from './metrics.js';
import { tracer, tracingEnabled } from './tracing.js';

const CODE = /^[A-Z][A-Z0-9_]{1,60}$/;
/** What `inSpan` hands its function while tracing is off: a span that records nothing. */
const OFF: Span = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);

/**
 * A bounded name for how an operation ended: `ok`, an error's stable code in lower case
 * (`stream_version_conflict`), or `error`. Never an error's message, which may carry anything.
 */
export function outcomeOf(error?: unknown): string {
  if (error === undefined) return 'ok';
  const code: unknown =
    typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
  return typeof code === 'string' && CODE.test(code) ? code.toLowerCase() : 'error';
}

/** Ends a span as ok, or as an error named only by its outcome code. */
export function endSpan(span: Span, error?: unknown): void {
  if (error !== undefined) {
    const outcome = outcomeOf(error);
    span.setAttribute('jigsaw.outcome', outcome);
    span.setStatus({ code: SpanStatusCode.ERROR, message: outcome });
  }
  span.end();
}

export interface SpanOptions {
  kind?: SpanKind;
  attributes?: Attributes;
  /** The parent; the active context by default. */
  parent?: Context;
  /** Spans this one works for without being their child, e.g. the reads a group commit records. */
  links?: Link[];
}

/**
 * Runs `fn` in a new active span (a no-op span while tracing is off). Attributes must never carry
 * identifiers: agency, event type, route template and outcome only.
 */
export async function inSpan<T>(
  name: string,
  options: SpanOptions,
  fn: (span: Span) => Promise<T>,
): Promise<T> {
  if (!tracingEnabled()) return fn(OFF);
  const parent = options.parent ?? context.active();
  const span = tracer().startSpan(
    name,
    {
      kind: options.kind ?? SpanKind.INTERNAL,
      ...(options.attributes ? { attributes: options.attributes } : {}),
      ...(options.links ? { links: options.links } : {}),
    },
    parent,
  );
  try {
    const result = await context.with(trace.setSpan(parent, span), fn, undefined, span);
    endSpan(span);
    return result;
  } catch (error) {
    endSpan(span, error);
    throw error;
  }
}

type Labels = Partial<Record<MetricLabel, string>>;

export interface TracedOptions {
  kind?: SpanKind;
  /** Span attributes from the method's arguments. */
  attributes?: (...args: never[]) => Attributes;
  /** Observes the call's duration in seconds, labelled with its `outcome` and any `labels`. */
  histogram?: Histogram<MetricLabel>;
  labels?: (...args: never[]) => Labels;
}

/**
 * Wraps an async method in a span named `name` and, if given, times it into a histogram. While tracing is
 * off only the timing remains (a clock read), so hot paths keep their speed.
 */
export function Traced(name: string, options: TracedOptions = {}) {
  return <T extends (...args: never[]) => Promise<unknown>>(
    _target: object,
    _key: string | symbol,
    descriptor: TypedPropertyDescriptor<T>,
  ): void => {
    const original = descriptor.value!;
    const attributes = options.attributes as ((...args: unknown[]) => Attributes) | undefined;
    const labels = options.labels as ((...args: unknown[]) => Labels) | undefined;
    const observe = (args: unknown[], started: number, error?: unknown): void => {
      options.histogram?.observe(
        { ...labels?.(...args), outcome: outcomeOf(error) },
        (performance.now() - started) / 1000,
      );
    };
    descriptor.value = async function (this: unknown, ...args: unknown[]): Promise<unknown> {
      const started = performance.now();
      const call = (): Promise<unknown> => original.apply(this, args as never[]);
      try {
        const result = tracingEnabled()
          ? await inSpan(
              name,
              { ...(options.kind ? { kind: options.kind } : {}), attributes: attributes?.(...args) ?? {} },
              call,
            )
          : await call();
        observe(args, started);
        return result;
      } catch (error) {
        observe(args, started, error);
        throw error;
      }
    } as unknown as T;
  };
}

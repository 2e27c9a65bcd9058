import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { tracingConfigFrom } from './tracing.js';
import { histogram, metricsRegistry } from './metrics.js';
import { extractTraceContext, injectTraceContext } from './propagation.js';
import { inSpan, outcomeOf, Traced } from './traced.js';
import { finishedSpans, resetFinishedSpans, startTracing, stopTracing, tracingEnabled } from './tracing.js';

const calls = histogram({
  name: 'jigsaw_test_store_seconds',
  help: 'test',
  labelNames: ['stream', 'outcome'],
});

class Conflict extends Error {
  readonly code = 'STREAM_VERSION_CONFLICT';
}

class Store {
  @Traced('store append', {
    kind: SpanKind.INTERNAL,
    attributes: (stream: string, types: string[]) => ({ 'jigsaw.event.type': types.join(',') }),
    histogram: calls,
    labels: (stream: string) => ({ stream: stream.split('-')[0]! }),
  })
  async append(stream: string, _types: string[], fail = false): Promise<string> {
    await Promise.resolve();
    // The NHS number of a child in the stream must never reach a span: it is only in this error's message.
    if (fail) throw new Conflict(`stream ${stream} for 9434765919 moved on`);
    return stream;
  }
}

async function observed(labels: string): Promise<number> {
  const text = await metricsRegistry().getSingleMetricAsString('jigsaw_test_store_seconds');
  const line = text.split('\n').find((l) => l.startsWith(`jigsaw_test_store_seconds_count{${labels}}`));
  return line ? Number(line.split(' ')[1]) : 0;
}

describe('outcomeOf', () => {
  it('names an outcome by a stable code only', () => {
    expect(outcomeOf()).toBe('ok');
    expect(outcomeOf(new Conflict('anything'))).toBe('stream_version_conflict');
    expect(outcomeOf(Object.assign(new Error('x'), { code: '23505' }))).toBe('error');
    expect(outcomeOf(new Error('child 9434765919 not found'))).toBe('error');
    expect(outcomeOf('thrown string')).toBe('error');
  });
});

describe('Traced while tracing is off', () => {
  it('makes no span but still times the call by outcome', async () => {
    expect(tracingEnabled()).toBe(false);
    const before = await observed('stream="police",outcome="ok"');
    await expect(new Store().append('police-1', ['police.x'])).resolves.toBe('police-1');
    expect(await observed('stream="police",outcome="ok"')).toBe(before + 1);
    expect(finishedSpans()).toEqual([]);
  });
});

describe('Traced and inSpan with tracing on', () => {
  beforeAll(() => {
    startTracing('test', tracingConfigFrom({ OTEL_TRACES_EXPORTER: 'memory' }));
  });
  afterEach(() => resetFinishedSpans());
  afterAll(async () => stopTracing());

  it('makes a child span of the active span with the attributes the arguments give', async () => {
    await inSpan('request', { kind: SpanKind.SERVER }, async () => {
      await new Store().append('police-abc', ['police.a', 'police.b']);
    });
    const [append, request] = finishedSpans();
    expect(append).toMatchObject({
      name: 'store append',
      attributes: { 'jigsaw.event.type': 'police.a,police.b' },
      status: { code: SpanStatusCode.UNSET },
    });
    expect(request!.name).toBe('request');
    expect(append!.parentSpanContext?.spanId).toBe(request!.spanContext().spanId);
    expect(append!.spanContext().traceId).toBe(request!.spanContext().traceId);
  });

  it('ends a failed call as an error named by its code, never by its message', async () => {
    const before = await observed('stream="council",outcome="stream_version_conflict"');
    await expect(new Store().append('council-1', ['council.x'], true)).rejects.toBeInstanceOf(Conflict);
    const [span] = finishedSpans();
    expect(span!.status).toEqual({ code: SpanStatusCode.ERROR, message: 'stream_version_conflict' });
    expect(span!.attributes['jigsaw.outcome']).toBe('stream_version_conflict');
    expect(span!.events).toEqual([]);
    expect(JSON.stringify(span!.attributes)).not.toContain('9434765919');
    expect(await observed('stream="council",outcome="stream_version_conflict"')).toBe(before + 1);
  });

  it('carries the trace through a traceparent, as Kafka headers and outbox rows do', async () => {
    const headers = await inSpan('producer', {}, () => Promise.resolve(injectTraceContext({})));
    expect(headers['traceparent']).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    await inSpan('consumer', { parent: extractTraceContext(headers) }, () => Promise.resolve());
    const [producer, consumer] = finishedSpans();
    expect(consumer!.parentSpanContext?.spanId).toBe(producer!.spanContext().spanId);
    expect(consumer!.spanContext().traceId).toBe(producer!.spanContext().traceId);
  });
});

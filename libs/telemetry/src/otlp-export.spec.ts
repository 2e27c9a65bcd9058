import { createServer, type IncomingMessage, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SpanKind } from '@opentelemetry/api';
import { inSpan } from './traced.js';
import { startTracing, stopTracing, tracingConfigFrom } from './tracing.js';

interface Received {
  path: string;
  contentType: string;
  body: string;
}

describe('OTLP export', () => {
  let server: Server;
  const received: Received[] = [];
  const saved = { ...process.env };

  beforeAll(async () => {
    server = createServer((request: IncomingMessage, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (c: Buffer) => chunks.push(c));
      request.on('end', () => {
        received.push({
          path: request.url ?? '',
          contentType: request.headers['content-type'] ?? '',
          body: Buffer.concat(chunks).toString('utf8'),
        });
        response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });

  afterAll(async () => {
    process.env = saved;
    await new Promise((resolve) => server.close(resolve));
  });

  it('sends spans to the collector named by OTEL_EXPORTER_OTLP_ENDPOINT, flushing them at stop', async () => {
    const { port } = server.address() as { port: number };
    process.env['OTEL_EXPORTER_OTLP_ENDPOINT'] = `http://127.0.0.1:${port}`;
    process.env['OTEL_SERVICE_NAME'] = 'police-under-test';
    const config = tracingConfigFrom();
    expect(config.exporters).toEqual(['otlp']);
    expect(startTracing('police', config)).toBe(true);
    await inSpan(
      'command RecordEvent',
      { kind: SpanKind.INTERNAL, attributes: { 'jigsaw.agency': 'police' } },
      () => Promise.resolve(),
    );
    expect(received).toEqual([]);
    await stopTracing();
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ path: '/v1/traces', contentType: 'application/json' });
    const body = JSON.parse(received[0]!.body) as {
      resourceSpans: {
        resource: { attributes: { key: string; value: { stringValue?: string } }[] };
        scopeSpans: { spans: { name: string }[] }[];
      }[];
    };
    const [resourceSpans] = body.resourceSpans;
    expect(resourceSpans!.scopeSpans.flatMap((s) => s.spans.map((span) => span.name))).toEqual([
      'command RecordEvent',
    ]);
    expect(resourceSpans!.resource.attributes).toContainEqual({
      key: 'service.name',
      value: { stringValue: 'police-under-test' },
    });
  });
});

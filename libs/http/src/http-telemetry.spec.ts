import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import {
  Body,
  Controller,
  Get,
  Injectable,
  Module,
  Param,
  Post,
  type CanActivate,
  type ExecutionContext,
  type INestApplication,
} from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { trace } from '@opentelemetry/api';
import type { Request } from 'express';
import {
  finishedSpans,
  renderMetrics,
  resetFinishedSpans,
  startTracing,
  stopTracing,
  tracingConfigFrom,
} from '@jigsaw/telemetry';
import { configureHttp } from './bootstrap.js';

const NHS_NUMBER = '9434765919';
const AUTHORIZATION = 'Bearer test';

const activeIds = (): { traceId?: string; spanId?: string } => {
  const ids = trace.getActiveSpan()?.spanContext();
  return { ...(ids ? { traceId: ids.traceId, spanId: ids.spanId } : {}) };
};

@Controller('v1/children')
class ChildRoutes {
  @Get(':ref/chronology')
  async read(
    @Param('ref') ref: string,
  ): Promise<{ ref: string; active: { traceId?: string; spanId?: string } }> {
    await new Promise((resolve) => setTimeout(resolve, 5));
    return { ref, active: activeIds() };
  }

  @Post(':ref/notes')
  async note(
    @Body() body: unknown,
  ): Promise<{ body: unknown; active: { traceId?: string; spanId?: string } }> {
    await Promise.resolve();
    return { body, active: activeIds() };
  }
}

/** Only callers with the test's token get through: /metrics must answer without reaching any guard. */
@Injectable()
class TokenRequired implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    return context.switchToHttp().getRequest<Request>().headers.authorization === AUTHORIZATION;
  }
}

@Module({ controllers: [ChildRoutes], providers: [{ provide: APP_GUARD, useClass: TokenRequired }] })
class TestModule {}

describe('HTTP telemetry', () => {
  let app: INestApplication;
  let url: string;

  beforeAll(async () => {
    startTracing('http-test', tracingConfigFrom({ OTEL_TRACES_EXPORTER: 'memory' }));
    const moduleRef = await Test.createTestingModule({ imports: [TestModule] }).compile();
    app = moduleRef.createNestApplication({ bodyParser: false, logger: false });
    configureHttp(app);
    await app.listen(0, '127.0.0.1');
    const { port } = (app.getHttpServer() as { address(): { port: number } }).address();
    url = `http://127.0.0.1:${port}`;
  });

  afterAll(async () => {
    await app?.close();
    await stopTracing();
  });

  beforeEach(() => resetFinishedSpans());

  const serverSpans = async (count: number): Promise<ReturnType<typeof finishedSpans>> => {
    for (let i = 0; i < 50 && finishedSpans().length < count; i++)
      await new Promise((r) => setTimeout(r, 10));
    return finishedSpans();
  };

  it('names the span by the route template, continues the caller trace, and is active in the handler', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const response = await fetch(`${url}/v1/children/${NHS_NUMBER}/chronology?purpose=safeguarding`, {
      headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01`, authorization: AUTHORIZATION },
    });
    const body = (await response.json()) as { active: { traceId: string; spanId: string } };
    const [span] = await serverSpans(1);
    expect(span).toMatchObject({
      name: 'GET /v1/children/:ref/chronology',
      attributes: {
        'http.request.method': 'GET',
        'http.route': '/v1/children/:ref/chronology',
        'http.response.status_code': 200,
      },
    });
    expect(span!.spanContext().traceId).toBe(traceId);
    expect(span!.parentSpanContext?.spanId).toBe('00f067aa0ba902b7');
    expect(body.active).toEqual({ traceId, spanId: span!.spanContext().spanId });
    expect(JSON.stringify([span!.name, span!.attributes])).not.toContain(NHS_NUMBER);
  });

  it('keeps the trace active past the body parser', async () => {
    const response = await fetch(`${url}/v1/children/${NHS_NUMBER}/notes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: AUTHORIZATION },
      body: JSON.stringify({ note: 'x'.repeat(200_000) }),
    });
    const body = (await response.json()) as { active: { spanId?: string } };
    const [span] = await serverSpans(1);
    expect(span!.name).toBe('POST /v1/children/:ref/notes');
    expect(body.active.spanId).toBe(span!.spanContext().spanId);
  });

  it('names an unmatched request by its method only', async () => {
    const response = await fetch(`${url}/v2/children/${NHS_NUMBER}`, {
      headers: { authorization: AUTHORIZATION },
    });
    expect(response.status).toBe(404);
    const [span] = await serverSpans(1);
    expect(span!.name).toBe('GET');
    expect(span!.attributes['http.route']).toBeUndefined();
    expect(span!.attributes['http.response.status_code']).toBe(404);
  });

  it('serves /metrics without passing any guard, untraced, with requests by route template', async () => {
    const response = await fetch(`${url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    expect(text).toMatch(
      /^http_server_request_duration_seconds_count\{method="GET",route="\/v1\/children\/:ref\/chronology",status_code="200"\} 1$/m,
    );
    expect(text).toMatch(
      /^http_server_request_duration_seconds_count\{method="GET",route="\(unmatched\)",status_code="404"\} 1$/m,
    );
    expect(text).not.toContain(NHS_NUMBER);
    expect((await renderMetrics()).body).not.toContain('route="/metrics"');
    expect(finishedSpans()).toEqual([]);
  });
});

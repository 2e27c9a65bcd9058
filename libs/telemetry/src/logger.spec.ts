import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { createLogger, PinoLoggerService } from './logger.js';
import { inSpan } from './traced.js';
import { startTracing, stopTracing, tracingConfigFrom } from './tracing.js';

function capture(level = 'debug'): {
  lines: () => Record<string, unknown>[];
  logger: ReturnType<typeof createLogger>;
} {
  const written: string[] = [];
  const logger = createLogger({
    service: 'police',
    level,
    destination: { write: (s: string) => written.push(s) },
  });
  return { lines: () => written.map((l) => JSON.parse(l) as Record<string, unknown>), logger };
}

describe('the JSON logger', () => {
  it('writes one JSON object a line, with the level by name, the time and the service', () => {
    const { lines, logger } = capture();
    logger.info({ context: 'relay' }, 'relay paused');
    expect(lines()).toEqual([
      {
        level: 'info',
        time: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
        service: 'police',
        context: 'relay',
        msg: 'relay paused',
      },
    ]);
  });

  it('masks personal fields if an object carrying them is ever logged', () => {
    const { lines, logger } = capture();
    logger.warn(
      { event: { subject: { nhsNumber: '9434765919' } }, nhsNumber: '9434765919', row: { upn: 'A123' } },
      'row',
    );
    expect(JSON.stringify(lines())).not.toMatch(/9434765919|A123/);
    expect(lines()[0]).toMatchObject({ event: { subject: '[redacted]' }, row: { upn: '[redacted]' } });
  });

  it('writes nothing below its level', () => {
    const { lines, logger } = capture('info');
    logger.debug('hidden');
    expect(lines()).toEqual([]);
  });

  describe('inside a span', () => {
    beforeAll(() => {
      startTracing('test', tracingConfigFrom({ OTEL_TRACES_EXPORTER: 'memory' }));
    });
    afterAll(async () => stopTracing());

    it('carries the trace and span ids, and none outside', async () => {
      const { lines, logger } = capture();
      const ids = await inSpan('request', {}, (span) => {
        logger.info('inside');
        return Promise.resolve(span.spanContext());
      });
      logger.info('outside');
      const [inside, outside] = lines();
      expect(inside).toMatchObject({ trace_id: ids.traceId, span_id: ids.spanId, trace_flags: '01' });
      expect(outside).not.toHaveProperty('trace_id');
    });
  });
});

describe('PinoLoggerService', () => {
  it("takes Nest's context, and an error's stack, from where Nest puts them", () => {
    const { lines, logger } = capture();
    const service = new PinoLoggerService(logger);
    service.log('Mapped {/v1/events, POST} route', 'RouterExplorer');
    service.error('relay failed', 'Error: relay failed\n    at relay (relay.ts:1:1)', 'outbox-relay');
    service.error('no context', 'Error: no context\n    at x (x.ts:1:1)');
    service.warn('careful');
    service.verbose('very detailed');
    expect(lines()).toEqual([
      expect.objectContaining({
        level: 'info',
        context: 'RouterExplorer',
        msg: 'Mapped {/v1/events, POST} route',
      }),
      expect.objectContaining({
        level: 'error',
        context: 'outbox-relay',
        msg: 'relay failed',
        stack: expect.stringContaining('at relay'),
      }),
      expect.objectContaining({ level: 'error', msg: 'no context', stack: expect.stringContaining('at x') }),
      expect.objectContaining({ level: 'warn', msg: 'careful' }),
    ]);
    expect(lines()[2]).not.toHaveProperty('context');
  });

  it('receives what `new Logger(context)` says once Nest uses it', () => {
    const { lines, logger } = capture();
    Logger.overrideLogger(new PinoLoggerService(logger));
    try {
      new Logger('outbox-relay').warn('relay paused: broker down');
      new Logger('http').error('GET /v1/children/:ref/chronology failed: TypeError');
    } finally {
      Logger.overrideLogger(false);
    }
    expect(lines()).toEqual([
      expect.objectContaining({ level: 'warn', context: 'outbox-relay', msg: 'relay paused: broker down' }),
      expect.objectContaining({
        level: 'error',
        context: 'http',
        msg: 'GET /v1/children/:ref/chronology failed: TypeError',
      }),
    ]);
  });
});

import {
  Injectable,
  Module,
  type DynamicModule,
  type INestApplication,
  type OnApplicationShutdown,
  type Type,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { loadConfig } from '@jigsaw/config';
import { admission, AdmissionConfig } from './admission.js';
import { inputHygiene, verifyRawBody } from './input-hygiene.js';
import type { Express } from 'express';
import { PinoLoggerService, startTelemetry, stopTelemetry } from '@jigsaw/telemetry';
import { httpTelemetry, metricsRoute } from './http-telemetry.js';
import { setupOpenApi } from './openapi.js';
import { ProblemDetailsFilter } from './problem-details.filter.js';
import { rateLimit, RateLimitConfig } from './rate-limit.js';
import { securityHeaders, type SecurityHeaderOptions } from './security-headers.js';
import { handleShutdownSignals, refuseWhenClosing, ShutdownConfig } from './shutdown.js';
import { createValidationPipe } from './validation.js';

export const BODY_LIMIT = '1mb';

/**
 * Applies what every Jigsaw HTTP service shares: security headers, rate limits, backpressure on writes,
 * body limit, input hygiene, validation, problem+json errors, telemetry.
 */
export function configureHttp(
  app: INestApplication,
  limits = loadConfig(RateLimitConfig),
  headers: SecurityHeaderOptions = {},
): void {
  const express = app as NestExpressApplication;
  // Before the body parsers: an overloaded service refuses a write without reading it.
  express.use(
    refuseWhenClosing,
    ...securityHeaders(headers),
    rateLimit(limits),
    admission(loadConfig(AdmissionConfig)),
  );
  // Nest's types reserve `verify` for its raw-body option (off here); it passes it to the parser as given.
  const verify = { verify: verifyRawBody } as object;
  express.useBodyParser('json', {
    limit: BODY_LIMIT,
    type: ['application/json', 'application/*+json'],
    ...verify,
  });
  express.useBodyParser('text', { type: 'text/csv', limit: BODY_LIMIT, ...verify });
  express.use(inputHygiene);
  express.disable('x-powered-by');
  // Before Nest's routes and guards, since scrapers hold no tokens; before the request telemetry, so
  // that scrapes are neither traced nor counted.
  const server: Express = express.getHttpAdapter().getInstance();
  server.get('/metrics', metricsRoute());
  express.use(httpTelemetry());
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ProblemDetailsFilter());
}

@Injectable()
class TelemetryShutdown implements OnApplicationShutdown {
  async onApplicationShutdown(): Promise<void> {
    await stopTelemetry();
  }
}

@Module({ providers: [TelemetryShutdown] })
class TelemetryLifecycleModule {}

@Module({})
class JigsawService {}

export async function bootstrapService(
  name: string,
  module: Type | DynamicModule,
  port: number,
  options: { headers?: SecurityHeaderOptions } = {},
): Promise<INestApplication> {
  // Before NestJS, so that its first line is already JSON and every span has a provider.
  const logger = startTelemetry(name);
  // Before anything that may wait on Kafka or PostgreSQL, so that a signal is never ignored while it does.
  const shutdown = handleShutdownSignals(logger, loadConfig(ShutdownConfig));
  const app = await NestFactory.create<NestExpressApplication>(
    { module: JigsawService, imports: [module, TelemetryLifecycleModule] },
    { bodyParser: false, logger: new PinoLoggerService(logger) },
  );
  shutdown.attach(app);
  configureHttp(app, undefined, options.headers);
  setupOpenApi(app, name);
  await app.listen(port, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  logger.info({ context: 'http' }, `listening on http://127.0.0.1:${address.port}`);
  return app;
}

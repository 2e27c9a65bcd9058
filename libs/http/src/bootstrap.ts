import type { DynamicModule, INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { loadConfig } from '@jigsaw/config';
import { inputHygiene, verifyRawBody } from './input-hygiene.js';
import { ProblemDetailsFilter } from './problem-details.filter.js';
import { rateLimit, RateLimitConfig } from './rate-limit.js';
import { securityHeaders } from './security-headers.js';
import { createValidationPipe } from './validation.js';

export const BODY_LIMIT = '1mb';

/**
 * Applies what every Jigsaw HTTP service shares: security headers, rate limits, body limit, input
 * hygiene, validation, problem+json errors.
 */
export function configureHttp(app: INestApplication, limits = loadConfig(RateLimitConfig)): void {
  const express = app as NestExpressApplication;
  express.use(...securityHeaders(), rateLimit(limits));
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
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ProblemDetailsFilter());
  app.enableShutdownHooks();
}

export async function bootstrapService(
  name: string,
  module: Type | DynamicModule,
  port: number,
): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(module, {
    bodyParser: false,
    bufferLogs: true,
  });
  configureHttp(app);
  await app.listen(port, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  process.stdout.write(
    `${JSON.stringify({ level: 'info', service: name, msg: `listening on http://127.0.0.1:${address.port}` })}\n`,
  );
  return app;
}

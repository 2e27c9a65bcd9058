import { afterEach, describe, expect, it } from '@jest/globals';
import {
  Body,
  Controller,
  Get,
  Injectable,
  Module,
  Post,
  type CanActivate,
  type ExecutionContext,
  type INestApplication,
} from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import type { Request } from 'express';
import { ErrorCode, JigsawError } from '@jigsaw/errors';
import { configureHttp } from './bootstrap.js';
import { RateLimitConfig } from './rate-limit.js';

/** Stands in for the real guards: `Bearer good-<sub>` signs in as <sub>; anything else is refused. */
@Injectable()
class StandInGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<Request & { user?: unknown }>();
    if (request.path === '/open') return true;
    const match = /^Bearer good-(\w+)$/.exec(request.headers.authorization ?? '');
    if (!match) throw new JigsawError(ErrorCode.Unauthenticated, 'a valid bearer token is required');
    request.user = { organisation: 'urn:jigsaw:org:police:met', subject: match[1] };
    return true;
  }
}

@Controller()
class Routes {
  @Get('open')
  open(): { open: true } {
    return { open: true };
  }

  @Post('things')
  things(@Body() body: unknown): unknown {
    return body;
  }
}

@Module({ controllers: [Routes], providers: [{ provide: APP_GUARD, useClass: StandInGuard }] })
class HardenedModule {}

function limits(overrides: Partial<RateLimitConfig> = {}): RateLimitConfig {
  return Object.assign(new RateLimitConfig(), overrides);
}

const apps: INestApplication[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

async function start(config: RateLimitConfig = limits()): Promise<string> {
  const moduleRef = await Test.createTestingModule({ imports: [HardenedModule] }).compile();
  const app = moduleRef.createNestApplication({ bodyParser: false, logger: false });
  apps.push(app);
  configureHttp(app, config);
  await app.listen(0, '127.0.0.1');
  const { port } = (app.getHttpServer() as { address(): { port: number } }).address();
  return `http://127.0.0.1:${port}`;
}

const call = async (url: string, init: RequestInit = {}) => {
  const response = await fetch(url, init);
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: (text ? JSON.parse(text) : {}) as Record<string, unknown>,
  };
};
const as = (who: string): RequestInit => ({ method: 'POST', headers: { authorization: `Bearer ${who}` } });

describe('security headers', () => {
  it('are on every answer, errors included, and nothing says what serves them', async () => {
    const url = await start();
    for (const answer of [
      await call(`${url}/open`),
      await call(`${url}/things`, { method: 'POST' }),
      await call(`${url}/nowhere`),
    ]) {
      expect(answer.headers.get('content-security-policy')).toContain("default-src 'self'");
      expect(answer.headers.get('content-security-policy')).not.toContain('upgrade-insecure-requests');
      expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
      expect(answer.headers.get('x-frame-options')).toBe('SAMEORIGIN');
      expect(answer.headers.get('strict-transport-security')).toContain('max-age=');
      expect(answer.headers.get('referrer-policy')).toBe('no-referrer');
      expect(answer.headers.get('cache-control')).toBe('no-store');
      expect(answer.headers.get('x-powered-by')).toBeNull();
    }
  });
});

describe('body limit and input hygiene', () => {
  it('answers a body over 1 MB with 413 problem+json naming the body', async () => {
    const url = await start();
    const answer = await call(`${url}/things`, {
      ...as('good-a'),
      headers: { authorization: 'Bearer good-a', 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'x'.repeat(1_100_000) }),
    });
    expect(answer.status).toBe(413);
    expect(answer.headers.get('content-type')).toContain('application/problem+json');
    expect(answer.body).toMatchObject({
      status: 413,
      errors: [{ field: '(body)', reason: 'is larger than the limit of 1048576 bytes' }],
    });
  });

  it('answers a string holding NUL with 400 naming its field', async () => {
    const url = await start();
    const answer = await call(`${url}/things`, {
      method: 'POST',
      headers: { authorization: 'Bearer good-a', 'content-type': 'application/json' },
      body: JSON.stringify({ data: { summary: 'a\u0000b' } }),
    });
    expect(answer).toMatchObject({
      status: 400,
      body: { errors: [{ field: 'data.summary', reason: 'must not contain a control character (U+0000)' }] },
    });
  });
});

describe('rate limits', () => {
  it('holds each signed-in client to its own rate, with Retry-After', async () => {
    const url = await start(limits({ RATE_LIMIT_PER_SECOND: 1, RATE_LIMIT_BURST: 3 }));
    // The first request of a token counts against its address, until the guard has accepted it.
    const a = [];
    for (let i = 0; i < 5; i++) a.push(await call(`${url}/things`, as('good-a')));
    expect(a.map((r) => r.status)).toEqual([201, 201, 201, 201, 429]);
    expect(a[4]!.headers.get('retry-after')).toBe('1');
    expect(a[4]!.headers.get('content-type')).toContain('application/problem+json');
    expect(a[4]!.body).toMatchObject({ status: 429, title: 'Too Many Requests' });
    // Another client is not held back by the first.
    expect((await call(`${url}/things`, as('good-b'))).status).toBe(201);
    expect((await call(`${url}/things`, as('good-b'))).status).toBe(201);
  });

  it('holds anonymous callers, and a flood of forged tokens, to a rate per address', async () => {
    const url = await start(limits({ RATE_LIMIT_ANONYMOUS_PER_SECOND: 1, RATE_LIMIT_ANONYMOUS_BURST: 3 }));
    const open = [];
    for (let i = 0; i < 4; i++) open.push((await call(`${url}/open`)).status);
    expect(open).toEqual([200, 200, 200, 429]);

    const forged = await start(limits({ RATE_LIMIT_ANONYMOUS_PER_SECOND: 1, RATE_LIMIT_ANONYMOUS_BURST: 3 }));
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await call(`${forged}/things`, as(`forged-${i}`))).status);
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
  });

  it('are off at a rate of 0', async () => {
    const url = await start(limits({ RATE_LIMIT_PER_SECOND: 0, RATE_LIMIT_ANONYMOUS_PER_SECOND: 0 }));
    const statuses = [];
    for (let i = 0; i < 30; i++) statuses.push((await call(`${url}/open`)).status);
    expect(new Set(statuses)).toEqual(new Set([200]));
  });
});

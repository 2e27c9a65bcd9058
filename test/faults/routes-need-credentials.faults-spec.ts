import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { loadConfig, repoRoot, ServiceConfig } from '@jigsaw/config';
import { configureHttp } from '@jigsaw/http';
import {
  agencySystemToken,
  createTestDatabase,
  signTestToken,
  testBrokers,
  uniqueTopicPrefix,
  type TestDatabase,
} from '@jigsaw/testing';

/**
 * The only paths anyone may call without signing in: probes, metrics, the API's documentation, and the
 * console's sign-in page and files (static, no data; its development sign-in exists only while the service
 * runs with the development key, and every read it then makes needs the token it was given).
 */
const OPEN = [
  /^\/health\//,
  /^\/metrics$/,
  /^\/docs(\/|-json$|-yaml$|$)/,
  /^\/console(\/|$)/,
  // The view's root sends a browser to the console; a FHIR server's CapabilityStatement is public.
  /^\/$/,
  /^\/fhir\/metadata$/,
];

/** A 401 as the route's clients read one: problem+json, or on FHIR routes an OperationOutcome. */
function isUnauthorised(contentType: string | null, body: unknown): boolean {
  if (contentType?.includes('application/fhir+json')) {
    const outcome = body as { resourceType?: string; issue?: { code?: string }[] } | undefined;
    return outcome?.resourceType === 'OperationOutcome' && outcome.issue?.[0]?.code === 'login';
  }
  return !!contentType?.includes('application/problem+json') && (body as { status?: number })?.status === 401;
}

interface Route {
  service: string;
  method: string;
  path: string;
}

interface ExpressLayer {
  route?: { path: string | string[]; methods: Record<string, boolean> };
  handle?: { stack?: ExpressLayer[] };
}

/** Every route the app's Express router serves (Nest registers each controller method there). */
function routesOf(service: string, app: INestApplication): Route[] {
  const express = (app as NestExpressApplication).getHttpAdapter().getInstance() as {
    router: { stack: ExpressLayer[] };
  };
  const found: Route[] = [];
  const walk = (stack: ExpressLayer[]): void => {
    for (const layer of stack) {
      if (layer.route) {
        for (const path of [layer.route.path].flat()) {
          for (const [method, on] of Object.entries(layer.route.methods)) {
            if (on && method !== '_all') found.push({ service, method: method.toUpperCase(), path });
          }
        }
      } else if (layer.handle?.stack) walk(layer.handle.stack);
    }
  };
  walk(express.router.stack);
  return found;
}

/** A concrete URL for a route pattern: every parameter filled with something plausible. */
function concrete(path: string): string {
  return path
    .replace(/[{}]/g, '')
    .replace(/:(\w+)/g, (_m, name: string) => (name === 'ref' ? '9434765919' : 'sample'))
    .replace(/\*\w*/g, 'sample');
}

/** Each app's module and its config class, found from apps/<name>/src/app.module.ts. */
async function appModules(): Promise<{ name: string; module: unknown; Config: new () => ServiceConfig }[]> {
  const apps = join(repoRoot(), 'apps');
  const found = [];
  for (const name of readdirSync(apps)) {
    const file = join(apps, name, 'src', 'app.module.ts');
    if (!existsSync(file)) continue;
    const exported = (await import(file)) as Record<string, unknown>;
    const AppModule = exported['AppModule'] as { register(config: ServiceConfig): unknown } | undefined;
    const Config = Object.values(exported).find(
      (v): v is new () => ServiceConfig => typeof v === 'function' && v.prototype instanceof ServiceConfig,
    );
    if (!AppModule || !Config) throw new Error(`${file} exports no AppModule.register and config class`);
    found.push({ name, Config, module: AppModule });
  }
  return found;
}

describe('every route of every service needs credentials, but health, metrics and docs', () => {
  let db: TestDatabase;
  const apps: { name: string; app: INestApplication; url: string }[] = [];
  const routes: Route[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    const env = {
      ...process.env,
      DATABASE_URL: db.url,
      KAFKA_BROKERS: testBrokers(),
      KAFKA_TOPIC_PREFIX: uniqueTopicPrefix('routes'),
    };
    for (const { name, module, Config } of await appModules()) {
      const config = loadConfig(Config, env);
      const app = await NestFactory.create<NestExpressApplication>(
        (module as { register(c: ServiceConfig): never }).register(config),
        { bodyParser: false, logger: false },
      );
      configureHttp(app);
      await app.listen(0, '127.0.0.1');
      const { port } = (app.getHttpServer() as { address(): { port: number } }).address();
      apps.push({ name, app, url: `http://127.0.0.1:${port}` });
      routes.push(...routesOf(name, app));
    }
  }, 180_000);

  afterAll(async () => {
    for (const { app } of apps) await app.close().catch(() => undefined);
    await db?.drop();
  });

  it('finds the routes from the apps themselves', () => {
    process.stderr.write(
      `[faults] routes: ${routes.map((r) => `${r.service} ${r.method} ${r.path}`).join('; ')}\n`,
    );
    expect(apps.map((a) => a.name)).toEqual(
      expect.arrayContaining(['police', 'council', 'health', 'education', 'safeguarding-view']),
    );
    expect(routes).toEqual(
      expect.arrayContaining([
        { service: 'police', method: 'POST', path: '/v1/events' },
        { service: 'police', method: 'POST', path: '/v1/adapters/operation-encompass' },
        { service: 'safeguarding-view', method: 'GET', path: '/v1/children/:ref/chronology' },
        { service: 'council', method: 'GET', path: '/health/live' },
      ]),
    );
  });

  it('answers every other route 401 (problem+json, or a FHIR OperationOutcome) without a token, with a forged one or an expired one', async () => {
    const forged = signTestToken(
      { sub: 'x', agency: 'police', organisation: 'urn:jigsaw:org:police:met', role: 'agency-system' },
      { secret: 'not-the-hub-secret-but-long-enough-to-sign' },
    );
    const expired = agencySystemToken('urn:jigsaw:org:police:met', { ttlSeconds: -60 });
    const wrong: string[] = [];
    const guarded = routes.filter((r) => !OPEN.some((open) => open.test(r.path)));
    expect(guarded.length).toBeGreaterThan(5);
    for (const route of guarded) {
      const url = `${apps.find((a) => a.name === route.service)!.url}${concrete(route.path)}?purpose=safeguarding`;
      for (const [label, authorization] of [
        ['no token', undefined],
        ['a forged token', `Bearer ${forged}`],
        ['an expired token', `Bearer ${expired}`],
        ['another scheme', 'Basic cG9saWNlOnBvbGljZQ=='],
      ] as const) {
        const response = await fetch(url, {
          method: route.method,
          headers: {
            ...(authorization ? { authorization } : {}),
            ...(route.method === 'GET' ? {} : { 'content-type': 'application/json' }),
          },
          ...(route.method === 'GET' || route.method === 'HEAD' ? {} : { body: '{}' }),
        });
        const body: unknown = await response.json().catch(() => undefined);
        if (
          response.status !== 401 ||
          !isUnauthorised(response.headers.get('content-type'), body) ||
          !response.headers.get('www-authenticate')?.startsWith('Bearer')
        ) {
          wrong.push(`${route.service} ${route.method} ${route.path} with ${label}: ${response.status}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it('sends the security headers on every route, open or not', async () => {
    const wrong: string[] = [];
    for (const route of routes) {
      const url = `${apps.find((a) => a.name === route.service)!.url}${concrete(route.path)}`;
      const response = await fetch(url, { method: route.method });
      await response.arrayBuffer();
      const h = response.headers;
      const missing = [
        h.get('content-security-policy')?.includes("default-src 'self'")
          ? undefined
          : 'content-security-policy',
        h.get('x-content-type-options') === 'nosniff' ? undefined : 'x-content-type-options',
        h.get('x-frame-options') ? undefined : 'x-frame-options',
        h.get('strict-transport-security') ? undefined : 'strict-transport-security',
        h.get('cache-control') === 'no-store' ? undefined : 'cache-control',
        h.get('x-powered-by') === null ? undefined : 'x-powered-by present',
      ].filter(Boolean);
      if (missing.length > 0)
        wrong.push(`${route.service} ${route.method} ${route.path}: ${missing.join(', ')}`);
    }
    expect(wrong).toEqual([]);
  });
});

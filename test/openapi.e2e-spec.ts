// Every service's OpenAPI document, as the service itself builds it, linted with Redocly's recommended
// rules (@redocly/cli, the tool an integrator's pipeline runs): no errors allowed.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { loadConfig, repoRoot, ServiceConfig } from '@jigsaw/config';
import { configureHttp, createOpenApiDocument } from '@jigsaw/http';
import { createTestDatabase, testBrokers, uniqueTopicPrefix, type TestDatabase } from '@jigsaw/testing';

interface RedoclyReport {
  totals: { errors: number; warnings: number };
  problems: { ruleId: string; severity: string; message: string; location: { pointer?: string }[] }[];
}

describe("every service's OpenAPI document", () => {
  let db: TestDatabase;
  let dir: string;
  const services: string[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    dir = mkdtempSync(join(tmpdir(), 'jigsaw-openapi-'));
    const env = {
      ...process.env,
      DATABASE_URL: db.url,
      KAFKA_BROKERS: testBrokers(),
      KAFKA_TOPIC_PREFIX: uniqueTopicPrefix('openapi'),
    };
    const apps = join(repoRoot(), 'apps');
    for (const name of readdirSync(apps)) {
      const file = join(apps, name, 'src', 'app.module.ts');
      if (!existsSync(file)) continue;
      const exported = (await import(file)) as Record<string, unknown>;
      const AppModule = exported['AppModule'] as { register(config: ServiceConfig): never };
      const Config = Object.values(exported).find(
        (v): v is new () => ServiceConfig => typeof v === 'function' && v.prototype instanceof ServiceConfig,
      )!;
      const app: INestApplication = await NestFactory.create(AppModule.register(loadConfig(Config, env)), {
        bodyParser: false,
        logger: false,
      });
      configureHttp(app);
      await app.init();
      writeFileSync(join(dir, `${name}.json`), JSON.stringify(createOpenApiDocument(app, name)));
      services.push(name);
      await app.close();
    }
  }, 180_000);
  afterAll(async () => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    await db?.drop();
  });

  it("passes Redocly's recommended rules with no error, for all seven services", () => {
    expect(services.sort()).toEqual([
      'audit',
      'council',
      'education',
      'health',
      'notifications',
      'police',
      'safeguarding-view',
    ]);
    const redocly = join(repoRoot(), 'node_modules/.bin/redocly');
    const errors = services.flatMap((service) => {
      const run = spawnSync(redocly, ['lint', '--format=json', join(dir, `${service}.json`)], {
        encoding: 'utf8',
        timeout: 120_000,
        env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
      });
      const report = JSON.parse(run.stdout) as RedoclyReport;
      expect({ service, ran: typeof report.totals.errors }).toEqual({ service, ran: 'number' });
      return report.problems
        .filter((p) => p.severity === 'error')
        .map((p) => `${service}: ${p.ruleId} ${p.location[0]?.pointer ?? ''}: ${p.message}`);
    });
    expect(errors).toEqual([]);
  });
});

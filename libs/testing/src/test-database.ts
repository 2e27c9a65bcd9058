import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createPool, runMigrations, type MigrationSet, type Pool } from '@jigsaw/database';

export interface TestDatabase {
  url: string;
  pool: Pool;
  drop(): Promise<void>;
}

/** The server the test run uses; the global setup puts it in TEST_DATABASE_URL. */
export function testServerUrl(): string {
  const url = process.env['TEST_DATABASE_URL'];
  if (!url) throw new Error('TEST_DATABASE_URL is not set: run the tests through `npm test`');
  return url;
}

/** A fresh database of its own for one test file, with the given migrations applied. */
export async function createTestDatabase(migrations: readonly MigrationSet[] = []): Promise<TestDatabase> {
  const name = `jigsaw_test_${randomBytes(5).toString('hex')}`;
  const admin = new URL(testServerUrl());
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  await client.query(`CREATE DATABASE ${name}`);
  await client.end();
  const url = new URL(testServerUrl());
  url.pathname = `/${name}`;
  const pool = createPool(url.toString(), { max: 20, name: 'jigsaw-test' });
  await runMigrations(pool, migrations);
  return {
    url: url.toString(),
    pool,
    drop: async () => {
      await pool.end();
      const c = new pg.Client({ connectionString: admin.toString() });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/** A topic prefix no other test run shares, so tests on one broker never see each other's messages. */
export function uniqueTopicPrefix(label = 'test'): string {
  return `jigsaw-${label}-${randomBytes(4).toString('hex')}.`;
}

export function testBrokers(): string {
  const brokers = process.env['KAFKA_BROKERS'];
  if (!brokers) throw new Error('KAFKA_BROKERS is not set: run the tests through `npm test`');
  return brokers;
}

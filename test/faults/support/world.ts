import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '@jigsaw/config';
import { createPool, type Pool } from '@jigsaw/database';
import { EVENT_STORE_MIGRATIONS, PostgresEventStore } from '@jigsaw/event-store';
import { IDENTITY_MIGRATIONS } from '@jigsaw/identity';
import { appliedEventsMigrations } from '@jigsaw/projection';
import {
  createTestDatabase,
  startServices,
  testBrokers,
  uniqueTopicPrefix,
  type ServiceName,
  type ServiceProcess,
  type TestDatabase,
} from '@jigsaw/testing';
import { liveNotificationsMigrations, VIEW_SCHEMA, viewMigrations } from '@jigsaw/view-model';

/** One test file's hub: its own database on the fault cluster, its own topics, its services. */
export interface World {
  db: TestDatabase;
  /** A pool that survives a database restart (the test's own reads), separate from the services'. */
  pool: Pool;
  store: PostgresEventStore;
  prefix: string;
  env: Record<string, string>;
  services: Partial<Record<ServiceName, ServiceProcess>>;
  service(name: ServiceName): ServiceProcess;
  close(): Promise<void>;
}

export async function createWorld(
  label: string,
  names: ServiceName[],
  extraEnv: Record<string, string> = {},
): Promise<World> {
  // The services apply their migrations at start; the test applies them first, so it can read at once.
  const db = await createTestDatabase([
    EVENT_STORE_MIGRATIONS,
    IDENTITY_MIGRATIONS,
    appliedEventsMigrations(VIEW_SCHEMA),
    viewMigrations(VIEW_SCHEMA),
    ...liveNotificationsMigrations(),
  ]);
  const prefix = uniqueTopicPrefix(label);
  const env = {
    DATABASE_URL: db.url,
    KAFKA_BROKERS: testBrokers(),
    KAFKA_TOPIC_PREFIX: prefix,
    LOG_LEVEL: 'warn',
    ...extraEnv,
  };
  const pool = createPool(db.url, { max: 10, name: 'jigsaw-faults' });
  const services: World['services'] = {};
  const world: World = {
    db,
    pool,
    store: new PostgresEventStore(pool),
    prefix,
    env,
    services,
    service: (name) => {
      const service = services[name];
      if (!service) throw new Error(`${name} is not running in this test`);
      return service;
    },
    close: async () => {
      await Promise.all(Object.values(services).map((s) => s.stop('SIGKILL')));
      keepOutput(label, services);
      await pool.end().catch(() => undefined);
      await db.drop();
    },
  };
  const started = await startServices(env, ...names);
  names.forEach((name, i) => (services[name] = started[i]));
  return world;
}

/** Each service's output, kept as a test artefact (CI uploads test-artifacts/). */
export function keepOutput(label: string, services: Record<string, ServiceProcess | undefined>): void {
  const dir = join(repoRoot(), 'test-artifacts', 'faults');
  mkdirSync(dir, { recursive: true });
  for (const [name, service] of Object.entries(services)) {
    if (service) writeFileSync(join(dir, `${label}-${name}.log`), service.output.join(''));
  }
}

export function isAlive(service: ServiceProcess): boolean {
  if (service.pid === undefined) return false;
  try {
    process.kill(service.pid, 0);
    return true;
  } catch {
    return false;
  }
}

import { afterAll, describe, expect, it } from '@jest/globals';
import { loadConfig, ServiceConfig } from '@jigsaw/config';
import { createPool } from '@jigsaw/database';
import { connectKurrentDb, KurrentDbEventStore, PostgresEventStore } from '@jigsaw/event-store';
import { createEventStore } from './event-store.js';

describe('the event store the configuration names', () => {
  // Neither connects until first used.
  const pool = createPool('postgres://postgres@127.0.0.1:1/none', { name: 'unused' });
  const kurrentdb = connectKurrentDb('kurrentdb://127.0.0.1:1?tls=false');
  afterAll(async () => {
    await pool.end();
    await kurrentdb.dispose();
  });

  it('is PostgreSQL by default', () => {
    expect(
      createEventStore(loadConfig(ServiceConfig, { JIGSAW_DEVELOPMENT: 'true' }), pool, null),
    ).toBeInstanceOf(PostgresEventStore);
  });

  it('is KurrentDB when EVENT_STORE says so, and needs the client then', () => {
    const config = loadConfig(ServiceConfig, {
      JIGSAW_DEVELOPMENT: 'true',
      EVENT_STORE: 'kurrentdb',
      KURRENTDB_URL: 'kurrentdb://h:2113',
    });
    expect(createEventStore(config, pool, kurrentdb)).toBeInstanceOf(KurrentDbEventStore);
    expect(() => createEventStore(config, pool, null)).toThrow(/no KurrentDB client/);
  });
});

import { createTestDatabase } from '@jigsaw/testing';
import { eventStoreContract } from './event-store.contract.js';
import { EVENT_STORE_MIGRATIONS, PostgresEventStore } from './postgres-event-store.js';

eventStoreContract('PostgreSQL', async () => {
  const db = await createTestDatabase([EVENT_STORE_MIGRATIONS]);
  return { store: new PostgresEventStore(db.pool, { pollIntervalMs: 10 }), close: () => db.drop() };
});

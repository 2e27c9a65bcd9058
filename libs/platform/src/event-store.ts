import type { KurrentDBClient } from '@kurrent/kurrentdb-client';
import type { ServiceConfig } from '@jigsaw/config';
import type { Pool } from '@jigsaw/database';
import type { RecordedEvent } from '@jigsaw/envelope';
import { KurrentDbEventStore, PostgresEventStore, type OutboxRoute } from '@jigsaw/event-store';

/** Either store: the EventStore interface, plus appending to many streams at once (the access log's). */
export type ConfiguredEventStore = PostgresEventStore | KurrentDbEventStore;

export interface EventStoreWiring {
  /** Where each appended event goes on Kafka; an event routed nowhere, or every event without it, is not published. */
  route?: (event: RecordedEvent) => OutboxRoute | undefined;
  /** Extra headers (e.g. trace context) sent with each published event. */
  headers?: () => Record<string, string>;
  /** Wakes the outbox relay after an append (PostgreSQL only; KurrentDB's subscription needs no waking). */
  afterAppend?: () => void;
}

/** The event store the configuration names. */
export function createEventStore(
  config: ServiceConfig,
  pool: Pool,
  kurrentdb: KurrentDBClient | null,
  wiring: EventStoreWiring = {},
): ConfiguredEventStore {
  const { route, headers, afterAppend } = wiring;
  if (config.EVENT_STORE === 'kurrentdb') {
    if (!kurrentdb) throw new Error('EVENT_STORE is kurrentdb but no KurrentDB client was made');
    return new KurrentDbEventStore(kurrentdb, {
      pool,
      ...(route ? { route } : {}),
      ...(headers ? { headers } : {}),
    });
  }
  return new PostgresEventStore(pool, {
    ...(route ? { route } : {}),
    ...(headers ? { headers } : {}),
    ...(afterAppend ? { afterAppend } : {}),
  });
}

export const SERVICE_CONFIG = Symbol('SERVICE_CONFIG');
export const PG_POOL = Symbol('PG_POOL');
/** The service's event store (`EventStore`), PostgreSQL or KurrentDB as EVENT_STORE says. */
export const EVENT_STORE = Symbol('EVENT_STORE');
/** The KurrentDB client when EVENT_STORE is kurrentdb, else null. */
export const KURRENTDB_CLIENT = Symbol('KURRENTDB_CLIENT');

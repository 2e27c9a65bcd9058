CREATE SCHEMA IF NOT EXISTS event_store;

CREATE TABLE event_store.streams (
  stream_id text PRIMARY KEY,
  version bigint NOT NULL CHECK (version > 0)
);

-- Global order is (transaction_id, global_position): see DESIGN.md "Ordering". Readers stop below the
-- oldest transaction still in flight, so a late-committing writer is never skipped.
CREATE TABLE event_store.events (
  global_position bigint GENERATED ALWAYS AS IDENTITY,
  transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
  stream_id text NOT NULL,
  stream_position bigint NOT NULL,
  source text NOT NULL,
  id text NOT NULL,
  type text NOT NULL,
  payload jsonb NOT NULL,
  content_hash text NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (stream_id, stream_position),
  CONSTRAINT events_source_id_unique UNIQUE (source, id)
);
CREATE INDEX events_global_order ON event_store.events (transaction_id, global_position);

-- Rows written in the same transaction as their events; the relay publishes then deletes them.
CREATE TABLE event_store.outbox (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  topic text NOT NULL,
  message_key text NOT NULL,
  payload jsonb NOT NULL,
  headers jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL DEFAULT now()
);

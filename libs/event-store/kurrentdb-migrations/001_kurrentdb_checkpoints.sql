-- With the event store on KurrentDB, publishers follow $all instead of an outbox. Each keeps here the place
-- in $all of the last event it has sent to Kafka (KurrentDB's commit and prepare positions, unsigned 64-bit).
CREATE SCHEMA IF NOT EXISTS event_store;

CREATE TABLE event_store.kurrentdb_checkpoints (
  name text PRIMARY KEY,
  commit_position numeric(20, 0) NOT NULL CHECK (commit_position >= 0),
  prepare_position numeric(20, 0) NOT NULL CHECK (prepare_position >= 0),
  updated_at timestamptz NOT NULL DEFAULT now()
);

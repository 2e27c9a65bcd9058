-- Every rebuild of read models into a fresh schema: what it rebuilt, how far it got, and whether it was swapped in.
CREATE SCHEMA IF NOT EXISTS audit;

CREATE TABLE audit.rebuilds (
  schema_name text PRIMARY KEY,
  live_schema text NOT NULL,
  models text[] NOT NULL,
  started_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz,
  events_read bigint,
  events_applied bigint,
  swapped_at timestamptz,
  retired_schema text,
  dropped_at timestamptz
);

-- One row per event a read model schema has applied: the guard against Kafka's redelivery.
CREATE TABLE applied_events (
  event_key text PRIMARY KEY,
  applied_at timestamptz NOT NULL DEFAULT now()
);

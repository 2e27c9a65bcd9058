-- Notifications are event-sourced: one stream per notification in the event store (hub.notification-*),
-- and `notifications` and `notification_deliveries` are read models projected from those streams.
-- What the projection of agency events decides (raise a notification, recall one) is written here in the
-- transaction that marks the agency event applied, and recorded on the notification's stream just after
-- it commits. Recording is idempotent, so a crash in between only delays it; the row is then deleted.
CREATE TABLE IF NOT EXISTS notification_intents (
  intent_key text PRIMARY KEY,
  intent jsonb NOT NULL,
  decided_at timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS notification_intents_oldest ON notification_intents (decided_at);

-- Notifications: CP-IS and Operation Encompass notices, and escalations of those not acknowledged in time.
-- Raised by the projection in the transaction that marks their event applied; dedupe_key makes deciding
-- twice store one. The event a notification is about stays in the chronology and is cut per reader.
-- No foreign keys: a rebuild schema's leftovers are dropped table by table.
-- IF NOT EXISTS: a store made before these tables were the notifications' own has them moved here from the
-- view's schema, with their indexes, before this runs (migrations/from-view).
CREATE TABLE IF NOT EXISTS notifications (
  id uuid PRIMARY KEY,
  dedupe_key text NOT NULL UNIQUE,
  kind text NOT NULL CHECK (kind IN ('cp-is', 'operation-encompass', 'escalation')),
  child_id uuid NOT NULL,
  trigger_event_key text NOT NULL,
  recipient_organisation text NOT NULL,
  recipient_agency text NOT NULL,
  route text NOT NULL,
  details jsonb NOT NULL DEFAULT '{}',
  escalation_of uuid,
  due_at timestamptz,
  created_at timestamptz NOT NULL,
  acknowledged_at timestamptz,
  acknowledged_by jsonb,
  escalated_at timestamptz,
  escalation_outcome text CHECK (escalation_outcome IN ('escalated', 'not-shared'))
);
CREATE INDEX IF NOT EXISTS notifications_inbox ON notifications (recipient_organisation, created_at DESC, id DESC);
CREATE INDEX IF NOT EXISTS notifications_falling_due ON notifications (due_at)
  WHERE acknowledged_at IS NULL AND escalated_at IS NULL AND due_at IS NOT NULL;
CREATE INDEX IF NOT EXISTS notifications_by_trigger ON notifications (trigger_event_key);

-- The outbox of webhook deliveries, written with the notification. A delivery is claimed for one attempt
-- by a lease: a process that dies mid-attempt leaves the lease to run out, and another attempt follows.
-- A recall follows a delivered notification whose event its owner retracts, withdraws or restricts.
CREATE TABLE IF NOT EXISTS notification_deliveries (
  id uuid PRIMARY KEY,
  notification_id uuid NOT NULL,
  organisation text NOT NULL,
  kind text NOT NULL DEFAULT 'notification' CHECK (kind IN ('notification', 'recall')),
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed', 'cancelled')),
  attempts int NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL,
  lease_until timestamptz,
  created_at timestamptz NOT NULL,
  finished_at timestamptz,
  last_error text,
  UNIQUE (notification_id, organisation, kind)
);
CREATE INDEX IF NOT EXISTS notification_deliveries_due ON notification_deliveries (next_attempt_at) WHERE status = 'pending';

-- Every attempt, including one cut off by a crash (finished_at stays empty until the next claim says so).
CREATE TABLE IF NOT EXISTS notification_delivery_attempts (
  delivery_id uuid NOT NULL,
  attempt int NOT NULL,
  started_at timestamptz NOT NULL,
  finished_at timestamptz,
  outcome text CHECK (outcome IN ('delivered', 'failed', 'interrupted', 'cancelled')),
  http_status int,
  error text,
  PRIMARY KEY (delivery_id, attempt)
);

-- Schools by URN, learnt from rolls and key adults: whom a force's school URN means.
CREATE TABLE IF NOT EXISTS notification_schools (
  urn text PRIMARY KEY,
  organisation text NOT NULL,
  name text NOT NULL,
  seen_at timestamptz NOT NULL
);

-- Every read of a child asks which organisations the hub told about it (a notification is a relationship
-- with the child for a while): without this index that question read the whole table, so each read cost
-- more as notifications grew (about 25 ms a read once a burst of incidents had raised tens of thousands).
CREATE INDEX IF NOT EXISTS notifications_by_child ON notifications (child_id);

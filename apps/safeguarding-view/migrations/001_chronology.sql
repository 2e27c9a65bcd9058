-- The multi-agency chronology: one row per shared event, kept whole so each viewer's cut is made at read time.
CREATE TABLE chronology (
  event_key text PRIMARY KEY,
  child_id uuid NOT NULL,
  agency text NOT NULL,
  source text NOT NULL,
  type text NOT NULL,
  occurred_at timestamptz NOT NULL,
  recorded_at timestamptz NOT NULL,
  event jsonb NOT NULL
);
CREATE INDEX chronology_by_child ON chronology (child_id, occurred_at, event_key);

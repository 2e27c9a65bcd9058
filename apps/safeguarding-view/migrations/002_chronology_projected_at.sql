-- When the entry became visible: measures time from occurrence (or receipt) to visibility.
ALTER TABLE chronology ADD COLUMN projected_at timestamptz NOT NULL DEFAULT clock_timestamp();

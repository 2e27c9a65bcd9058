-- Each child's records as the notifications' own consumer applied them (opened, or erased): what their
-- rules, the inbox, the escalator and the dispatcher read, never the view's chronology, so that a decision
-- depends only on what this consumer has applied. Written in the transaction that decides the intents.
CREATE TABLE child_history (
  event_key text PRIMARY KEY,
  child_id uuid NOT NULL,
  recorded_at timestamptz NOT NULL,
  event jsonb NOT NULL
);

CREATE INDEX child_history_by_child ON child_history (child_id, recorded_at);

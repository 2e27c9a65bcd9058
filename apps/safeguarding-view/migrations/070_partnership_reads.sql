-- Partnership-wide audit reads (a hub.record-accessed with reportedTo, from the audit service), indexed by
-- each organisation they were reported to, so that a data protection officer sees who read their
-- children across the partnership. The read itself lives in the child's access stream; this is its inbox.
CREATE TABLE partnership_reads (
  read_id text NOT NULL,
  reported_to text NOT NULL,
  child_id uuid NOT NULL,
  reader jsonb NOT NULL,
  view text NOT NULL,
  read_at timestamptz NOT NULL,
  PRIMARY KEY (read_id, reported_to)
);
CREATE INDEX partnership_reads_inbox ON partnership_reads (reported_to, read_at DESC);

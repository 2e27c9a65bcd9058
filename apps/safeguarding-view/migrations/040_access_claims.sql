-- Self-claimed access (hub.access-claimed), indexed by each organisation it was reported to, so that a
-- data protection officer sees the claims made on the children their organisation works with. The claim
-- itself lives in the event store (stream access-claims-<child>); this is its inbox.
CREATE TABLE access_claims (
  claim_id text NOT NULL,
  reported_to text NOT NULL,
  child_id uuid NOT NULL,
  claimant jsonb NOT NULL,
  purpose text NOT NULL,
  reason text NOT NULL,
  claimed_at timestamptz NOT NULL,
  until timestamptz NOT NULL,
  PRIMARY KEY (claim_id, reported_to)
);
CREATE INDEX access_claims_inbox ON access_claims (reported_to, claimed_at DESC);

-- Refused reads of children the hub does not know (or numbers it retired), by organisation: the security
-- log a data protection officer reviews for trawling. A refused read of a known child goes on that
-- child's access stream instead. Never the identifier that was tried: only which kind it was.
CREATE TABLE security_log (
  id uuid PRIMARY KEY,
  organisation text NOT NULL,
  at timestamptz NOT NULL,
  viewer jsonb NOT NULL,
  purpose text NOT NULL,
  view text NOT NULL,
  lookup text NOT NULL
);
CREATE INDEX security_log_by_organisation ON security_log (organisation, at DESC);

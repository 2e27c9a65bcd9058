-- An unborn child's record (a pregnancy's local id) is kept apart from the mother's own NHS number.
ALTER TABLE identity.child_identifiers DROP CONSTRAINT child_identifiers_kind_check;
ALTER TABLE identity.child_identifiers
  ADD CONSTRAINT child_identifiers_kind_check CHECK (kind IN ('nhs-number', 'upn', 'local', 'unborn'));
-- A retired NHS number (reissued on adoption) still files late records with its child, but finds nobody.
ALTER TABLE identity.child_identifiers ADD COLUMN retired_at timestamptz;

-- Weaker evidence that two hub children may be one: never a link by itself, only a possible match for a
-- person to decide. The evidence is a keyed HMAC, never the name, date of birth or postcode in clear.
CREATE TABLE identity.child_evidence (
  evidence_hash text NOT NULL,
  hub_child_id uuid NOT NULL,
  kind text NOT NULL CHECK (kind IN ('name-birth-date-postcode', 'identifier-conflict')),
  -- false until the possible matches it raises have been recorded as events.
  checked boolean NOT NULL DEFAULT false,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (evidence_hash, hub_child_id)
);
CREATE INDEX child_evidence_unchecked ON identity.child_evidence (recorded_at) WHERE NOT checked;

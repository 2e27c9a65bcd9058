CREATE SCHEMA IF NOT EXISTS identity;

-- Identifiers are held only as keyed HMACs, so the registry cannot be read back into NHS numbers or UPNs.
CREATE TABLE identity.child_identifiers (
  key_hash text PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('nhs-number', 'upn', 'local')),
  hub_child_id uuid NOT NULL,
  linked_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX child_identifiers_child ON identity.child_identifiers (hub_child_id);

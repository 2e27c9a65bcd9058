-- Erasure by key destruction (libs/erasure). Each child's personal data in events is sealed with that child's
-- own AES-256-GCM data key, stored here wrapped by the master key from configuration. Destroying the key
-- (wrapped_key NULL) makes the child's personal data unreadable in the store, on Kafka and in any rebuild at
-- once; the row stays, so the erasure is on record and later events start a new generation.
CREATE SCHEMA IF NOT EXISTS keys;

CREATE TABLE keys.child_keys (
  child_id uuid NOT NULL,
  generation int NOT NULL CHECK (generation > 0),
  -- Fingerprint of the master key that wrapped it: a wrong ENCRYPTION_MASTER_KEY is named, not guessed at.
  master_key_id text NOT NULL,
  -- Nonce, wrapped key and GCM tag; NULL once destroyed.
  wrapped_key bytea,
  created_at timestamptz NOT NULL DEFAULT now(),
  destroyed_at timestamptz,
  PRIMARY KEY (child_id, generation),
  CHECK ((wrapped_key IS NULL) = (destroyed_at IS NOT NULL))
);

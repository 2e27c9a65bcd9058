-- Tamper evidence. Each event's chain hash covers its own content and the chain hash of the event before it
-- in its stream (prev_hash, '' for the first), so an event altered, removed, reordered or inserted anywhere
-- but through the store's append breaks the chain. Computed here, in SQL, over jsonb's own text form, so the
-- append and the check hash exactly the same bytes. See libs/event-store/src/integrity.ts.

-- What one event is: its stream, the hash of its content as received (idempotency), when the hub recorded it
-- (microseconds since the epoch) and the event as stored.
CREATE FUNCTION event_store.event_digest(stream_id text, payload jsonb, content_hash text, recorded_at timestamptz)
RETURNS text LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT encode(sha256(convert_to(
    stream_id || E'\n' || content_hash || E'\n'
      || (extract(epoch FROM recorded_at) * 1000000)::bigint::text || E'\n' || payload::text,
    'UTF8')), 'hex')
$$;

CREATE FUNCTION event_store.chain_hash(prev_hash text, digest text)
RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT encode(sha256(convert_to(prev_hash || E'\n' || digest, 'UTF8')), 'hex')
$$;

-- The chain hashes of a batch appended to one stream after `prev_hash`: prev_hash first, then each event's.
CREATE FUNCTION event_store.chain_hashes(
  prev_hash text, stream_id text, events jsonb, content_hashes text[], recorded_at timestamptz)
RETURNS text[] LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
DECLARE
  hashes text[] := ARRAY[prev_hash];
BEGIN
  FOR i IN 1..jsonb_array_length(events) LOOP
    hashes := hashes || event_store.chain_hash(hashes[i],
      event_store.event_digest(stream_id, events -> (i - 1), content_hashes[i], recorded_at));
  END LOOP;
  RETURN hashes;
END $$;

-- Nullable so that a row written some other way is still stored, and shows up in the check as unchained.
ALTER TABLE event_store.events ADD COLUMN prev_hash text, ADD COLUMN chain_hash text;

-- Each stream's head: the chain hash of its last event, moved on by every append together with its version
-- (the next append chains from it, and goes ahead only if it is unchanged when the row is claimed).
ALTER TABLE event_store.streams ADD COLUMN head_hash text NOT NULL DEFAULT '';

-- Events already stored are chained as they stand.
DO $$
DECLARE
  r record;
  stream text;
  prev text;
BEGIN
  FOR r IN SELECT stream_id, stream_position, payload, content_hash, recorded_at
           FROM event_store.events ORDER BY stream_id, stream_position LOOP
    IF stream IS DISTINCT FROM r.stream_id THEN
      stream := r.stream_id;
      prev := '';
    END IF;
    UPDATE event_store.events
       SET prev_hash = prev,
           chain_hash = event_store.chain_hash(prev,
             event_store.event_digest(r.stream_id, r.payload, r.content_hash, r.recorded_at))
     WHERE stream_id = r.stream_id AND stream_position = r.stream_position
    RETURNING chain_hash INTO prev;
  END LOOP;
END $$;

UPDATE event_store.streams s SET head_hash = e.chain_hash
FROM event_store.events e WHERE e.stream_id = s.stream_id AND e.stream_position = s.version;

-- Seals: from time to time the heads of all streams are recorded, and the set of them folded into a digest
-- chained to the previous seal's. A stream removed whole, or cut back below its sealed head, is then found
-- even when its row in event_store.streams went with it.
CREATE TABLE event_store.sealed_heads (
  stream_id text PRIMARY KEY,
  version bigint NOT NULL,
  head_hash text NOT NULL,
  seal bigint NOT NULL
);

CREATE TABLE event_store.seals (
  seal bigint PRIMARY KEY,
  sealed_at timestamptz NOT NULL DEFAULT now(),
  streams bigint NOT NULL,
  -- The sum, modulo 2^256, of sha256(stream_id, version, head_hash) over every sealed head, in hex: it is
  -- updated with only the heads that moved, and recomputed in full by the check.
  heads_sum text NOT NULL,
  prev_digest text NOT NULL,
  digest text NOT NULL
);

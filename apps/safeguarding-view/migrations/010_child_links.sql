-- Links between hub child ids, projected from identity events. Events keep the hub child id they were
-- recorded under; a read model asks which ids are one child now (child_members) and reads them all.
CREATE TABLE child_links (
  link_id text PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('merge', 'unborn-to-born')),
  child_id uuid NOT NULL,
  linked_id uuid NOT NULL,
  linked_at timestamptz,
  split_at timestamptz
);
CREATE INDEX child_links_child ON child_links (child_id) WHERE split_at IS NULL;
CREATE INDEX child_links_linked ON child_links (linked_id) WHERE split_at IS NULL;

-- The child each linked hub id belongs to now, by its canonical id. An id linked to nothing has no row.
CREATE TABLE child_members (
  child_id uuid PRIMARY KEY,
  canonical_id uuid NOT NULL
);
CREATE INDEX child_members_canonical ON child_members (canonical_id);

-- Possible matches as the people who decide them see them: hub ids and the kind of evidence, nothing more.
CREATE TABLE possible_matches (
  match_id text PRIMARY KEY,
  child_id uuid NOT NULL,
  candidate_id uuid NOT NULL,
  evidence text NOT NULL,
  status text NOT NULL CHECK (status IN ('raised', 'confirmed', 'rejected')),
  raised_at timestamptz NOT NULL,
  decided_at timestamptz,
  link_id text
);
CREATE INDEX possible_matches_pending ON possible_matches (raised_at) WHERE status = 'raised';

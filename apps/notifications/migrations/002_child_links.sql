-- The links between hub child ids as the notifications' own consumer of hub.events applied them (identity's
-- link events, with the identity module's projection): which ids are one child when a rule follows a
-- child's linked records. Never the view's tables.
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

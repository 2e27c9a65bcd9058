import type { PoolClient } from '@jigsaw/database';
import type { RecordedEvent } from '@jigsaw/envelope';

import type { Projection } from '@jigsaw/projection';
import { canonicalOf, type ChildLink, type LinkKind } from './child-links.js';
import {
  CHILD_RENUMBERED,
  CHILDREN_MERGED,
  CHILDREN_SPLIT,
  isIdentityEvent,
  POSSIBLE_MATCH_CONFIRMED,
  POSSIBLE_MATCH_RAISED,
  POSSIBLE_MATCH_REJECTED,
  UNBORN_LINKED,
  type IdentityEvent,
} from './identity.events.js';

/** Every hub id joined to these ones by links in force (itself included), one query per start. */
async function componentOf(tx: PoolClient, childId: string): Promise<string[]> {
  const { rows } = await tx.query<{ id: string }>(
    `WITH RECURSIVE reach(id) AS (
       SELECT $1::uuid
       UNION
       SELECT CASE WHEN l.child_id = r.id THEN l.linked_id ELSE l.child_id END
       FROM reach r JOIN child_links l ON l.split_at IS NULL AND (l.child_id = r.id OR l.linked_id = r.id))
     SELECT id::text FROM reach`,
    [childId],
  );
  return rows.map((r) => r.id);
}

/** Rewrites child_members for the children these ids now belong to. */
async function regroup(tx: PoolClient, ids: readonly string[]): Promise<void> {
  const done = new Set<string>();
  for (const id of ids) {
    if (done.has(id)) continue;
    const members = await componentOf(tx, id);
    members.forEach((m) => done.add(m));
    const { rows } = await tx.query<{ link_id: string; kind: LinkKind; child_id: string; linked_id: string }>(
      `SELECT link_id, kind, child_id::text, linked_id::text FROM child_links
       WHERE split_at IS NULL AND child_id = ANY($1::uuid[])`,
      [members],
    );
    const links: ChildLink[] = rows.map((r) => ({
      linkId: r.link_id,
      kind: r.kind,
      childId: r.child_id,
      linkedId: r.linked_id,
    }));
    await tx.query('DELETE FROM child_members WHERE child_id = ANY($1::uuid[])', [members]);
    if (members.length > 1) {
      await tx.query(
        'INSERT INTO child_members (child_id, canonical_id) SELECT unnest($1::uuid[]), $2::uuid',
        [members, canonicalOf(members, links)],
      );
    }
  }
}

async function applyIdentity(tx: PoolClient, event: IdentityEvent, matches: boolean): Promise<void> {
  switch (event.type) {
    case POSSIBLE_MATCH_RAISED: {
      if (!matches) return;
      const { matchId, childId, candidateId, evidence, raisedAt } = event.data;
      await tx.query(
        `INSERT INTO possible_matches (match_id, child_id, candidate_id, evidence, status, raised_at)
         VALUES ($1, $2, $3, $4, 'raised', $5) ON CONFLICT (match_id) DO NOTHING`,
        [matchId, childId, candidateId, evidence, raisedAt],
      );
      return;
    }
    case POSSIBLE_MATCH_CONFIRMED:
    case POSSIBLE_MATCH_REJECTED: {
      if (!matches) return;
      const confirmed = event.type === POSSIBLE_MATCH_CONFIRMED;
      await tx.query(
        `UPDATE possible_matches SET status = $2, decided_at = $3, link_id = $4 WHERE match_id = $1`,
        [
          event.data.matchId,
          confirmed ? 'confirmed' : 'rejected',
          event.data.decidedAt,
          confirmed ? event.data.linkId : null,
        ],
      );
      return;
    }
    case CHILDREN_MERGED:
    case UNBORN_LINKED: {
      const { linkId, childId, linkedId, linkedAt } = event.data;
      await tx.query(
        `INSERT INTO child_links (link_id, kind, child_id, linked_id, linked_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (link_id) DO UPDATE SET linked_at = EXCLUDED.linked_at`,
        [linkId, event.type === CHILDREN_MERGED ? 'merge' : 'unborn-to-born', childId, linkedId, linkedAt],
      );
      await regroup(tx, [childId, linkedId]);
      return;
    }
    case CHILDREN_SPLIT: {
      const { linkId, kind, childId, linkedId, splitAt } = event.data;
      // Kept even if the link is not here yet, so the split holds whatever order they come in.
      await tx.query(
        `INSERT INTO child_links (link_id, kind, child_id, linked_id, split_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (link_id) DO UPDATE SET split_at = EXCLUDED.split_at`,
        [linkId, kind, childId, linkedId, splitAt],
      );
      await regroup(tx, [childId, linkedId]);
      return;
    }
    case CHILD_RENUMBERED:
      // The registry holds which numbers name the child; the hub child id, and so every read model, stays.
      return;
    default: {
      const exhaustive: never = event;
      return exhaustive;
    }
  }
}

/**
 * The projection of identity's events into `child_links` and `child_members`, and into `possible_matches`
 * when `matches`. Regrouping reads other links, so identity events apply one at a time under one lock per
 * schema.
 */
function identityProjection(name: string, matches: boolean): Projection {
  return {
    name,
    async apply(tx: PoolClient, event: RecordedEvent): Promise<void> {
      if (!isIdentityEvent(event)) return;
      await tx.query("SELECT pg_advisory_xact_lock(hashtext(current_schema() || '.child_links'))");
      await applyIdentity(tx, event, matches);
    },
  };
}

/** Links between hub children, and the possible matches pending between them: the view's. */
export const childLinksProjection: Projection = identityProjection('child-links', true);

/**
 * Only the links between hub children (`child_links`, `child_members`), for a process that follows linked
 * children in its own schema and decides no match.
 */
export const linksProjection: Projection = identityProjection('links', false);

import { Inject, Injectable } from '@nestjs/common';
import type { Pool, PoolClient } from '@jigsaw/database';
import type { IdentifierQuery, LinkedChildren } from '@jigsaw/identity';
import { PG_POOL } from '@jigsaw/platform';
import { VIEW_SCHEMA } from '../view-schema.js';

/**
 * Every hub child id linked into the same child as `childId`, itself included (`[childId]` when unlinked),
 * asked on the connection given: inside a transaction, its own connection, in the schema on its search
 * path unless one is named.
 */
export async function membersOn(
  db: Pick<PoolClient, 'query'>,
  childId: string,
  schema?: string,
): Promise<string[]> {
  const table = schema ? `"${schema}".child_members` : 'child_members';
  const { rows } = await db.query<{ child_id: string }>(
    `SELECT m.child_id::text FROM ${table} m
     WHERE m.canonical_id = (SELECT canonical_id FROM ${table} WHERE child_id = $1)
     ORDER BY m.child_id`,
    [childId],
  );
  return rows.length > 0 ? rows.map((r) => r.child_id) : [childId];
}

/**
 * `membersOn` for several children in one query: by each id asked, every hub child id linked into the same
 * child, itself included (`[id]` when unlinked). For applying a batch, where a round trip a child adds up.
 */
export async function membersOnMany(
  db: Pick<PoolClient, 'query'>,
  childIds: readonly string[],
  schema?: string,
): Promise<Map<string, string[]>> {
  const wanted = [...new Set(childIds)];
  if (wanted.length === 0) return new Map();
  const table = schema ? `"${schema}".child_members` : 'child_members';
  const { rows } = await db.query<{ id: string; members: string[] | null }>(
    `SELECT q.id, array_agg(m.child_id::text ORDER BY m.child_id) FILTER (WHERE m.child_id IS NOT NULL) AS members
     FROM unnest($1::text[]) AS q(id)
     LEFT JOIN ${table} c ON c.child_id = q.id::uuid
     LEFT JOIN ${table} m ON m.canonical_id = c.canonical_id
     GROUP BY q.id`,
    [wanted],
  );
  return new Map(rows.map((r) => [r.id, r.members ?? [r.id]]));
}

/**
 * Which hub child ids are one child now. Read models store rows under each event's own hub child id and
 * query with `child_id = ANY(membersOf(id))`, so merges and splits rewrite nothing.
 */
@Injectable()
export class ChildLinks implements LinkedChildren {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  /** Every hub child id linked into the same child, itself included; `[childId]` when unlinked. */
  membersOf(childId: string): Promise<string[]> {
    return membersOn(this.pool, childId, VIEW_SCHEMA);
  }

  /** The id the child answers to: the surviving record of a merge, the baby of an unborn link. */
  async canonicalOf(childId: string): Promise<string> {
    const { rows } = await this.pool.query<{ canonical_id: string }>(
      `SELECT canonical_id::text FROM "${VIEW_SCHEMA}".child_members WHERE child_id = $1`,
      [childId],
    );
    return rows[0]?.canonical_id ?? childId;
  }

  /** `canonicalOf`, then `membersOf` the canonical id, in one round trip: what every read of a child asks. */
  async canonicalWithMembers(childId: string): Promise<{ childId: string; members: string[] }> {
    const { rows } = await this.pool.query<CanonicalRow>({
      name: 'child-links.canonical-with-members',
      text: canonicalWithMembersOf('SELECT $1::uuid AS id, false AS retired'),
      values: [childId],
    });
    return canonicalOfRow(rows[0]!);
  }

  /**
   * The child an identifier names (identity's lookup, `IdentityRegistry.identifiedQuery`), as
   * `canonicalWithMembers` gives it, and whether the identifier is retired, in one round trip; undefined
   * for an identifier the hub never heard of.
   */
  async identifiedWithMembers(
    identified: IdentifierQuery,
  ): Promise<{ childId: string; members: string[]; retired: boolean } | undefined> {
    const { rows } = await this.pool.query<CanonicalRow>({
      name: 'child-links.identified-with-members',
      text: canonicalWithMembersOf(identified.text),
      values: identified.values,
    });
    const row = rows[0];
    return row ? { ...canonicalOfRow(row), retired: row.retired } : undefined;
  }
}

interface CanonicalRow {
  canonical: string;
  members: string[] | null;
  retired: boolean;
}

/** The canonical id of the child `named` selects (`id`, `retired`), with every member of it. */
function canonicalWithMembersOf(named: string): string {
  return `WITH named AS (${named}),
     c AS (SELECT coalesce((SELECT canonical_id FROM "${VIEW_SCHEMA}".child_members WHERE child_id = named.id),
                           named.id) AS id, named.retired FROM named)
     SELECT c.id::text AS canonical, c.retired,
            (SELECT array_agg(m.child_id::text ORDER BY m.child_id) FROM "${VIEW_SCHEMA}".child_members m
             WHERE m.canonical_id = (SELECT canonical_id FROM "${VIEW_SCHEMA}".child_members WHERE child_id = c.id))
              AS members
     FROM c`;
}

function canonicalOfRow(row: CanonicalRow): { childId: string; members: string[] } {
  return { childId: row.canonical, members: row.members ?? [row.canonical] };
}

import { Inject, Injectable } from '@nestjs/common';
import type { Pool, PoolClient } from '@jigsaw/database';
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
 * Which hub child ids are one child now. Read models store rows under each event's own hub child id and
 * query with `child_id = ANY(membersOf(id))`, so merges and splits rewrite nothing.
 */
@Injectable()
export class ChildLinks {
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
    const { rows } = await this.pool.query<{ canonical: string; members: string[] | null }>(
      `WITH c AS (SELECT coalesce((SELECT canonical_id FROM "${VIEW_SCHEMA}".child_members WHERE child_id = $1),
                                  $1::uuid) AS id)
       SELECT c.id::text AS canonical,
              (SELECT array_agg(m.child_id::text ORDER BY m.child_id) FROM "${VIEW_SCHEMA}".child_members m
               WHERE m.canonical_id = (SELECT canonical_id FROM "${VIEW_SCHEMA}".child_members WHERE child_id = c.id))
                AS members
       FROM c`,
      [childId],
    );
    const canonical = rows[0]!.canonical;
    return { childId: canonical, members: rows[0]!.members ?? [canonical] };
  }
}

import type { Pool } from '@jigsaw/database';
import { newDataKey, unwrapDataKey, wrapDataKey, type MasterKey } from './personal-data-crypto.js';

/** A child's data key: usable, or destroyed (erased). */
export type ChildKey =
  | { childId: string; generation: number; key: Buffer }
  | { childId: string; generation: number; key: undefined };

interface KeyRow {
  child_id: string;
  generation: number;
  master_key_id: string;
  wrapped_key: Buffer | null;
}

/**
 * Per-child AES-256 data keys in `keys.child_keys` (migration 011), wrapped by the master key. A destroyed
 * key keeps its row, without the key, so later events start a new generation rather than reuse it.
 */
export class ChildKeys {
  constructor(
    private readonly pool: Pool,
    private readonly master: MasterKey,
  ) {}

  private toKey(row: KeyRow): ChildKey {
    const { child_id: childId, generation } = row;
    if (!row.wrapped_key) return { childId, generation, key: undefined };
    return {
      childId,
      generation,
      key: unwrapDataKey(this.master, row.wrapped_key, childId, generation, row.master_key_id),
    };
  }

  /**
   * The key new events of this child are sealed under: the latest generation, made if there is none usable.
   * One round trip for a child new to the hub or already keyed; more only after an erasure or a race.
   */
  async current(childId: string): Promise<ChildKey & { key: Buffer }> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const { rows } = await this.pool.query<KeyRow>(
        `WITH latest AS (
           SELECT child_id, generation, master_key_id, wrapped_key FROM keys.child_keys
           WHERE child_id = $1 ORDER BY generation DESC LIMIT 1
         ), made AS (
           INSERT INTO keys.child_keys (child_id, generation, master_key_id, wrapped_key)
           SELECT $1, 1, $2, $3 WHERE NOT EXISTS (SELECT 1 FROM latest)
           ON CONFLICT (child_id, generation) DO NOTHING
           RETURNING child_id, generation, master_key_id, wrapped_key
         )
         SELECT child_id::text, generation, master_key_id, wrapped_key FROM made
         UNION ALL SELECT child_id::text, generation, master_key_id, wrapped_key FROM latest`,
        [childId, this.master.id, wrapDataKey(this.master, newDataKey(), childId, 1)],
      );
      const latest = rows[0];
      if (latest?.wrapped_key) return this.toKey(latest) as ChildKey & { key: Buffer };
      // Erased before (a new generation starts), or another writer made generation 1 just now (look again).
      if (latest) {
        const generation = latest.generation + 1;
        await this.pool.query(
          `INSERT INTO keys.child_keys (child_id, generation, master_key_id, wrapped_key)
           VALUES ($1, $2, $3, $4) ON CONFLICT (child_id, generation) DO NOTHING`,
          [childId, generation, this.master.id, wrapDataKey(this.master, newDataKey(), childId, generation)],
        );
      }
    }
    throw new Error(`could not make a data key for child ${childId}: it is being erased as keys are made`);
  }

  /** The keys named, by `<child>/<generation>`; a key never made is absent from the answer. */
  async find(wanted: readonly { childId: string; generation: number }[]): Promise<ChildKey[]> {
    if (wanted.length === 0) return [];
    const { rows } = await this.pool.query<KeyRow>(
      `SELECT k.child_id::text, k.generation, k.master_key_id, k.wrapped_key
       FROM keys.child_keys k JOIN unnest($1::uuid[], $2::int[]) AS w(child_id, generation)
         ON k.child_id = w.child_id AND k.generation = w.generation`,
      [wanted.map((w) => w.childId), wanted.map((w) => w.generation)],
    );
    return rows.map((row) => this.toKey(row));
  }

  /** Destroys every key of the child; returns the generations destroyed now. */
  async destroy(childId: string): Promise<number[]> {
    const { rows } = await this.pool.query<{ generation: number }>(
      `UPDATE keys.child_keys SET wrapped_key = NULL, destroyed_at = now()
       WHERE child_id = $1 AND wrapped_key IS NOT NULL RETURNING generation`,
      [childId],
    );
    if (rows.length > 0) {
      // Old row versions keep the wrapped key until vacuumed; do it now (best effort: it needs ownership).
      await this.pool.query('VACUUM keys.child_keys').catch(() => undefined);
    }
    return rows.map((r) => r.generation).sort((a, b) => a - b);
  }

  /** Every generation the child ever had, destroyed or not. */
  async generations(childId: string): Promise<number[]> {
    const { rows } = await this.pool.query<{ generation: number }>(
      'SELECT generation FROM keys.child_keys WHERE child_id = $1 ORDER BY generation',
      [childId],
    );
    return rows.map((r) => r.generation);
  }
}

import { createPool, type OwnerRole, type Pool } from '@jigsaw/database';

/** Where a rebuild of an owner's read models gets connections acting as that owner's role. */
export interface RebuildPoolSource {
  poolFor(role: OwnerRole): Pool;
}

/**
 * Connections acting as each read-model owner's role, a pool per owner made when first asked for: what a
 * rebuild builds, compares and swaps is that owner's, so it runs as that owner.
 */
export class RebuildPools implements RebuildPoolSource {
  private readonly pools = new Map<OwnerRole, Pool>();

  constructor(
    private readonly url: string,
    private readonly name: string,
  ) {}

  poolFor(role: OwnerRole): Pool {
    let pool = this.pools.get(role);
    if (!pool) {
      pool = createPool(this.url, { name: `${this.name}-${role}`, max: 4, role });
      this.pools.set(role, pool);
    }
    return pool;
  }

  async end(): Promise<void> {
    await Promise.all([...this.pools.values()].map((pool) => pool.end()));
  }
}

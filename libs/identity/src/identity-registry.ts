import { createHmac, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { repoRoot } from '@jigsaw/config';
import type { MigrationSet, Pool } from '@jigsaw/database';
import { isValidNhsNumber } from './nhs-number.js';
import { isValidUpn } from './upn.js';

export const IDENTITY_MIGRATIONS: MigrationSet = {
  component: 'identity',
  directory: join(repoRoot(), 'libs/identity/migrations'),
};

export type IdentifierKind = 'nhs-number' | 'upn' | 'local';

export interface ChildIdentifiers {
  nhsNumber?: string;
  upn?: string;
  localIds?: { system: string; value: string }[];
}

interface IdentifierKey {
  kind: IdentifierKind;
  hash: string;
}

/**
 * Links what each agency calls a child to one pseudonymous hub child id. Exact links only: a valid NHS
 * number first, then a UPN, then the agency's own id within that agency.
 */
export class IdentityRegistry {
  constructor(
    private readonly pool: Pool,
    private readonly secret: string,
  ) {}

  private hash(kind: IdentifierKind, value: string): string {
    return createHmac('sha256', this.secret).update(`${kind}:${value}`).digest('hex');
  }

  /** The keys of a subject in precedence order; invalid identifiers link nothing. */
  keysOf(agency: string, subject: ChildIdentifiers): IdentifierKey[] {
    const keys: IdentifierKey[] = [];
    if (subject.nhsNumber && isValidNhsNumber(subject.nhsNumber)) {
      keys.push({ kind: 'nhs-number', hash: this.hash('nhs-number', subject.nhsNumber) });
    }
    if (subject.upn && isValidUpn(subject.upn))
      keys.push({ kind: 'upn', hash: this.hash('upn', subject.upn) });
    for (const id of subject.localIds ?? []) {
      keys.push({ kind: 'local', hash: this.hash('local', `${agency}|${id.system}|${id.value}`) });
    }
    return keys;
  }

  /** The hub child id for these identifiers, registering a new child when none is linked yet. */
  async resolve(agency: string, subject: ChildIdentifiers): Promise<string> {
    const keys = this.keysOf(agency, subject);
    if (keys.length === 0)
      throw new Error('a subject needs an NHS number, a UPN or a local id to be identified');
    const linked = await this.linked(keys);
    const existing = this.preferred(keys, linked);
    // The usual case, a child already known by every identifier given: one read, nothing written.
    if (existing && keys.every((k) => linked.has(k.hash))) return existing;
    const childId = existing ?? randomUUID();
    // Concurrent first sightings of one child race here; the first insert wins and both converge on it.
    await this.pool.query(
      `INSERT INTO identity.child_identifiers (key_hash, kind, hub_child_id)
       SELECT * FROM unnest($1::text[], $2::text[], $3::uuid[]) ON CONFLICT (key_hash) DO NOTHING`,
      [keys.map((k) => k.hash), keys.map((k) => k.kind), keys.map(() => childId)],
    );
    return (await this.find(keys)) ?? childId;
  }

  /** Which of these keys are linked already, and to whom. */
  private async linked(keys: readonly IdentifierKey[]): Promise<Map<string, string>> {
    const { rows } = await this.pool.query<{ key_hash: string; hub_child_id: string }>(
      'SELECT key_hash, hub_child_id FROM identity.child_identifiers WHERE key_hash = ANY($1::text[])',
      [keys.map((k) => k.hash)],
    );
    return new Map(rows.map((r) => [r.key_hash, r.hub_child_id]));
  }

  /** The child linked to the strongest key: NHS number, then UPN, then local ids, in that order. */
  private preferred(keys: readonly IdentifierKey[], linked: ReadonlyMap<string, string>): string | undefined {
    for (const key of keys) {
      const childId = linked.get(key.hash);
      if (childId) return childId;
    }
    return undefined;
  }

  private async find(keys: readonly IdentifierKey[]): Promise<string | undefined> {
    return this.preferred(keys, await this.linked(keys));
  }

  async lookup(kind: 'nhs-number' | 'upn', value: string): Promise<string | undefined> {
    return this.find([{ kind, hash: this.hash(kind, value) }]);
  }
}

import { createHmac, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { repoRoot } from '@jigsaw/config';
import { PRE_BIRTH_CONCERN_RAISED } from '@jigsaw/contracts';
import {
  OWNER_ROLES,
  withTransaction,
  type MigrationSet,
  type Pool,
  type PoolClient,
} from '@jigsaw/database';
import { isValidNhsNumber, isValidUpn } from '@jigsaw/envelope';
import { evidenceOf, type EvidenceSubject } from './evidence.js';
import {
  decideIdentity,
  distinctPairs,
  writesNothing,
  type EvidenceKind,
  type IdentifierKey,
  type IdentifierKind,
  type IdentityDecision,
  type IdentitySnapshot,
  type LinkedKey,
  type StrongKind,
} from './identity-resolution.js';

export const IDENTITY_MIGRATIONS: MigrationSet = {
  component: 'identity',
  owner: OWNER_ROLES.identity,
  directory: join(repoRoot(), 'libs/identity/migrations'),
};

export type { EvidenceKind, IdentifierKind } from './identity-resolution.js';

/**
 * Event types whose subject is an unborn child, recorded against the mother's NHS number with the
 * pregnancy as a local id. The mother's NHS number is not the child's, so it links nothing.
 */
export const UNBORN_SUBJECT_TYPES: ReadonlySet<string> = new Set([PRE_BIRTH_CONCERN_RAISED]);

export interface ChildIdentifiers extends EvidenceSubject {
  nhsNumber?: string;
  upn?: string;
  localIds?: { system: string; value: string }[];
}

/** Where a sighting would file, read without writing: `writes` when registering it would change the registry. */
export interface IdentityPlan {
  childId: string;
  writes: boolean;
}

/** Registering found another child than planned (a concurrent sighting got in between): plan again. */
export class IdentityMovedError extends Error {
  constructor() {
    super('the identifiers were linked meanwhile to another child than planned');
    this.name = 'IdentityMovedError';
  }
}

type Db = Pool | PoolClient;

/** One sighting of a batch: the subject an event names, and the event's type. */
export interface Sighting {
  subject: ChildIdentifiers;
  eventType?: string;
}

interface Parsed {
  keys: IdentifierKey[];
  evidence: string | undefined;
  unborn: boolean;
}

/** What the registry holds about many sightings' identifiers at once, updated as each is decided. */
interface World {
  linked: Map<string, LinkedKey>;
  holds: Map<string, Set<StrongKind>>;
  owners: Map<string, Set<string>>;
}

/**
 * Erasure reaches identity: the child's identifiers and evidence are deleted, so its NHS number, UPN and
 * local ids find nobody, and a later record under them starts a new child. Under the child's lock, so no
 * sighting joins it meanwhile. Safe to repeat: how many identifiers it removed.
 */
export async function forgetChild(pool: Pool, childId: string): Promise<number> {
  return withTransaction(pool, async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1::bigint)', [lockIdOf(childId)]);
    await tx.query('DELETE FROM identity.child_evidence WHERE hub_child_id = $1', [childId]);
    const { rowCount } = await tx.query('DELETE FROM identity.child_identifiers WHERE hub_child_id = $1', [
      childId,
    ]);
    return rowCount ?? 0;
  });
}

/** A 64-bit advisory lock id from a hex digest or a uuid: its first 64 bits. */
export function lockIdOf(hexOrUuid: string): string {
  return BigInt.asIntN(64, BigInt(`0x${hexOrUuid.replace(/-/g, '').slice(0, 16)}`)).toString();
}

/** How a lookup by an identifier ends: the child, and whether the identifier was retired (renumbering). */
export interface IdentifierLookup {
  childId: string;
  retired: boolean;
}

/**
 * A lookup by an identifier as a query: one row or none, `id` (the hub child id, a uuid) and `retired`.
 * Its text is the same for every identifier, its `values` are `$1` and `$2`. Another module may take it
 * as the first step of its own query (`WITH named AS (...)`), so that looking the child up and reading
 * what it holds of the child is one round trip, without naming identity's tables.
 */
export interface IdentifierQuery {
  text: string;
  values: [keyHash: string, kind: 'nhs-number' | 'upn'];
}

const IDENTIFIED = `SELECT hub_child_id AS id, retired_at IS NOT NULL AS retired FROM identity.child_identifiers
         WHERE key_hash = $1 AND kind = $2`;

/**
 * Every row of the registry in a stable order, identifiers then evidence (keyed hashes and hub ids, never
 * an identifier): for checking that what the hub refused wrote nothing.
 */
export async function registryRows(
  db: Pick<Pool, 'query'>,
): Promise<{ identifiers: unknown[]; evidence: unknown[] }> {
  const identifiers = await db.query('SELECT * FROM identity.child_identifiers ORDER BY key_hash');
  const evidence = await db.query(
    'SELECT * FROM identity.child_evidence ORDER BY evidence_hash, hub_child_id',
  );
  return { identifiers: identifiers.rows, evidence: evidence.rows };
}

/** One piece of evidence still to be turned into possible matches, with the other children sharing it. */
export interface UncheckedEvidence {
  evidenceHash: string;
  childId: string;
  kind: EvidenceKind;
  peers: string[];
}

export type RenumberProblem =
  'previous-not-this-child' | 'new-number-belongs-to-another-child' | 'new-number-retired' | 'same-number';

export class RenumberRefusedError extends Error {
  constructor(readonly problem: RenumberProblem) {
    super(`renumbering refused: ${problem}`);
    this.name = 'RenumberRefusedError';
  }
}

/**
 * Links what each agency calls a child to one pseudonymous hub child id. Exact links only: a valid NHS
 * number first, then a UPN, then the agency's own id within that agency. Weaker evidence (name, date of
 * birth and postcode), and identifiers of two children named together, are kept as keyed hashes for
 * possible matches that a person confirms or rejects; they never link anything here.
 */
export class IdentityRegistry {
  constructor(
    private readonly pool: Pool,
    private readonly secret: string,
  ) {}

  private hash(kind: string, value: string): string {
    return createHmac('sha256', this.secret).update(`${kind}:${value}`).digest('hex');
  }

  private localHash(agency: string, id: { system: string; value: string }): string {
    return this.hash('local', `${agency}|${id.system}|${id.value}`);
  }

  /** The keys of a subject in precedence order; invalid identifiers link nothing. */
  keysOf(agency: string, subject: ChildIdentifiers): IdentifierKey[] {
    const keys: IdentifierKey[] = [];
    if (subject.nhsNumber && isValidNhsNumber(subject.nhsNumber)) {
      keys.push({ kind: 'nhs-number', hash: this.hash('nhs-number', subject.nhsNumber) });
    }
    if (subject.upn && isValidUpn(subject.upn))
      keys.push({ kind: 'upn', hash: this.hash('upn', subject.upn) });
    for (const id of subject.localIds ?? []) keys.push({ kind: 'local', hash: this.localHash(agency, id) });
    return keys;
  }

  private evidenceHash(subject: EvidenceSubject): string | undefined {
    const evidence = evidenceOf(subject);
    return evidence === undefined ? undefined : this.hash('evidence', evidence);
  }

  private conflictHash(key: IdentifierKey): string {
    return this.hash('conflict', key.hash);
  }

  /** The keys a sighting links, and its name, birth date and postcode evidence, if any. */
  private sighting(agency: string, subject: ChildIdentifiers, eventType: string | undefined): Parsed {
    const keys = this.keysOf(agency, subject);
    if (keys.length === 0)
      throw new Error('a subject needs an NHS number, a UPN or a local id to be identified');
    const unborn = eventType !== undefined && UNBORN_SUBJECT_TYPES.has(eventType);
    if (!unborn) return { keys, evidence: this.evidenceHash(subject), unborn };
    // An unborn child is known by its pregnancy's local ids alone: never by the mother's NHS number.
    const pregnancy = keys.filter((k) => k.kind === 'local').map((k) => ({ ...k, kind: 'unborn' as const }));
    if (pregnancy.length === 0) throw new Error('an unborn child needs a local id for the pregnancy');
    return { keys: pregnancy, evidence: undefined, unborn };
  }

  private async decide(db: Db, sighting: Parsed, candidate: string): Promise<IdentityDecision> {
    const snapshot = await this.read(db, sighting.keys, sighting.evidence);
    // A record naming a known pregnancy is about the unborn child, whatever NHS number (the mother's) it carries.
    const unbornChild = sighting.unborn
      ? undefined
      : [...snapshot.linked.values()].find((l) => l.kind === 'unborn')?.childId;
    if (unbornChild) return { childId: unbornChild, links: [], evidence: [] };
    return decideIdentity(snapshot, candidate);
  }

  /**
   * Where a sighting would file, without writing anything. `eventType` tells an unborn child's first
   * record (see UNBORN_SUBJECT_TYPES) from the mother's own; `candidate` is the id a new child would get.
   */
  async plan(
    agency: string,
    subject: ChildIdentifiers,
    eventType?: string,
    candidate: string = randomUUID(),
  ): Promise<IdentityPlan> {
    const decision = await this.decide(this.pool, this.sighting(agency, subject, eventType), candidate);
    return { childId: decision.childId, writes: !writesNothing(decision) };
  }

  /**
   * Registers a sighting inside the caller's transaction: its keys and the children they are linked to are
   * locked (advisory, in one order) so concurrent sightings decide one after another, then the links and
   * evidence are written. Rolled back with the transaction, so a refused event leaves nothing behind.
   */
  async register(
    tx: PoolClient,
    agency: string,
    subject: ChildIdentifiers,
    eventType: string | undefined,
    candidate: string,
  ): Promise<string> {
    const sighting = this.sighting(agency, subject, eventType);
    await this.lock(
      tx,
      sighting.keys.map((k) => lockIdOf(k.hash)),
    );
    const first = await this.read(tx, sighting.keys, sighting.evidence);
    await this.lock(tx, [...new Set([...first.linked.values()].map((l) => lockIdOf(l.childId)))]);
    const decision = await this.decide(tx, sighting, candidate);
    if (decision.links.length > 0) {
      const { rowCount } = await tx.query(
        `INSERT INTO identity.child_identifiers (key_hash, kind, hub_child_id)
         SELECT * FROM unnest($1::text[], $2::text[], $3::uuid[]) ON CONFLICT (key_hash) DO NOTHING`,
        [
          decision.links.map((k) => k.hash),
          decision.links.map((k) => k.kind),
          decision.links.map(() => decision.childId),
        ],
      );
      if (rowCount !== decision.links.length) throw new IdentityMovedError();
    }
    if (decision.evidence.length > 0) {
      await tx.query(
        `INSERT INTO identity.child_evidence (evidence_hash, hub_child_id, kind)
         SELECT * FROM unnest($1::text[], $2::uuid[], $3::text[]) ON CONFLICT DO NOTHING`,
        [
          decision.evidence.map((r) => r.hash),
          decision.evidence.map((r) => r.childId),
          decision.evidence.map((r) => r.kind),
        ],
      );
    }
    return decision.childId;
  }

  /**
   * The work to run in the append's transaction for a planned sighting (see EventStore's `before`): it
   * registers the sighting and refuses, for a fresh plan, if the identifiers now file elsewhere. Nothing
   * when the plan writes nothing.
   */
  registration(
    plan: IdentityPlan,
    agency: string,
    subject: ChildIdentifiers,
    eventType?: string,
  ): { before?: (tx: PoolClient) => Promise<void> } {
    if (!plan.writes) return {};
    return {
      before: async (tx) => {
        const registered = await this.register(tx, agency, subject, eventType, plan.childId);
        if (registered !== plan.childId) throw new IdentityMovedError();
      },
    };
  }

  /** Registers a sighting in a transaction of its own; the hub child id it files under. */
  async resolve(agency: string, subject: ChildIdentifiers, eventType?: string): Promise<string> {
    return withTransaction(this.pool, (tx) => this.register(tx, agency, subject, eventType, randomUUID()));
  }

  /**
   * Where each sighting of a batch would file, as if they were planned and registered one after another,
   * without writing anything: one query for all of them. A sighting naming a child new to the hub that an
   * earlier one of the batch names too files under the same new id.
   */
  async planAll(agency: string, sightings: readonly Sighting[]): Promise<IdentityPlan[]> {
    const parsed = sightings.map((s) => this.sighting(agency, s.subject, s.eventType));
    const world = await this.readWorld(
      this.pool,
      parsed.flatMap((p) => p.keys),
      parsed.flatMap((p) => (p.evidence ? [p.evidence] : [])),
    );
    return parsed.map((sighting) => {
      const decision = this.decideIn(world, sighting, randomUUID());
      return { childId: decision.childId, writes: !writesNothing(decision) };
    });
  }

  /**
   * Registers a batch's sightings inside the caller's transaction, one after another as `register` would,
   * in a constant number of statements: every key and then every child they name is locked (in one order),
   * each sighting decided with `planned[i]` as its new child's id, and all links and evidence written.
   * The indexes of the sightings that would now file elsewhere than planned; when there are any, nothing
   * is written.
   */
  async registerAll(
    tx: PoolClient,
    agency: string,
    sightings: readonly Sighting[],
    planned: readonly string[],
  ): Promise<number[]> {
    const parsed = sightings.map((s) => this.sighting(agency, s.subject, s.eventType));
    const keys = parsed.flatMap((p) => p.keys);
    const evidence = parsed.flatMap((p) => (p.evidence ? [p.evidence] : []));
    await this.lock(
      tx,
      keys.map((k) => lockIdOf(k.hash)),
    );
    const first = await this.readWorld(tx, keys, evidence);
    await this.lock(tx, [...new Set([...first.linked.values()].map((l) => lockIdOf(l.childId)))]);
    const world = await this.readWorld(tx, keys, evidence);
    const decisions = parsed.map((sighting, i) => this.decideIn(world, sighting, planned[i]!));
    const moved = decisions.flatMap((d, i) => (d.childId === planned[i] ? [] : [i]));
    if (moved.length > 0) return moved;
    const links = decisions.flatMap((d) => d.links.map((k) => ({ ...k, childId: d.childId })));
    if (links.length > 0) {
      const { rowCount } = await tx.query(
        `INSERT INTO identity.child_identifiers (key_hash, kind, hub_child_id)
         SELECT * FROM unnest($1::text[], $2::text[], $3::uuid[]) ON CONFLICT (key_hash) DO NOTHING`,
        [links.map((k) => k.hash), links.map((k) => k.kind), links.map((k) => k.childId)],
      );
      if (rowCount !== links.length) throw new IdentityMovedError();
    }
    const rows = decisions.flatMap((d) => d.evidence);
    if (rows.length > 0) {
      await tx.query(
        `INSERT INTO identity.child_evidence (evidence_hash, hub_child_id, kind)
         SELECT * FROM unnest($1::text[], $2::uuid[], $3::text[]) ON CONFLICT DO NOTHING`,
        [rows.map((r) => r.hash), rows.map((r) => r.childId), rows.map((r) => r.kind)],
      );
    }
    return [];
  }

  /** `decide` against what the registry holds plus the batch's earlier decisions, which it then joins. */
  private decideIn(world: World, sighting: Parsed, candidate: string): IdentityDecision {
    const unbornChild = sighting.unborn
      ? undefined
      : sighting.keys.map((k) => world.linked.get(k.hash)).find((l) => l?.kind === 'unborn')?.childId;
    if (unbornChild) return { childId: unbornChild, links: [], evidence: [] };
    const decision = decideIdentity(
      {
        keys: sighting.keys,
        ...world,
        evidence: sighting.evidence,
        conflictOf: (k) => this.conflictHash(k),
      },
      candidate,
    );
    for (const key of decision.links) {
      world.linked.set(key.hash, { childId: decision.childId, kind: key.kind });
      if (key.kind === 'nhs-number' || key.kind === 'upn') {
        const held = world.holds.get(decision.childId) ?? new Set<StrongKind>();
        world.holds.set(decision.childId, held.add(key.kind));
      }
    }
    for (const row of decision.evidence) {
      world.owners.set(row.hash, (world.owners.get(row.hash) ?? new Set()).add(row.childId));
    }
    return decision;
  }

  private async lock(tx: PoolClient, ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await tx.query(
      `SELECT pg_advisory_xact_lock(l) FROM (SELECT DISTINCT l FROM unnest($1::bigint[]) AS u(l) ORDER BY l) s`,
      [ids],
    );
  }

  /**
   * Which of these keys are linked already, and to whom; the NHS numbers and UPNs those children hold;
   * and which children hold each piece of evidence.
   */
  private async read(
    db: Db,
    keys: readonly IdentifierKey[],
    evidence: string | undefined,
  ): Promise<IdentitySnapshot> {
    const world = await this.readWorld(db, keys, evidence ? [evidence] : []);
    return { keys, ...world, evidence, conflictOf: (k) => this.conflictHash(k) };
  }

  /** `read` for many sightings' keys and evidence in one query. */
  private async readWorld(
    db: Db,
    keys: readonly IdentifierKey[],
    evidence: readonly string[],
  ): Promise<World> {
    const evidenceHashes = [...evidence, ...keys.map((k) => this.conflictHash(k))];
    const { rows } = await db.query<{
      key_hash: string;
      hub_child_id: string;
      kind: IdentifierKind;
      source: 'key' | 'evidence' | 'holds';
    }>(
      `SELECT key_hash, hub_child_id, kind, 'key' AS source FROM identity.child_identifiers
        WHERE key_hash = ANY($1::text[])
       UNION ALL
       SELECT DISTINCT NULL, hub_child_id, kind, 'holds' FROM identity.child_identifiers
        WHERE kind IN ('nhs-number', 'upn') AND hub_child_id IN
          (SELECT hub_child_id FROM identity.child_identifiers WHERE key_hash = ANY($1::text[]))
       UNION ALL
       SELECT evidence_hash, hub_child_id, NULL, 'evidence' FROM identity.child_evidence
        WHERE evidence_hash = ANY($2::text[])`,
      [keys.map((k) => k.hash), evidenceHashes],
    );
    const linked = new Map<string, { childId: string; kind: IdentifierKind }>();
    const holds = new Map<string, Set<StrongKind>>();
    const owners = new Map<string, Set<string>>();
    for (const row of rows) {
      if (row.source === 'key') linked.set(row.key_hash, { childId: row.hub_child_id, kind: row.kind });
      else if (row.source === 'holds') {
        holds.set(row.hub_child_id, (holds.get(row.hub_child_id) ?? new Set()).add(row.kind as StrongKind));
      } else owners.set(row.key_hash, (owners.get(row.key_hash) ?? new Set()).add(row.hub_child_id));
    }
    return { linked, holds, owners };
  }

  /** The child an NHS number or UPN names, for practitioners; a retired number still says whose it was. */
  async lookupStatus(kind: 'nhs-number' | 'upn', value: string): Promise<IdentifierLookup | undefined> {
    const { rows } = await this.pool.query<{ id: string; retired: boolean }>(
      this.identifiedQuery(kind, value),
    );
    const row = rows[0];
    return row ? { childId: row.id, retired: row.retired } : undefined;
  }

  /** `lookupStatus` as a query for another module to build on (`IdentifierQuery`). */
  identifiedQuery(kind: 'nhs-number' | 'upn', value: string): IdentifierQuery {
    return { text: IDENTIFIED, values: [this.hash(kind, value), kind] };
  }

  /** The child an NHS number or UPN names; a retired NHS number names nobody. */
  async lookup(kind: 'nhs-number' | 'upn', value: string): Promise<string | undefined> {
    const found = await this.lookupStatus(kind, value);
    return found && !found.retired ? found.childId : undefined;
  }

  /** The child an agency's own id names, and whether that child is still unborn (a pregnancy's id). */
  async lookupLocal(
    agency: string,
    id: { system: string; value: string },
  ): Promise<{ childId: string; unborn: boolean } | undefined> {
    const { rows } = await this.pool.query<{ hub_child_id: string; kind: IdentifierKind }>(
      'SELECT hub_child_id, kind FROM identity.child_identifiers WHERE key_hash = $1',
      [this.localHash(agency, id)],
    );
    const row = rows[0];
    return row ? { childId: row.hub_child_id, unborn: row.kind === 'unborn' } : undefined;
  }

  /** Which of these hub child ids the registry has never linked any identifier to. */
  async unknownOf(childIds: readonly string[]): Promise<string[]> {
    const { rows } = await this.pool.query<{ id: string }>(
      `SELECT id FROM unnest($1::uuid[]) AS ids(id)
       WHERE NOT EXISTS (SELECT 1 FROM identity.child_identifiers c WHERE c.hub_child_id = ids.id)`,
      [childIds],
    );
    return rows.map((r) => r.id);
  }

  /** Whether this hub child was registered as an unborn child (by a pregnancy's local id). */
  async isUnborn(childId: string): Promise<boolean> {
    const { rows } = await this.pool.query(
      "SELECT 1 FROM identity.child_identifiers WHERE hub_child_id = $1 AND kind = 'unborn' LIMIT 1",
      [childId],
    );
    return rows.length > 0;
  }

  /**
   * Renumbering (a new NHS number on adoption): links `next` to `childId` and retires `previous`, in one
   * transaction. `members` are the hub ids linked into the same child: `previous` must be one of theirs,
   * and `next` may already be (after a merge) but never another child's. Safe to repeat: true when it
   * changed something.
   */
  async renumber(
    childId: string,
    members: readonly string[],
    previous: string,
    next: string,
  ): Promise<boolean> {
    if (previous === next) throw new RenumberRefusedError('same-number');
    const prev = this.hash('nhs-number', previous);
    const nextHash = this.hash('nhs-number', next);
    return withTransaction(this.pool, async (tx) => {
      const ours = (id: string | undefined): boolean => id !== undefined && members.includes(id);
      const claimed = await tx.query<{ key_hash: string }>(
        `INSERT INTO identity.child_identifiers (key_hash, kind, hub_child_id) VALUES ($1, 'nhs-number', $2)
         ON CONFLICT (key_hash) DO NOTHING RETURNING key_hash`,
        [nextHash, childId],
      );
      const { rows } = await tx.query<{ key_hash: string; hub_child_id: string; retired: boolean }>(
        `SELECT key_hash, hub_child_id, retired_at IS NOT NULL AS retired FROM identity.child_identifiers
         WHERE key_hash = ANY($1::text[]) FOR UPDATE`,
        [[prev, nextHash]],
      );
      const before = rows.find((r) => r.key_hash === prev);
      const after = rows.find((r) => r.key_hash === nextHash);
      if (!ours(before?.hub_child_id)) throw new RenumberRefusedError('previous-not-this-child');
      if (!ours(after?.hub_child_id)) throw new RenumberRefusedError('new-number-belongs-to-another-child');
      if (after?.retired) throw new RenumberRefusedError('new-number-retired');
      const retired = await tx.query(
        'UPDATE identity.child_identifiers SET retired_at = now() WHERE key_hash = $1 AND retired_at IS NULL',
        [prev],
      );
      return claimed.rowCount === 1 || retired.rowCount === 1;
    });
  }

  /**
   * Hands evidence not yet turned into possible matches to `raise`, with the children that shared it
   * before (so each pair comes once, the newer sighting against the child already known),
   * and marks it done only once `raise` has resolved. Rows stay locked meanwhile, so several raisers
   * never work on the same evidence; a failure leaves them for the next pass.
   */
  async raiseUnchecked(
    limit: number,
    raise: (evidence: readonly UncheckedEvidence[]) => Promise<void>,
  ): Promise<number> {
    return withTransaction(this.pool, async (tx) => {
      const { rows } = await tx.query<{
        evidence_hash: string;
        hub_child_id: string;
        kind: EvidenceKind;
        peers: string[] | null;
      }>(
        `WITH claimed AS (
           SELECT evidence_hash, hub_child_id, kind, recorded_at FROM identity.child_evidence
           WHERE NOT checked ORDER BY recorded_at LIMIT $1 FOR UPDATE SKIP LOCKED)
         SELECT c.evidence_hash, c.hub_child_id, c.kind,
                (SELECT array_agg(p.hub_child_id::text ORDER BY p.hub_child_id) FROM identity.child_evidence p
                  WHERE p.evidence_hash = c.evidence_hash
                    AND (p.recorded_at, p.hub_child_id) < (c.recorded_at, c.hub_child_id)) AS peers
         FROM claimed c ORDER BY c.recorded_at`,
        [limit],
      );
      if (rows.length === 0) return 0;
      await raise(
        distinctPairs(
          rows.map((r) => ({
            evidenceHash: r.evidence_hash,
            childId: r.hub_child_id,
            kind: r.kind,
            peers: r.peers ?? [],
          })),
        ),
      );
      await tx.query(
        `UPDATE identity.child_evidence SET checked = true
         WHERE (evidence_hash, hub_child_id) IN (SELECT * FROM unnest($1::text[], $2::uuid[]))`,
        [rows.map((r) => r.evidence_hash), rows.map((r) => r.hub_child_id)],
      );
      return rows.length;
    });
  }
}

export type IdentifierKind = 'nhs-number' | 'upn' | 'local' | 'unborn';
export type EvidenceKind = 'name-birth-date-postcode' | 'identifier-conflict';
/** The kinds that name one child outright: a child holding one that differs is another child. */
export type StrongKind = 'nhs-number' | 'upn';

export interface IdentifierKey {
  kind: IdentifierKind;
  hash: string;
}

export interface LinkedKey {
  childId: string;
  kind: IdentifierKind;
}

export interface EvidenceRow {
  hash: string;
  childId: string;
  kind: EvidenceKind;
}

/** What the registry knows about one sighting's identifiers, read under their locks. */
export interface IdentitySnapshot {
  /** The sighting's keys, strongest first (NHS number, then UPN, then local ids in the record's order). */
  keys: readonly IdentifierKey[];
  /** Which of those keys are linked already, and to whom. */
  linked: ReadonlyMap<string, LinkedKey>;
  /** For each child a key is linked to: the strong kinds (NHS number, UPN) it holds. */
  holds: ReadonlyMap<string, ReadonlySet<StrongKind>>;
  /** For each piece of evidence, the children that hold it already. */
  owners: ReadonlyMap<string, ReadonlySet<string>>;
  /** The name, date of birth and postcode evidence, if the sighting gives all three. */
  evidence: string | undefined;
  /** The conflict evidence of a key (a keyed hash of the key). */
  conflictOf: (key: IdentifierKey) => string;
}

export interface IdentityDecision {
  childId: string;
  /** Keys to link to `childId`: those not linked to anyone yet. */
  links: IdentifierKey[];
  /** Evidence for possible matches, not yet held by its child. */
  evidence: EvidenceRow[];
}

/**
 * Pure: which child a sighting files under, what it links and what evidence it notes. The strongest key
 * decides: its child if it is linked; otherwise the child of the strongest linked weaker key, unless
 * that child holds an NHS number or UPN of a kind this sighting names (a different one, or it would be
 * linked); otherwise `candidate`, a new child. A key linked to another child stays there and becomes
 * identifier-conflict evidence on both children, for a person to decide.
 */
export function decideIdentity(snapshot: IdentitySnapshot, candidate: string): IdentityDecision {
  const { keys, linked, holds, owners } = snapshot;
  const strongest = keys[0];
  if (!strongest) throw new Error('a subject needs an NHS number, a UPN or a local id to be identified');
  const named = new Set(keys.filter((k) => !linked.has(k.hash)).map((k) => k.kind));
  const carrier = keys.map((k) => linked.get(k.hash)).find((l) => l !== undefined);
  const joinable =
    carrier !== undefined &&
    (linked.has(strongest.hash) || ![...(holds.get(carrier.childId) ?? [])].some((kind) => named.has(kind)));
  const childId = joinable ? carrier.childId : candidate;
  const evidence: EvidenceRow[] = [];
  const want = (hash: string, child: string, kind: EvidenceKind): void => {
    const held = owners.get(hash)?.has(child) ?? false;
    if (!held && !evidence.some((e) => e.hash === hash && e.childId === child)) {
      evidence.push({ hash, childId: child, kind });
    }
  };
  if (snapshot.evidence !== undefined) want(snapshot.evidence, childId, 'name-birth-date-postcode');
  for (const key of keys) {
    const other = linked.get(key.hash)?.childId;
    if (other === undefined || other === childId) continue;
    const conflict = snapshot.conflictOf(key);
    want(conflict, childId, 'identifier-conflict');
    want(conflict, other, 'identifier-conflict');
  }
  return { childId, links: keys.filter((k) => !linked.has(k.hash)), evidence };
}

/** Whether a decision writes nothing: every key linked to its child already, and no new evidence. */
export function writesNothing(decision: IdentityDecision): boolean {
  return decision.links.length === 0 && decision.evidence.length === 0;
}

export interface PeeredEvidence {
  childId: string;
  peers: string[];
}

/**
 * Pure: the same evidence rows, each pair of children kept only where it first appears, so one pass
 * raises one possible match per pair however many identifiers (or a name and an identifier) they share.
 */
export function distinctPairs<T extends PeeredEvidence>(rows: readonly T[]): T[] {
  const seen = new Set<string>();
  return rows.map((row) => ({
    ...row,
    peers: row.peers.filter((peer) => {
      const pair = [row.childId, peer].sort().join('|');
      if (peer === row.childId || seen.has(pair)) return false;
      seen.add(pair);
      return true;
    }),
  }));
}

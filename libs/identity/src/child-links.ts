/**
 * Links between hub child ids, a union layer over them: events stay with the hub child id they were
 * recorded under, and a child is every hub id its links join. A split removes one link, so undoing a
 * merge puts each event back with exactly the child it had before.
 */
export type LinkKind = 'merge' | 'unborn-to-born';

export interface ChildLink {
  linkId: string;
  kind: LinkKind;
  /** The child the other joins: the surviving record, or the baby. */
  childId: string;
  /** The record joined into it: the merged record, or the unborn child's. */
  linkedId: string;
}

export type LinkChange = { type: 'linked'; link: ChildLink } | { type: 'unlinked'; linkId: string };

/** The links in force, by link id. */
export type LinkState = ReadonlyMap<string, ChildLink>;

export const NO_LINKS: LinkState = new Map();

/** Pure: a link joins once (its id is its identity), and unlinking what is not linked changes nothing. */
export function evolveLinks(state: LinkState, change: LinkChange): LinkState {
  switch (change.type) {
    case 'linked': {
      if (state.has(change.link.linkId) || change.link.childId === change.link.linkedId) return state;
      return new Map(state).set(change.link.linkId, change.link);
    }
    case 'unlinked': {
      if (!state.has(change.linkId)) return state;
      const next = new Map(state);
      next.delete(change.linkId);
      return next;
    }
    default: {
      const exhaustive: never = change;
      return exhaustive;
    }
  }
}

/** Every hub id joined to `childId` by links in force, itself included, sorted. */
export function componentOf(links: Iterable<ChildLink>, childId: string): string[] {
  const neighbours = new Map<string, string[]>();
  for (const link of links) {
    neighbours.set(link.childId, [...(neighbours.get(link.childId) ?? []), link.linkedId]);
    neighbours.set(link.linkedId, [...(neighbours.get(link.linkedId) ?? []), link.childId]);
  }
  const seen = new Set([childId]);
  const queue = [childId];
  for (let next = queue.pop(); next !== undefined; next = queue.pop()) {
    for (const other of neighbours.get(next) ?? []) {
      if (!seen.has(other)) {
        seen.add(other);
        queue.push(other);
      }
    }
  }
  return [...seen].sort();
}

/**
 * The id a joined child answers to: a member that no link in force joins into another (the surviving
 * record, the baby), the smallest of those where there are several, so every reader agrees.
 */
export function canonicalOf(members: readonly string[], links: Iterable<ChildLink>): string {
  const joinedInto = new Set<string>();
  for (const link of links) joinedInto.add(link.linkedId);
  const sorted = [...members].sort();
  return sorted.find((id) => !joinedInto.has(id)) ?? sorted[0]!;
}

import type { Pool } from '@jigsaw/database';
import { readStoredEvent } from '@jigsaw/envelope';
import {
  canonicalOf,
  componentOf,
  evolveLinks,
  NO_LINKS,
  type LinkChange,
  type LinkState,
} from './child-links.js';
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

/**
 * Identity's link events (made or split) naming any of the ids `$1`, in the store's order: only the hub
 * records these types. The expression and the literal types are those of their index
 * (040_links_by_child.sql), so only those events are read.
 */
export const LINKS_TOUCHING = `SELECT payload FROM event_store.events
  WHERE type IN ('${CHILDREN_MERGED}', '${UNBORN_LINKED}', '${CHILDREN_SPLIT}')
    AND ARRAY[coalesce(payload #>> '{data,record,childId}', payload #>> '{data,childId}'),
              coalesce(payload #>> '{data,record,linkedId}', payload #>> '{data,linkedId}')] && $1::text[]
  ORDER BY transaction_id, global_position`;

/**
 * Which hub child ids are one child, from identity's link events as the store holds them: for a process
 * that reads the store itself and keeps no projection of the links (the audit service). Every event
 * committed counts, so a link is followed as soon as it is recorded. A link's events (made, split) all
 * name the same pair, so those found by either end give its state.
 */
export class StoredLinks {
  constructor(private readonly pool: Pool) {}

  /** The links in force that join `childId` to others, through any number of them. */
  private async linksOf(childId: string): Promise<{ state: LinkState; members: string[] }> {
    let state = NO_LINKS;
    const applied = new Set<string>();
    const asked = new Set<string>();
    let frontier = [childId];
    while (frontier.length > 0) {
      frontier.forEach((id) => asked.add(id));
      const { rows } = await this.pool.query<{ payload: unknown }>({
        name: 'stored-links.touching',
        text: LINKS_TOUCHING,
        values: [frontier],
      });
      for (const row of rows) {
        const event = readStoredEvent(row.payload);
        // Found again from its other end: applying a link a second time would undo its split.
        if (!isIdentityEvent(event) || applied.has(event.id)) continue;
        applied.add(event.id);
        const change = linkChangeOf(event);
        if (change) state = evolveLinks(state, change);
      }
      frontier = componentOf(state.values(), childId).filter((id) => !asked.has(id));
    }
    return { state, members: componentOf(state.values(), childId) };
  }

  /** Every hub child id linked into the same child as `childId`, itself included, sorted. */
  async membersOf(childId: string): Promise<string[]> {
    return (await this.linksOf(childId)).members;
  }

  /** The id the child answers to: the surviving record of a merge, the baby of an unborn link. */
  async canonicalOf(childId: string): Promise<string> {
    const { state, members } = await this.linksOf(childId);
    return canonicalOf(members, state.values());
  }
}

/** What a link event changes; the rest of identity's events change no link. */
function linkChangeOf(event: IdentityEvent): LinkChange | undefined {
  switch (event.type) {
    case CHILDREN_MERGED:
    case UNBORN_LINKED: {
      const { linkId, childId, linkedId } = event.data;
      const kind = event.type === CHILDREN_MERGED ? 'merge' : 'unborn-to-born';
      return { type: 'linked', link: { linkId, kind, childId, linkedId } };
    }
    case CHILDREN_SPLIT:
      return { type: 'unlinked', linkId: event.data.linkId };
    case CHILD_RENUMBERED:
    case POSSIBLE_MATCH_RAISED:
    case POSSIBLE_MATCH_CONFIRMED:
    case POSSIBLE_MATCH_REJECTED:
      return undefined;
    default: {
      const exhaustive: never = event;
      return exhaustive;
    }
  }
}

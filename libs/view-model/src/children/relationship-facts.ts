import type { Pool } from '@jigsaw/database';
import type { RecordedEvent } from '@jigsaw/envelope';
import { asTyped } from '@jigsaw/contracts';
import { foldRelationships, type Addressed, type Relationships } from '@jigsaw/sharing';
import { VIEW_SCHEMA } from '../view-schema.js';

/** What a child's relationships are folded from besides its history: read by the view and the audit service each from its own source. */
export interface RelationshipFacts {
  /** The notifications the hub addressed about the child (any of its linked hub ids), to whom and when. */
  addressed(members: readonly string[]): Promise<Addressed[]>;
  /** The organisation each of these school URNs is, where known. */
  schools(urns: readonly string[]): Promise<Map<string, string>>;
}

/** The view's: the notifications' inbox and school directory, read models in the view's schema. */
export function viewRelationshipFacts(pool: Pool): RelationshipFacts {
  return {
    async addressed(members) {
      const { rows } = await pool.query<{ organisation: string; at: Date }>({
        // Named: every read of a child asks it, so each connection plans it once.
        name: 'relationship-facts.addressed',
        text: `SELECT recipient_organisation AS organisation, created_at AS at FROM "${VIEW_SCHEMA}".notifications
         WHERE child_id = ANY($1::uuid[])`,
        values: [members],
      });
      return rows.map((r) => ({ organisation: r.organisation, at: r.at.toISOString() }));
    },
    async schools(urns) {
      const { rows } = await pool.query<{ urn: string; organisation: string }>(
        `SELECT urn, organisation FROM "${VIEW_SCHEMA}".notification_schools WHERE urn = ANY($1::text[])`,
        [urns],
      );
      return new Map(rows.map((r) => [r.urn, r.organisation]));
    },
  };
}

/** The school URNs the records name. */
function schoolUrnsOf(history: readonly RecordedEvent[]): string[] {
  const urns = history.map((e) => {
    const data = asTyped(e)?.data;
    return data && 'schoolUrn' in data ? data.schoolUrn : undefined;
  });
  return [...new Set(urns.filter((u): u is string => typeof u === 'string'))];
}

/**
 * Every organisation's relationship with the child whose linked hub ids are `members`, from its history
 * (in recorded order) and the notifications addressed about it.
 */
export async function relationshipsFrom(
  facts: RelationshipFacts,
  members: readonly string[],
  history: readonly RecordedEvent[],
): Promise<Relationships> {
  const urns = schoolUrnsOf(history);
  const [notified, byUrn] = await Promise.all([
    facts.addressed(members),
    // Most children's records name no school: no round trip for them.
    urns.length === 0 ? new Map<string, string>() : facts.schools(urns),
  ]);
  return foldRelationships(history, { addressed: notified, schoolByUrn: (urn) => byUrn.get(urn) });
}

/** `relationshipsFrom` the view's read models: for the view's gate. */
export function relationshipsOf(
  pool: Pool,
  members: readonly string[],
  history: readonly RecordedEvent[],
): Promise<Relationships> {
  return relationshipsFrom(viewRelationshipFacts(pool), members, history);
}

import type { Pool } from '@jigsaw/database';
import type { RecordedEvent } from '@jigsaw/envelope';
import { asTyped, KEY_ADULT_REGISTERED, NOTIFICATION_RAISED, PUPIL_ON_ROLL } from '@jigsaw/contracts';
import { foldRelationships, type Addressed, type Relationships } from '@jigsaw/sharing';

/** What a child's relationships are folded from besides its history. */
export interface RelationshipFacts {
  /** The notifications the hub addressed about the child (any of its linked hub ids), to whom and when. */
  addressed(members: readonly string[]): Promise<Addressed[]>;
  /** The organisation each of these school URNs is, where known. */
  schools(urns: readonly string[]): Promise<Map<string, string>>;
}

/** A field of the record, whichever envelope version stored it (`data` in v1, `data.record` from v2). */
const field = (path: string, as: '#>' | '#>>'): string =>
  `coalesce(payload ${as} '{data,record,${path}}', payload ${as} '{data,${path}}')`;
/** As text: the form the indexes of 041_relationship_facts.sql and 043_relationship_facts_schools.sql are on. */
const text = (path: string): string => field(path, '#>>');

/**
 * The notifications raised about any of `$1`. The expression and the literal type are those of their
 * index (041_relationship_facts.sql).
 */
export const NOTIFIED = `SELECT ${text('recipient,organisation')} AS organisation, ${text('raisedAt')} AS at
  FROM event_store.events
  WHERE type = '${NOTIFICATION_RAISED}' AND ${text('childId')} = ANY($1::text[])`;

/**
 * The organisation whose records last named each URN of `$1` as its school, with the school's name, as the
 * notifications' school directory learns them: the latest recorded wins. As indexed (043).
 */
export const SCHOOLS = `SELECT DISTINCT ON (urn) urn, organisation FROM (
    SELECT ${text('school,urn')} AS urn, ${field('school,urn', '#>')} AS urn_value,
      ${field('school,name', '#>')} AS name, source AS organisation,
      (payload ->> 'recordedtime')::timestamptz AS seen_at, transaction_id, global_position
    FROM event_store.events
    WHERE type IN ('${PUPIL_ON_ROLL}', '${KEY_ADULT_REGISTERED}')
      AND ${text('school,urn')} = ANY($1::text[])) s
  WHERE jsonb_typeof(urn_value) = 'string' AND jsonb_typeof(name) = 'string'
  ORDER BY urn, seen_at DESC, transaction_id DESC, global_position DESC`;

/**
 * The facts from the events themselves, the notification streams' raised events and the schools' own
 * records, read in the event store that every owner reads: the view's gate and the audit service's "as known
 * at" fold the same facts, and neither reads the notifications' read models.
 */
export function storedRelationshipFacts(pool: Pool): RelationshipFacts {
  return {
    async addressed(members) {
      const { rows } = await pool.query<{ organisation: string; at: string }>({
        name: 'stored-relationship-facts.addressed',
        text: NOTIFIED,
        values: [members],
      });
      return rows.map((r) => ({ organisation: r.organisation, at: new Date(r.at).toISOString() }));
    },
    async schools(urns) {
      const { rows } = await pool.query<{ urn: string; organisation: string }>(SCHOOLS, [urns]);
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

/** `relationshipsFrom` the facts in the store: for the view's gate. */
export function relationshipsOf(
  pool: Pool,
  members: readonly string[],
  history: readonly RecordedEvent[],
): Promise<Relationships> {
  return relationshipsFrom(storedRelationshipFacts(pool), members, history);
}

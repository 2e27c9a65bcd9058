import type { Pool } from '@jigsaw/database';
import type { RecordedEvent } from '@jigsaw/envelope';
import { asTyped } from '@jigsaw/contracts';
import { foldRelationships, type Addressed, type Relationships } from '@jigsaw/sharing';
import { VIEW_SCHEMA } from '../view-schema.js';

/** The notifications the hub addressed about the child (any of its linked hub ids), to whom and when. */
async function addressed(pool: Pool, members: readonly string[]): Promise<Addressed[]> {
  const { rows } = await pool.query<{ organisation: string; at: Date }>({
    // Named: every read of a child asks it, so each connection plans it once.
    name: 'relationship-facts.addressed',
    text: `SELECT recipient_organisation AS organisation, created_at AS at FROM "${VIEW_SCHEMA}".notifications
     WHERE child_id = ANY($1::uuid[])`,
    values: [members],
  });
  return rows.map((r) => ({ organisation: r.organisation, at: r.at.toISOString() }));
}

/** The schools the records name by URN, as the notification directory knows them. */
async function schools(pool: Pool, history: readonly RecordedEvent[]): Promise<Map<string, string>> {
  const urns = history.map((e) => {
    const data = asTyped(e)?.data;
    return data && 'schoolUrn' in data ? data.schoolUrn : undefined;
  });
  const named = [...new Set(urns.filter((u): u is string => typeof u === 'string'))];
  // Most children's records name no school: no round trip for them.
  if (named.length === 0) return new Map();
  const { rows } = await pool.query<{ urn: string; organisation: string }>(
    `SELECT urn, organisation FROM "${VIEW_SCHEMA}".notification_schools WHERE urn = ANY($1::text[])`,
    [named],
  );
  return new Map(rows.map((r) => [r.urn, r.organisation]));
}

/**
 * Every organisation's relationship with the child whose linked hub ids are `members`, from its history
 * (in recorded order) and the notifications addressed about it: for the view's gate and the audit service.
 */
export async function relationshipsOf(
  pool: Pool,
  members: readonly string[],
  history: readonly RecordedEvent[],
): Promise<Relationships> {
  const [notified, byUrn] = await Promise.all([addressed(pool, members), schools(pool, history)]);
  return foldRelationships(history, { addressed: notified, schoolByUrn: (urn) => byUrn.get(urn) });
}

import { createHash } from 'node:crypto';
import { withTransaction, type Pool, type PoolClient } from '@jigsaw/database';
import type { Agency } from '@jigsaw/envelope';
import type {
  Acknowledger,
  EscalationOutcome,
  NotificationDetails,
  NotificationKind,
  NotificationRecord,
  Queryable,
  Route,
} from '@jigsaw/view-model';

/** Names notification and delivery ids (RFC 9562 name-based UUIDs, version 5). */
const ID_NAMESPACE = Buffer.from('6c3f1d0e8b7a4f2e9d5c1a0b3e7f9a21', 'hex');

/**
 * The same name always gives the same id: a notification raised again (a replay, a rebuilt schema) has
 * the id it had, and so does its delivery, whose id receivers drop repeats by.
 */
export function nameBasedId(name: string): string {
  const hash = createHash('sha1').update(ID_NAMESPACE).update(name, 'utf8').digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The notifications' own schema: their tables and read models, and the marks of what they applied. */
export const NOTIFICATIONS_SCHEMA = Symbol('NOTIFICATIONS_SCHEMA');

/** Runs `work` in one transaction with the notifications' schema first on the search path. */
export function inSchema<T>(pool: Pool, schema: string, work: (tx: PoolClient) => Promise<T>): Promise<T> {
  return withTransaction(pool, async (tx) => {
    await tx.query(`SET LOCAL search_path TO "${schema}", public`);
    return work(tx);
  });
}

export interface NotificationRow {
  id: string;
  dedupe_key: string;
  kind: NotificationKind;
  child_id: string;
  trigger_event_key: string;
  recipient_organisation: string;
  recipient_agency: Agency;
  route: Route;
  details: NotificationDetails;
  escalation_of: string | null;
  due_at: Date | null;
  created_at: Date;
  acknowledged_at: Date | null;
  acknowledged_by: Acknowledger | null;
  escalated_at: Date | null;
  escalation_outcome: EscalationOutcome | null;
}

export function recordOf(row: NotificationRow): NotificationRecord {
  return {
    id: row.id,
    dedupeKey: row.dedupe_key,
    kind: row.kind,
    childId: row.child_id,
    triggerEventKey: row.trigger_event_key,
    recipient: { organisation: row.recipient_organisation, agency: row.recipient_agency },
    route: row.route,
    details: row.details,
    createdAt: row.created_at,
    ...(row.escalation_of ? { escalationOf: row.escalation_of } : {}),
    ...(row.due_at ? { dueAt: row.due_at } : {}),
    ...(row.acknowledged_at ? { acknowledgedAt: row.acknowledged_at } : {}),
    ...(row.acknowledged_by ? { acknowledgedBy: row.acknowledged_by } : {}),
    ...(row.escalated_at ? { escalatedAt: row.escalated_at } : {}),
    ...(row.escalation_outcome ? { escalationOutcome: row.escalation_outcome } : {}),
  };
}

/**
 * The notifications a recall must follow: those about `triggerEventKey` that a webhook may have carried to
 * an organisation other than the event's owner (delivered, or attempted). A delivery never attempted needs
 * no recall: the dispatcher cancels it when it finds the event no longer shared.
 */
export async function recallsFor(
  tx: Queryable,
  triggerEventKey: string,
  owner: string,
): Promise<{ notificationId: string; organisation: string }[]> {
  const { rows } = await tx.query<{ notification_id: string; organisation: string }>(
    `SELECT d.notification_id, d.organisation FROM notification_deliveries d
     JOIN notifications n ON n.id = d.notification_id
     WHERE n.trigger_event_key = $1 AND d.kind = 'notification' AND d.organisation <> $2
       AND (d.status = 'delivered' OR d.attempts > 0)`,
    [triggerEventKey, owner],
  );
  return rows.map((r) => ({ notificationId: r.notification_id, organisation: r.organisation }));
}

export async function findNotification(db: Queryable, id: string): Promise<NotificationRecord | undefined> {
  const { rows } = await db.query<NotificationRow>('SELECT * FROM notifications WHERE id = $1', [id]);
  return rows[0] ? recordOf(rows[0]) : undefined;
}

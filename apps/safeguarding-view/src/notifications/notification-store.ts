import { createHash } from 'node:crypto';
import { withTransaction, type Pool, type PoolClient } from '@jigsaw/database';
import type { Agency } from '@jigsaw/envelope';
import type { Queryable } from './child-history.js';
import type {
  Acknowledger,
  EscalationOutcome,
  NewNotification,
  NotificationDetails,
  NotificationKind,
  NotificationRecord,
  Route,
} from './notification.js';

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

/** The schema the notifications' read models live in, live or rebuilt. */
export const NOTIFICATIONS_SCHEMA = Symbol('NOTIFICATIONS_SCHEMA');

/** Runs `work` in one transaction with the read models' schema first on the search path. */
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
 * Stores new notifications, each with its webhook delivery when its organisation has a webhook: one
 * transaction, so a notification is never stored without its delivery or delivered without being stored.
 * A notification already stored under the same dedupe key is left as it was. Returns those stored now.
 */
export async function storeNotifications(
  tx: Queryable,
  notifications: readonly NewNotification[],
  now: Date,
  hasWebhook: (organisation: string) => boolean,
): Promise<NotificationRecord[]> {
  const unique = [...new Map(notifications.map((n) => [n.dedupeKey, n])).values()];
  if (unique.length === 0) return [];
  const { rows } = await tx.query<NotificationRow>(
    `INSERT INTO notifications (id, dedupe_key, kind, child_id, trigger_event_key, recipient_organisation,
       recipient_agency, route, details, escalation_of, due_at, created_at)
     SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::uuid[], $5::text[], $6::text[], $7::text[],
       $8::text[], $9::jsonb[], $10::uuid[], $11::timestamptz[], $12::timestamptz[])
     ON CONFLICT (dedupe_key) DO NOTHING
     RETURNING *`,
    [
      unique.map((n) => nameBasedId(`notification|${n.dedupeKey}`)),
      unique.map((n) => n.dedupeKey),
      unique.map((n) => n.kind),
      unique.map((n) => n.childId),
      unique.map((n) => n.triggerEventKey),
      unique.map((n) => n.recipient.organisation),
      unique.map((n) => n.recipient.agency),
      unique.map((n) => n.route),
      unique.map((n) => JSON.stringify(n.details)),
      unique.map((n) => n.escalationOf ?? null),
      unique.map((n) => n.dueAt ?? null),
      unique.map(() => now),
    ],
  );
  const delivered = rows.filter((row) => hasWebhook(row.recipient_organisation));
  if (delivered.length > 0) {
    await tx.query(
      `INSERT INTO notification_deliveries (id, notification_id, organisation, next_attempt_at, created_at)
       SELECT id, notification_id, organisation, $4, $4 FROM unnest($1::uuid[], $2::uuid[], $3::text[])
         AS d(id, notification_id, organisation)`,
      [
        delivered.map((row) => nameBasedId(`delivery|${row.id}|${row.recipient_organisation}`)),
        delivered.map((row) => row.id),
        delivered.map((row) => row.recipient_organisation),
        now,
      ],
    );
  }
  return rows.map(recordOf);
}

/**
 * Queues a recall to every organisation that may have received a notification about `triggerEventKey`
 * by webhook (delivered, or attempted), other than the event's owner. A delivery never attempted needs
 * no recall: the dispatcher cancels it when it finds the event no longer shared. Returns how many.
 */
export async function queueRecalls(
  tx: Queryable,
  triggerEventKey: string,
  owner: string,
  now: Date,
): Promise<number> {
  const { rows } = await tx.query<{ notification_id: string; organisation: string }>(
    `SELECT d.notification_id, d.organisation FROM notification_deliveries d
     JOIN notifications n ON n.id = d.notification_id
     WHERE n.trigger_event_key = $1 AND d.kind = 'notification' AND d.organisation <> $2
       AND (d.status = 'delivered' OR d.attempts > 0)`,
    [triggerEventKey, owner],
  );
  for (const row of rows) {
    await tx.query(
      `INSERT INTO notification_deliveries (id, notification_id, organisation, kind, next_attempt_at, created_at)
       VALUES ($1, $2, $3, 'recall', $4, $4)
       ON CONFLICT (notification_id, organisation, kind) DO NOTHING`,
      [
        nameBasedId(`recall|${row.notification_id}|${row.organisation}`),
        row.notification_id,
        row.organisation,
        now,
      ],
    );
  }
  return rows.length;
}

export async function findNotification(db: Queryable, id: string): Promise<NotificationRecord | undefined> {
  const { rows } = await db.query<NotificationRow>('SELECT * FROM notifications WHERE id = $1', [id]);
  return rows[0] ? recordOf(rows[0]) : undefined;
}

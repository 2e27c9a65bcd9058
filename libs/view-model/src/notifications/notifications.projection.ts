import type { PoolClient } from '@jigsaw/database';
import type { RecordedEvent } from '@jigsaw/envelope';
import type { Projection } from '@jigsaw/projection';
import {
  NOTIFICATION_ACKNOWLEDGED,
  NOTIFICATION_DELIVERED,
  NOTIFICATION_DELIVERY_FAILED,
  NOTIFICATION_ESCALATED,
  NOTIFICATION_RAISED,
  NOTIFICATION_RECALLED,
  type NotificationEvent,
} from './notification.events.js';

type NotificationRaised = Extract<NotificationEvent, { type: typeof NOTIFICATION_RAISED }>;

/**
 * Raised notifications into the inbox, and those delivered by webhook into the work-queue, as `apply` puts
 * them one at a time: in the order raised, a notification or delivery already there left as it is.
 */
async function insertRaised(tx: PoolClient, raised: readonly NotificationRaised[]): Promise<void> {
  if (raised.length === 0) return;
  const rows = raised.map(({ data: d }) => ({
    id: d.notificationId,
    dedupe_key: d.dedupeKey,
    kind: d.kind,
    child_id: d.childId,
    trigger_event_key: d.triggerEventKey,
    recipient_organisation: d.recipient.organisation,
    recipient_agency: d.recipient.agency,
    route: d.route,
    details: d.details,
    escalation_of: d.escalationOf ?? null,
    due_at: d.dueAt ?? null,
    created_at: d.raisedAt,
    delivery_id: d.delivery?.deliveryId ?? null,
  }));
  await tx.query(
    `WITH r AS (
       SELECT * FROM ROWS FROM (json_to_recordset($1::json) AS (id uuid, dedupe_key text, kind text, child_id uuid,
         trigger_event_key text, recipient_organisation text, recipient_agency text, route text, details jsonb,
         escalation_of uuid, due_at timestamptz, created_at timestamptz, delivery_id uuid))
       WITH ORDINALITY AS r(id, dedupe_key, kind, child_id, trigger_event_key, recipient_organisation,
         recipient_agency, route, details, escalation_of, due_at, created_at, delivery_id, ord)),
     inbox AS (
       INSERT INTO notifications (id, dedupe_key, kind, child_id, trigger_event_key, recipient_organisation,
         recipient_agency, route, details, escalation_of, due_at, created_at)
       SELECT id, dedupe_key, kind, child_id, trigger_event_key, recipient_organisation, recipient_agency, route,
         details, escalation_of, due_at, created_at FROM r ORDER BY ord
       ON CONFLICT DO NOTHING)
     INSERT INTO notification_deliveries (id, notification_id, organisation, next_attempt_at, created_at)
     SELECT delivery_id, id, recipient_organisation, created_at, created_at FROM r
     WHERE delivery_id IS NOT NULL ORDER BY ord
     ON CONFLICT DO NOTHING`,
    [JSON.stringify(rows)],
  );
}

/**
 * The inbox (`notifications`) and the webhook work-queue (`notification_deliveries`), made from the
 * notifications' streams: replay and rebuild make them again. The queue's lease is the dispatcher's own.
 */
export const notificationsReadModelProjection: Projection = {
  name: 'notifications-inbox',
  /** Each run of raised notifications in one statement a table; anything else in turn, in order. */
  async applyMany(tx: PoolClient, events: readonly RecordedEvent[]): Promise<void> {
    let raised: NotificationRaised[] = [];
    for (const event of events) {
      if (event.type === NOTIFICATION_RAISED) {
        raised.push(event as NotificationRaised);
        continue;
      }
      await insertRaised(tx, raised);
      raised = [];
      await notificationsReadModelProjection.apply(tx, event);
    }
    await insertRaised(tx, raised);
  },
  async apply(tx: PoolClient, event: RecordedEvent): Promise<void> {
    const e = event as NotificationEvent;
    switch (e.type) {
      case NOTIFICATION_RAISED: {
        const d = e.data;
        await tx.query(
          `INSERT INTO notifications (id, dedupe_key, kind, child_id, trigger_event_key, recipient_organisation,
             recipient_agency, route, details, escalation_of, due_at, created_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT DO NOTHING`,
          [
            d.notificationId,
            d.dedupeKey,
            d.kind,
            d.childId,
            d.triggerEventKey,
            d.recipient.organisation,
            d.recipient.agency,
            d.route,
            JSON.stringify(d.details),
            d.escalationOf ?? null,
            d.dueAt ?? null,
            d.raisedAt,
          ],
        );
        if (d.delivery) {
          await tx.query(
            `INSERT INTO notification_deliveries (id, notification_id, organisation, next_attempt_at, created_at)
             VALUES ($1, $2, $3, $4, $4) ON CONFLICT DO NOTHING`,
            [d.delivery.deliveryId, d.notificationId, d.recipient.organisation, d.raisedAt],
          );
        }
        return;
      }
      case NOTIFICATION_DELIVERED:
        await tx.query(
          `UPDATE notification_deliveries SET status = 'delivered', attempts = GREATEST(attempts, $2),
             lease_until = NULL, finished_at = $3, last_error = NULL
           WHERE id = $1`,
          [e.data.deliveryId, e.data.attempt, e.data.deliveredAt],
        );
        return;
      case NOTIFICATION_DELIVERY_FAILED: {
        const d = e.data;
        const status = d.outcome === 'cancelled' ? 'cancelled' : d.nextAttemptAt ? 'pending' : 'failed';
        await tx.query(
          `UPDATE notification_deliveries SET status = $2, attempts = GREATEST(attempts, $3), lease_until = NULL,
             next_attempt_at = COALESCE($4, next_attempt_at),
             finished_at = CASE WHEN $2 = 'pending' THEN NULL ELSE $5::timestamptz END, last_error = $6
           WHERE id = $1`,
          [d.deliveryId, status, d.attempt, d.nextAttemptAt ?? null, d.failedAt, d.reason],
        );
        return;
      }
      case NOTIFICATION_ACKNOWLEDGED:
        await tx.query(
          'UPDATE notifications SET acknowledged_at = $2, acknowledged_by = $3 WHERE id = $1 AND acknowledged_at IS NULL',
          [e.data.notificationId, e.data.acknowledgedAt, JSON.stringify(e.data.acknowledgedBy)],
        );
        return;
      case NOTIFICATION_ESCALATED:
        await tx.query(
          'UPDATE notifications SET escalated_at = $2, escalation_outcome = $3 WHERE id = $1 AND escalated_at IS NULL',
          [e.data.notificationId, e.data.escalatedAt, e.data.outcome],
        );
        return;
      case NOTIFICATION_RECALLED:
        await tx.query(
          `INSERT INTO notification_deliveries (id, notification_id, organisation, kind, next_attempt_at, created_at)
           VALUES ($1, $2, $3, 'recall', $4, $4) ON CONFLICT DO NOTHING`,
          [e.data.deliveryId, e.data.notificationId, e.data.organisation, e.data.recalledAt],
        );
        return;
    }
  },
};

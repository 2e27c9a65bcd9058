import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import type { Pool } from '@jigsaw/database';
import { DuplicateEventError, StreamVersionConflictError, type EventStore } from '@jigsaw/event-store';
import { EVENT_STORE, PG_POOL } from '@jigsaw/platform';
import { applyEvents } from '@jigsaw/projection';
import {
  decideNotification,
  evolveNotification,
  initialNotificationState,
  NOTIFICATIONS_SOURCE,
  NotificationRefused,
  notificationStreamOf,
  notificationsReadModelProjection,
  type NotificationCommand,
  type NotificationEvent,
} from '@jigsaw/view-model';
import { inSchema, NOTIFICATIONS_SCHEMA, recordOf, type NotificationRow } from './notification-store.js';

interface DeliveryRow {
  id: string;
  organisation: string;
  kind: 'notification' | 'recall';
  status: 'pending' | 'delivered' | 'failed' | 'cancelled';
  attempts: number;
  next_attempt_at: Date;
  created_at: Date;
  finished_at: Date | null;
  last_error: string | null;
  /** The last attempt's answer and start, from notification_delivery_attempts, where it was recorded. */
  http_status: number | null;
  started_at: Date | null;
}

/** A row written before notifications had streams, with what it needs to be told as events. */
export interface LegacyNotification {
  row: NotificationRow;
  deliveries: DeliveryRow[];
  /** The notifications raised to escalate it. */
  escalations: string[];
}

export interface BackfillResult {
  /** Notifications whose stream was written now. */
  backfilled: string[];
  /** Those another replica wrote first. */
  raced: string[];
  /** Those whose row the decider refuses (it is left as it is), with why. */
  refused: { id: string; reason: string }[];
}

/** The last attempt of a delivery, as the dispatcher would have recorded it had it recorded events. */
function outcomeOf(delivery: DeliveryRow): NotificationCommand | undefined {
  if (delivery.attempts === 0) return undefined;
  const base = { type: 'record-attempt' as const, deliveryId: delivery.id, attempt: delivery.attempts };
  const finished = delivery.finished_at ?? delivery.started_at ?? delivery.created_at;
  const httpStatus = delivery.http_status === null ? {} : { httpStatus: delivery.http_status };
  switch (delivery.status) {
    case 'delivered':
      return {
        ...base,
        now: finished,
        result: { outcome: 'delivered', httpStatus: delivery.http_status ?? 200 },
      };
    case 'cancelled':
      return {
        ...base,
        now: finished,
        result: { outcome: 'cancelled', reason: delivery.last_error ?? 'cancelled' },
      };
    case 'failed':
      return {
        ...base,
        now: finished,
        result: { outcome: 'failed', reason: delivery.last_error ?? 'failed', ...httpStatus },
      };
    case 'pending':
      return {
        ...base,
        now: delivery.started_at ?? delivery.created_at,
        result: { outcome: 'failed', reason: delivery.last_error ?? 'failed', ...httpStatus },
        retryAt: delivery.next_attempt_at,
      };
  }
}

/**
 * The commands that tell a legacy row's story, in an order the decider accepts: raised when the row was
 * made, its webhook delivery's last attempt, any recall and its last attempt, the escalation, then the
 * acknowledgement (an escalated notification may still be acknowledged; the other way round is refused).
 */
export function commandsFor({ row, deliveries, escalations }: LegacyNotification): NotificationCommand[] {
  const record = recordOf(row);
  const delivery = deliveries.find((d) => d.kind === 'notification');
  const commands: NotificationCommand[] = [
    {
      type: 'raise',
      now: row.created_at,
      notificationId: row.id,
      notification: {
        dedupeKey: record.dedupeKey,
        kind: record.kind,
        childId: record.childId,
        triggerEventKey: record.triggerEventKey,
        recipient: record.recipient,
        route: record.route,
        details: record.details,
        ...(record.escalationOf ? { escalationOf: record.escalationOf } : {}),
        ...(record.dueAt ? { dueAt: record.dueAt } : {}),
      },
      ...(delivery ? { deliveryId: delivery.id } : {}),
    },
  ];
  const attempted = delivery && outcomeOf(delivery);
  if (attempted) commands.push(attempted);
  for (const recall of deliveries.filter((d) => d.kind === 'recall')) {
    commands.push({
      type: 'recall',
      now: recall.created_at,
      organisation: recall.organisation,
      deliveryId: recall.id,
    });
    const outcome = outcomeOf(recall);
    if (outcome) commands.push(outcome);
  }
  if (row.escalated_at && row.escalation_outcome) {
    commands.push({ type: 'escalate', now: row.escalated_at, outcome: row.escalation_outcome, escalations });
  }
  if (row.acknowledged_at && row.acknowledged_by) {
    commands.push({ type: 'acknowledge', now: row.acknowledged_at, by: row.acknowledged_by });
  }
  return commands;
}

/** What the decider makes of the commands, one after another; throws NotificationRefused as it does. */
export function eventsFor(legacy: LegacyNotification): NotificationEvent[] {
  let state = initialNotificationState;
  const events: NotificationEvent[] = [];
  for (const command of commandsFor(legacy)) {
    for (const event of decideNotification(state, command)) {
      events.push(event);
      state = evolveNotification(state, event);
    }
  }
  return events;
}

/** Notification rows whose raise was never applied as an event: written before notifications had streams. */
async function legacyNotifications(pool: Pool, schema: string, limit: number): Promise<LegacyNotification[]> {
  return inSchema(pool, schema, async (tx) => {
    const { rows } = await tx.query<NotificationRow>(
      `SELECT n.* FROM notifications n
       WHERE NOT EXISTS (SELECT 1 FROM applied_events a WHERE a.event_key = $1 || n.id::text)
       ORDER BY n.created_at, n.id LIMIT $2`,
      [`${NOTIFICATIONS_SOURCE}|raised-`, limit],
    );
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.id);
    const deliveries = await tx.query<DeliveryRow & { notification_id: string }>(
      `SELECT d.*, a.http_status, a.started_at FROM notification_deliveries d
       LEFT JOIN notification_delivery_attempts a ON a.delivery_id = d.id AND a.attempt = d.attempts
       WHERE d.notification_id = ANY($1::uuid[]) ORDER BY d.created_at, d.id`,
      [ids],
    );
    const escalations = await tx.query<{ id: string; escalation_of: string }>(
      `SELECT id, escalation_of FROM notifications WHERE escalation_of = ANY($1::uuid[]) ORDER BY created_at, id`,
      [ids],
    );
    return rows.map((row) => ({
      row,
      deliveries: deliveries.rows.filter((d) => d.notification_id === row.id),
      escalations: escalations.rows.filter((e) => e.escalation_of === row.id).map((e) => e.id),
    }));
  });
}

/**
 * Gives every notification written before notifications had streams its stream, so that replay and rebuild
 * make it again. Each one's events are decided from its rows and appended to a new stream; in the same
 * transaction its rows are replaced by their projection from those events, so the live rows are exactly
 * what a rebuild makes. Safe to run again and in several replicas at once: a notification with a stream is
 * never touched. Returns what it did, by notification id (ids only: no personal data).
 */
export async function backfillNotifications(
  pool: Pool,
  store: EventStore,
  schema: string,
  batch = 100,
): Promise<BackfillResult> {
  const result: BackfillResult = { backfilled: [], raced: [], refused: [] };
  const seen = new Set<string>();
  for (;;) {
    const legacy = (await legacyNotifications(pool, schema, batch + seen.size)).filter(
      (l) => !seen.has(l.row.id),
    );
    if (legacy.length === 0) return result;
    for (const notification of legacy) {
      const { id } = notification.row;
      seen.add(id);
      let events: NotificationEvent[];
      try {
        events = eventsFor(notification);
      } catch (error) {
        if (!(error instanceof NotificationRefused)) throw error;
        result.refused.push({ id, reason: error.code });
        continue;
      }
      try {
        await store.append(notificationStreamOf(id), events, {
          expectedVersion: 'no-stream',
          before: async (tx) => {
            await tx.query(`DELETE FROM "${schema}".notification_deliveries WHERE notification_id = $1`, [
              id,
            ]);
            await tx.query(`DELETE FROM "${schema}".notifications WHERE id = $1`, [id]);
            await applyEvents(tx, schema, [notificationsReadModelProjection], events);
          },
        });
        result.backfilled.push(id);
      } catch (error) {
        if (!(error instanceof StreamVersionConflictError || error instanceof DuplicateEventError))
          throw error;
        result.raced.push(id);
      }
    }
  }
}

/** Runs the backfill once as the notifications service starts, before the scheduler's first delivery or escalation. */
@Injectable()
export class NotificationBackfill implements OnModuleInit {
  private readonly logger = new Logger('notification-backfill');

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(NOTIFICATIONS_SCHEMA) private readonly schema: string,
  ) {}

  async onModuleInit(): Promise<void> {
    const { backfilled, raced, refused } = await backfillNotifications(this.pool, this.store, this.schema);
    if (backfilled.length + raced.length + refused.length === 0) return;
    this.logger.log(`gave ${backfilled.length} notifications written before streams their streams`);
    for (const { id, reason } of refused) {
      this.logger.warn(`notification ${id} left without a stream: its rows are refused (${reason})`);
    }
  }
}

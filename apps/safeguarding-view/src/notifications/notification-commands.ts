import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from '@jigsaw/database';
import { DuplicateEventError, StreamVersionConflictError, type EventStore } from '@jigsaw/event-store';
import { EVENT_STORE, PG_POOL } from '@jigsaw/platform';
import { applyEvents } from '@jigsaw/projection';
import {
  decideNotification,
  evolveNotification,
  foldNotification,
  notificationStreamOf,
  notificationsReadModelProjection,
  type NewNotification,
  type NotificationCommand,
  type NotificationEvent,
  type NotificationState,
} from '@jigsaw/view-model';
import type { Queryable } from './child-history.js';
import { inSchema, nameBasedId, NOTIFICATIONS_SCHEMA } from './notification-store.js';

/** A decided change waiting to be recorded: written with the agency event that caused it. */
type Intent =
  | { kind: 'raise'; notification: Omit<NewNotification, 'dueAt'> & { dueAt?: string }; hasWebhook: boolean }
  | { kind: 'recall'; notificationId: string; organisation: string };

const MOST_TRIES = 5;

export function notificationIdOf(notification: Pick<NewNotification, 'dedupeKey'>): string {
  return nameBasedId(`notification|${notification.dedupeKey}`);
}

/**
 * The one way a notification changes: read its stream, fold it, let the decider decide with the time given,
 * and append what it decided. The inbox and the work-queue are projected in the append's transaction, so
 * they never lag the stream. A writer that got in between makes it read and decide again.
 */
@Injectable()
export class NotificationCommands {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(NOTIFICATIONS_SCHEMA) private readonly schema: string,
  ) {}

  async handle(
    notificationId: string,
    command: NotificationCommand,
  ): Promise<{ events: NotificationEvent[]; state: NotificationState }> {
    const stream = notificationStreamOf(notificationId);
    for (let attempt = 1; ; attempt++) {
      const history = (await this.store.readStream(stream)).map((stored) => stored.event);
      const state = foldNotification(history);
      const events = decideNotification(state, command);
      if (events.length === 0) return { events, state };
      try {
        await this.store.append(stream, events, {
          expectedVersion: history.length === 0 ? 'no-stream' : history.length,
          before: async (tx) => {
            await applyEvents(tx, this.schema, [notificationsReadModelProjection], events);
          },
        });
        return { events, state: events.reduce(evolveNotification, state) };
      } catch (error) {
        // Another writer got in first (a second replica deciding the same): read what it wrote, decide again.
        const raced = error instanceof StreamVersionConflictError || error instanceof DuplicateEventError;
        if (!raced || attempt >= MOST_TRIES) throw error;
      }
    }
  }

  /** Raises each notification not raised before, with its webhook delivery where it has one; resolves with their ids. */
  async raise(
    notifications: readonly NewNotification[],
    now: Date,
    hasWebhook: (organisation: string) => boolean,
  ): Promise<string[]> {
    const unique = [...new Map(notifications.map((n) => [n.dedupeKey, n])).values()];
    const ids: string[] = [];
    for (const notification of unique) {
      const id = notificationIdOf(notification);
      const organisation = notification.recipient.organisation;
      await this.handle(id, {
        type: 'raise',
        now,
        notificationId: id,
        notification,
        ...(hasWebhook(organisation) ? { deliveryId: nameBasedId(`delivery|${id}|${organisation}`) } : {}),
      });
      ids.push(id);
    }
    return ids;
  }

  /**
   * Records what the projection decided in the agency event's transaction: raised, or recalled, once the
   * transaction commits. Recording is idempotent, so intents are simply deleted once recorded.
   */
  static async intend(tx: Queryable, intents: readonly Intent[], now: Date): Promise<void> {
    if (intents.length === 0) return;
    const keyOf = (intent: Intent): string =>
      intent.kind === 'raise'
        ? `raise|${intent.notification.dedupeKey}`
        : `recall|${intent.notificationId}|${intent.organisation}`;
    await tx.query(
      `INSERT INTO notification_intents (intent_key, intent, decided_at)
       SELECT * FROM unnest($1::text[], $2::jsonb[], $3::timestamptz[]) ON CONFLICT DO NOTHING`,
      [intents.map(keyOf), intents.map((i) => JSON.stringify(i)), intents.map(() => now)],
    );
  }

  /** Records the intents waiting, oldest first; resolves with how many. Safe to run in several replicas at once. */
  async recordIntents(limit = 100): Promise<number> {
    const { rows } = await inSchema(this.pool, this.schema, (tx) =>
      tx.query<{ intent_key: string; intent: Intent; decided_at: Date }>(
        'SELECT intent_key, intent, decided_at FROM notification_intents ORDER BY decided_at, intent_key LIMIT $1',
        [limit],
      ),
    );
    for (const { intent_key: key, intent, decided_at: at } of rows) {
      if (intent.kind === 'raise') {
        const { dueAt, ...rest } = intent.notification;
        await this.raise(
          [{ ...rest, ...(dueAt ? { dueAt: new Date(dueAt) } : {}) }],
          at,
          () => intent.hasWebhook,
        );
      } else {
        const { notificationId, organisation } = intent;
        await this.handle(notificationId, {
          type: 'recall',
          now: at,
          organisation,
          deliveryId: nameBasedId(`recall|${notificationId}|${organisation}`),
        });
      }
      await inSchema(this.pool, this.schema, (tx) =>
        tx.query('DELETE FROM notification_intents WHERE intent_key = $1', [key]),
      );
    }
    return rows.length;
  }
}

export type { Intent as NotificationIntent };

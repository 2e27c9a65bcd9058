import { Inject, Injectable, type Logger } from '@nestjs/common';
import type { Pool } from '@jigsaw/database';
import {
  DuplicateEventError,
  handleCommand,
  StreamsConflictError,
  type EventStore,
  type StreamAppend,
} from '@jigsaw/event-store';
import { EVENT_STORE, PG_POOL } from '@jigsaw/platform';
import { applyEvents } from '@jigsaw/projection';
import {
  decideNotification,
  foldNotification,
  intendNotifications,
  notificationDecider,
  notificationStreamOf,
  notificationsReadModelProjection,
  type NewNotification,
  type NotificationCommand,
  type NotificationIntent as Intent,
  type NotificationEvent,
  type NotificationState,
  type Queryable,
} from '@jigsaw/view-model';
import { inSchema, nameBasedId, NOTIFICATIONS_SCHEMA } from './notification-store.js';

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
    const { events, state } = await handleCommand(
      this.store,
      notificationStreamOf(notificationId),
      notificationDecider,
      command,
      {
        before: async (tx, decided) => {
          await applyEvents(tx, this.schema, [notificationsReadModelProjection], decided);
        },
      },
    );
    return { events: [...events], state };
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
      const { id, command } = raiseOf(notification, now, hasWebhook(notification.recipient.organisation));
      await this.handle(id, command);
      ids.push(id);
    }
    return ids;
  }

  /**
   * Records what the projection decided in the agency event's transaction: raised, or recalled, once the
   * transaction commits. Recording is idempotent, so intents are simply deleted once recorded.
   */
  static intend(tx: Queryable, intents: readonly Intent[], now: Date): Promise<void> {
    return intendNotifications(tx, intents, now);
  }

  /**
   * Records the intents waiting, oldest first, up to `limit`; resolves with how many. Raises are recorded as
   * a set where the store can (every stream read in one query, every new notification appended in one
   * statement with its read model rows and the intents' deletion), one at a time otherwise or when another
   * writer got in between. Safe to run in several replicas at once: recording is idempotent.
   */
  async recordIntents(limit = 500): Promise<number> {
    const { rows } = await inSchema(this.pool, this.schema, (tx) =>
      tx.query<WaitingIntent>(
        'SELECT intent_key, intent, decided_at FROM notification_intents ORDER BY decided_at, intent_key LIMIT $1',
        [limit],
      ),
    );
    const raises = rows.filter((row) => row.intent.kind === 'raise');
    const left = (await this.raiseAll(raises)) ? rows.filter((row) => row.intent.kind !== 'raise') : rows;
    for (const row of left) await this.recordOne(row);
    return rows.length;
  }

  /** Records the intents a consumer's batch has just committed, now rather than at the next tick. */
  async recordCommitted(logger: Logger): Promise<void> {
    await this.recordIntents().catch((error: unknown) =>
      logger.warn(`notification intents left for the next tick: ${(error as Error).message}`),
    );
  }

  /** Records every waiting intent, a set at a time; resolves with how many. */
  async recordAllIntents(limit = 500): Promise<number> {
    let recorded = 0;
    for (let n = limit; n === limit; recorded += n) n = await this.recordIntents(limit);
    return recorded;
  }

  /** The raises as one set; false when the store cannot or another writer got in between (nothing written). */
  private async raiseAll(rows: readonly WaitingIntent[]): Promise<boolean> {
    const store = this.store;
    if (rows.length === 0) return true;
    if (!store.readStreams || !store.appendMany) return false;
    const commands = rows.map((row) => ({ key: row.intent_key, ...raiseOfIntent(row) }));
    const histories = await store.readStreams(commands.map((c) => notificationStreamOf(c.id)));
    const appends: StreamAppend[] = [];
    const decided = new Set<string>();
    for (const { id, command } of commands) {
      const stream = notificationStreamOf(id);
      if (decided.has(stream)) continue;
      decided.add(stream);
      const history = (histories.get(stream) ?? []).map((stored) => stored.event);
      const events = decideNotification(foldNotification(history), command);
      if (events.length === 0) continue;
      appends.push({
        streamId: stream,
        events,
        expectedVersion: history.length === 0 ? 'no-stream' : history.length,
      });
    }
    const done = commands.map((c) => c.key);
    const forget = (tx: Queryable): Promise<unknown> =>
      tx.query('DELETE FROM notification_intents WHERE intent_key = ANY($1::text[])', [done]);
    if (appends.length === 0) {
      await inSchema(this.pool, this.schema, forget);
      return true;
    }
    try {
      await store.appendMany(appends, {
        before: async (tx) => {
          await applyEvents(
            tx,
            this.schema,
            [notificationsReadModelProjection],
            appends.flatMap((a) => a.events),
          );
          await forget(tx);
        },
      });
      return true;
    } catch (error) {
      if (error instanceof StreamsConflictError || error instanceof DuplicateEventError) return false;
      throw error;
    }
  }

  /** One intent through `handle`, which reads and decides again when another writer got in first. */
  private async recordOne(row: WaitingIntent): Promise<void> {
    const { intent, intent_key: key, decided_at: at } = row;
    if (intent.kind === 'raise') {
      const { id, command } = raiseOfIntent(row);
      await this.handle(id, command);
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
}

interface WaitingIntent {
  intent_key: string;
  intent: Intent;
  decided_at: Date;
}

/** The command that raises a notification, and its id, with its webhook delivery where it has one. */
function raiseOf(
  notification: NewNotification,
  now: Date,
  hasWebhook: boolean,
): { id: string; command: NotificationCommand } {
  const id = notificationIdOf(notification);
  const organisation = notification.recipient.organisation;
  return {
    id,
    command: {
      type: 'raise',
      now,
      notificationId: id,
      notification,
      ...(hasWebhook ? { deliveryId: nameBasedId(`delivery|${id}|${organisation}`) } : {}),
    },
  };
}

/** The same for a waiting intent to raise, decided at its own moment. */
function raiseOfIntent(row: WaitingIntent): { id: string; command: NotificationCommand } {
  const intent = row.intent as Extract<Intent, { kind: 'raise' }>;
  const { dueAt, ...rest } = intent.notification;
  return raiseOf(
    { ...rest, ...(dueAt ? { dueAt: new Date(dueAt) } : {}) },
    row.decided_at,
    intent.hasWebhook,
  );
}

export type { Intent as NotificationIntent };

import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Pool } from '@jigsaw/database';
import type { EventStore } from '@jigsaw/event-store';
import { EVENT_STORE, PG_POOL, SERVICE_CONFIG } from '@jigsaw/platform';
import { foldNotification, notificationStreamOf, NotificationRefused } from '@jigsaw/view-model';
import { ChildHistoryReader } from './child-history.js';
import { CLOCK, type Clock } from './clock.js';
import { decideEscalation } from './escalation.rules.js';
import { NotificationCommands } from './notification-commands.js';
import { inSchema, NOTIFICATIONS_SCHEMA, recordOf, type NotificationRow } from './notification-store.js';
import { hasWebhookIn, type NotificationSettings } from './notifications.config.js';

/**
 * Escalates notifications not acknowledged by their deadline: raises the escalations, each a notification
 * of its own, then records hub.notification-escalated on the original. Both are decided on the streams, so
 * several instances may look at the same notification and it is still escalated once.
 */
@Injectable()
export class Escalator {
  private readonly logger = new Logger('notification-escalation');
  private readonly hasWebhook: (organisation: string) => boolean;

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(NOTIFICATIONS_SCHEMA) private readonly schema: string,
    @Inject(SERVICE_CONFIG) settings: NotificationSettings,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly children: ChildHistoryReader,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly commands: NotificationCommands,
  ) {
    this.hasWebhook = hasWebhookIn(settings);
  }

  /** Escalates up to `limit` overdue notifications; resolves with how many were looked at. */
  async escalateOverdue(limit = 100): Promise<number> {
    const now = this.clock.now();
    const rows = await inSchema(this.pool, this.schema, async (tx) => {
      const { rows } = await tx.query<NotificationRow>(
        `SELECT * FROM notifications
         WHERE acknowledged_at IS NULL AND escalated_at IS NULL AND due_at <= $1
         ORDER BY due_at LIMIT $2`,
        [now, limit],
      );
      return rows;
    });
    for (const row of rows) {
      const original = recordOf(row);
      // Its stream, not the inbox, says whether it is still to escalate: another instance may have done it.
      const state = foldNotification(
        (await this.store.readStream(notificationStreamOf(original.id))).map((s) => s.event),
      );
      if (state.acknowledged || state.escalated) continue;
      const history = await inSchema(this.pool, this.schema, (tx) =>
        this.children.read(tx, original.childId),
      );
      const { outcome, notifications } = decideEscalation(original, history, now);
      const escalations = await this.commands.raise(notifications, now, this.hasWebhook);
      try {
        await this.commands.handle(original.id, { type: 'escalate', now, outcome, escalations });
      } catch (error) {
        // Acknowledged in the moment between: it stands acknowledged, and is not escalated.
        if (!(error instanceof NotificationRefused && error.code === 'acknowledged')) throw error;
        this.logger.warn(`notification ${original.id} was acknowledged as it was escalated`);
        continue;
      }
      if (outcome === 'not-shared') this.logger.log(`notification ${original.id} fell due no longer shared`);
    }
    return rows.length;
  }
}

import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Pool } from '@jigsaw/database';
import { PG_POOL, SERVICE_CONFIG } from '@jigsaw/platform';
import { ChildHistoryReader } from './child-history.js';
import { CLOCK, type Clock } from './clock.js';
import { decideEscalation } from './escalation.rules.js';
import {
  inSchema,
  NOTIFICATIONS_SCHEMA,
  recordOf,
  storeNotifications,
  type NotificationRow,
} from './notification-store.js';
import { parseWebhooks, type NotificationSettings } from './notifications.config.js';

/**
 * Escalates notifications not acknowledged by their deadline. Each is escalated once, in the transaction
 * that stores its escalations and their deliveries; several instances share the work without overlap.
 */
@Injectable()
export class Escalator {
  private readonly logger = new Logger('notification-escalation');
  private readonly webhookOrganisations: ReadonlySet<string>;

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(NOTIFICATIONS_SCHEMA) private readonly schema: string,
    @Inject(SERVICE_CONFIG) settings: NotificationSettings,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly children: ChildHistoryReader,
  ) {
    this.webhookOrganisations = new Set(
      parseWebhooks(settings.NOTIFICATION_WEBHOOKS).map((w) => w.organisation),
    );
  }

  /** Escalates up to `limit` overdue notifications; resolves with how many were looked at. */
  async escalateOverdue(limit = 100): Promise<number> {
    const now = this.clock.now();
    return inSchema(this.pool, this.schema, async (tx) => {
      const { rows } = await tx.query<NotificationRow>(
        `SELECT * FROM notifications
         WHERE acknowledged_at IS NULL AND escalated_at IS NULL AND due_at <= $1
         ORDER BY due_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
        [now, limit],
      );
      for (const row of rows) {
        const original = recordOf(row);
        const history = await this.children.read(tx, original.childId);
        const { outcome, notifications } = decideEscalation(original, history, now);
        await storeNotifications(tx, notifications, now, (o) => this.webhookOrganisations.has(o));
        await tx.query('UPDATE notifications SET escalated_at = $2, escalation_outcome = $3 WHERE id = $1', [
          original.id,
          now,
          outcome,
        ]);
        if (outcome === 'not-shared')
          this.logger.log(`notification ${original.id} fell due no longer shared`);
      }
      return rows.length;
    });
  }
}

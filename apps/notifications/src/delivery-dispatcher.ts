import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Pool } from '@jigsaw/database';
import { PG_POOL, SERVICE_CONFIG } from '@jigsaw/platform';
import { NotificationRefused, type NotificationCommand } from '@jigsaw/view-model';
import { ChildHistoryReader } from './child-history.js';
import { CLOCK, type Clock } from './clock.js';
import { NotificationCommands } from './notification-commands.js';
import { findNotification, inSchema, NOTIFICATIONS_SCHEMA } from './notification-store.js';
import { notificationForSystem, type NotificationView } from './notification-view.js';
import { parseWebhooks, type NotificationSettings, type Webhook } from './notifications.config.js';
import { signedHeaders } from './webhook-signature.js';

/** What a webhook receives. */
export type DeliveryBody =
  | {
      type: 'notification.created' | 'notification.escalated';
      deliveryId: string;
      notification: NotificationView;
    }
  | {
      type: 'notification.recalled';
      deliveryId: string;
      /** The notification to take back: its event's owner retracted it, withdrew consent, or restricted it. */
      notificationId: string;
      reason: RecallReason;
    };

export type RecallReason = 'retracted' | 'consent-withdrawn' | 'restricted';

interface Claimed {
  id: string;
  notification_id: string;
  organisation: string;
  kind: 'notification' | 'recall';
  attempts: number;
}

type Outcome =
  | { outcome: 'delivered'; httpStatus: number }
  | { outcome: 'failed'; httpStatus?: number; error: string }
  | { outcome: 'cancelled'; error: string };

/** How long to wait after a failed attempt: doubling from the base, capped. */
export function retryDelayMs(attempt: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** Math.min(Math.max(attempt - 1, 0), 30));
}

/** A failure's reason without anything the receiver said: bodies are theirs, and may hold anything. */
function reasonOf(error: unknown): string {
  const e = error as { name?: string; message?: string; cause?: { code?: string } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return 'timed out';
  return (e?.cause?.code ?? e?.message ?? 'failed').slice(0, 200);
}

/**
 * Sends the outbox of webhook deliveries. Each attempt is claimed by a lease committed before the POST
 * and recorded after it, so every attempt is on record, a crash mid-attempt leaves the lease to run out
 * and the delivery is tried again: at least once, with the same `webhook-id` for the receiver to drop a
 * repeat. Each outcome is an event on the notification's stream; failures are retried with a doubling
 * delay until the attempts run out.
 */
@Injectable()
export class DeliveryDispatcher {
  private readonly logger = new Logger('notification-delivery');
  private readonly webhooks: ReadonlyMap<string, Webhook>;

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(NOTIFICATIONS_SCHEMA) private readonly schema: string,
    @Inject(SERVICE_CONFIG) private readonly settings: NotificationSettings,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly children: ChildHistoryReader,
    private readonly commands: NotificationCommands,
  ) {
    this.webhooks = new Map(parseWebhooks(settings.NOTIFICATION_WEBHOOKS).map((w) => [w.organisation, w]));
  }

  /** Claims up to `limit` due deliveries and attempts each once; resolves with how many were attempted. */
  async dispatchDue(limit = 20): Promise<number> {
    const claimed = await this.claim(limit);
    await Promise.all(claimed.map((delivery) => this.attempt(delivery)));
    return claimed.length;
  }

  private claim(limit: number): Promise<Claimed[]> {
    const now = this.clock.now();
    // The lease outlasts the POST's timeout, so a live attempt is never taken over.
    const leaseUntil = new Date(now.getTime() + this.settings.NOTIFICATION_HTTP_TIMEOUT_MS + 5_000);
    return inSchema(this.pool, this.schema, async (tx) => {
      const { rows } = await tx.query<Claimed>(
        `WITH due AS (
           SELECT id FROM notification_deliveries
           WHERE status = 'pending' AND next_attempt_at <= $1 AND (lease_until IS NULL OR lease_until <= $1)
           ORDER BY next_attempt_at LIMIT $2 FOR UPDATE SKIP LOCKED)
         UPDATE notification_deliveries d SET attempts = d.attempts + 1, lease_until = $3
         FROM due WHERE d.id = due.id
         RETURNING d.id, d.notification_id, d.organisation, d.kind, d.attempts`,
        [now, limit, leaseUntil],
      );
      if (rows.length === 0) return [];
      const ids = rows.map((r) => r.id);
      // An attempt left unfinished is one a crash cut off.
      await tx.query(
        `UPDATE notification_delivery_attempts SET outcome = 'interrupted', finished_at = $2
         WHERE delivery_id = ANY($1::uuid[]) AND finished_at IS NULL`,
        [ids, now],
      );
      await tx.query(
        `INSERT INTO notification_delivery_attempts (delivery_id, attempt, started_at)
         SELECT * FROM unnest($1::uuid[], $2::int[], $3::timestamptz[])`,
        [ids, rows.map((r) => r.attempts), rows.map(() => now)],
      );
      return rows;
    });
  }

  private async attempt(delivery: Claimed): Promise<void> {
    let result: Outcome;
    try {
      result = await this.send(delivery);
    } catch (error) {
      result = { outcome: 'failed', error: reasonOf(error) };
    }
    await this.record(delivery, result);
  }

  private async send(delivery: Claimed): Promise<Outcome> {
    const webhook = this.webhooks.get(delivery.organisation);
    if (!webhook) return { outcome: 'cancelled', error: 'the organisation has no webhook any more' };
    const now = this.clock.now();
    const body = await inSchema(this.pool, this.schema, async (tx) => {
      const record = await findNotification(tx, delivery.notification_id);
      if (!record) return undefined;
      const history = await this.children.read(tx, record.childId);
      if (delivery.kind === 'recall') {
        const trigger = history.find(record.triggerEventKey);
        const state = trigger ? history.stateOf(trigger) : undefined;
        const reason: RecallReason | undefined = state?.retracted
          ? 'retracted'
          : state?.withdrawn
            ? 'consent-withdrawn'
            : state?.restricted
              ? 'restricted'
              : undefined;
        // A restriction lifted before the recall went out leaves nothing to take back.
        if (!reason) return undefined;
        const recall: DeliveryBody = {
          type: 'notification.recalled',
          deliveryId: delivery.id,
          notificationId: record.id,
          reason,
        };
        return JSON.stringify(recall);
      }
      const notification = notificationForSystem(record, history, now);
      if (!notification) return undefined;
      const payload: DeliveryBody = {
        type: record.kind === 'escalation' ? 'notification.escalated' : 'notification.created',
        deliveryId: delivery.id,
        notification,
      };
      return JSON.stringify(payload);
    });
    if (body === undefined) {
      return {
        outcome: 'cancelled',
        error:
          delivery.kind === 'recall' ? 'the event stands again' : 'the event is no longer shared with them',
      };
    }
    const response = await fetch(webhook.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...signedHeaders(
          webhook.keys,
          { id: delivery.id, notificationId: delivery.notification_id },
          body,
          now,
        ),
      },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(this.settings.NOTIFICATION_HTTP_TIMEOUT_MS),
    });
    // The receiver's answer is not ours to keep; reading it frees the connection.
    await response.arrayBuffer().catch(() => undefined);
    if (response.status >= 200 && response.status < 300)
      return { outcome: 'delivered', httpStatus: response.status };
    return { outcome: 'failed', httpStatus: response.status, error: `answered ${response.status}` };
  }

  /**
   * Records the attempt: its row among the attempts, and its outcome on the notification's stream
   * (hub.notification-delivered or -delivery-failed), which moves the work-queue on.
   */
  private async record(delivery: Claimed, result: Outcome): Promise<void> {
    const now = this.clock.now();
    const { NOTIFICATION_RETRY_BASE_MS: base, NOTIFICATION_RETRY_MAX_MS: max } = this.settings;
    const exhausted = delivery.attempts >= this.settings.NOTIFICATION_MAX_ATTEMPTS;
    await inSchema(this.pool, this.schema, (tx) =>
      tx.query(
        `UPDATE notification_delivery_attempts SET finished_at = $3, outcome = $4, http_status = $5, error = $6
         WHERE delivery_id = $1 AND attempt = $2 AND finished_at IS NULL`,
        [
          delivery.id,
          delivery.attempts,
          now,
          result.outcome,
          'httpStatus' in result ? (result.httpStatus ?? null) : null,
          'error' in result ? result.error : null,
        ],
      ),
    );
    const outcome: Extract<NotificationCommand, { type: 'record-attempt' }>['result'] =
      result.outcome === 'delivered'
        ? result
        : result.outcome === 'cancelled'
          ? { outcome: 'cancelled', reason: result.error }
          : {
              outcome: 'failed',
              reason: result.error,
              ...(result.httpStatus !== undefined ? { httpStatus: result.httpStatus } : {}),
            };
    try {
      await this.commands.handle(delivery.notification_id, {
        type: 'record-attempt',
        now,
        deliveryId: delivery.id,
        attempt: delivery.attempts,
        result: outcome,
        ...(result.outcome === 'failed' && !exhausted
          ? { retryAt: new Date(now.getTime() + retryDelayMs(delivery.attempts, base, max)) }
          : {}),
      });
    } catch (error) {
      // A later attempt, after this one's lease ran out, is already on record: it stands.
      if (!(error instanceof NotificationRefused && error.code === 'delivery-finished')) throw error;
      return;
    }
    if (result.outcome === 'failed' && exhausted) {
      this.logger.warn(`delivery ${delivery.id} given up after ${delivery.attempts} attempts`);
    }
  }
}

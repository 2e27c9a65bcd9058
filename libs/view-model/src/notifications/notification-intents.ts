import type { PoolClient } from '@jigsaw/database';
import type { NewNotification } from './notification.js';

/** A decided change waiting to be recorded on its notification's stream by the notifications service. */
export type NotificationIntent =
  | { kind: 'raise'; notification: Omit<NewNotification, 'dueAt'> & { dueAt?: string }; hasWebhook: boolean }
  | { kind: 'recall'; notificationId: string; organisation: string };

/**
 * Writes intents in the caller's transaction (the read models' schema first on its search path): the
 * notifications service records each on its notification's stream after the commit, or at its next tick.
 * Recording is idempotent, so an intent written twice is recorded once.
 */
export async function intendNotifications(
  tx: Pick<PoolClient, 'query'>,
  intents: readonly NotificationIntent[],
  now: Date,
): Promise<void> {
  if (intents.length === 0) return;
  const keyOf = (intent: NotificationIntent): string =>
    intent.kind === 'raise'
      ? `raise|${intent.notification.dedupeKey}`
      : `recall|${intent.notificationId}|${intent.organisation}`;
  await tx.query(
    `INSERT INTO notification_intents (intent_key, intent, decided_at)
     SELECT * FROM unnest($1::text[], $2::jsonb[], $3::timestamptz[]) ON CONFLICT DO NOTHING`,
    [intents.map(keyOf), intents.map((i) => JSON.stringify(i)), intents.map(() => now)],
  );
}

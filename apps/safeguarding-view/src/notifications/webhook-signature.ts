import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Webhook deliveries are signed as Standard Webhooks (standardwebhooks.com) signs them, so receivers can
 * use an existing library or a few lines of their own:
 *
 *   webhook-id: the delivery id, the same on every retry: the receiver's idempotency key
 *   webhook-timestamp: seconds since the Unix epoch when this attempt was signed
 *   webhook-signature: v1,<base64 HMAC-SHA256(secret, `${webhook-id}.${webhook-timestamp}.${body}`)>
 *
 * The key is the configured secret's UTF-8 bytes. `jigsaw-notification-id` names the notification.
 */
export const WEBHOOK_HEADERS = {
  id: 'webhook-id',
  timestamp: 'webhook-timestamp',
  signature: 'webhook-signature',
  notification: 'jigsaw-notification-id',
} as const;

/** Receivers should refuse a signature older (or newer) than this, against replay. */
export const SIGNATURE_TOLERANCE_SECONDS = 5 * 60;

export function signature(secret: string, id: string, timestamp: number, body: string): string {
  const mac = createHmac('sha256', Buffer.from(secret, 'utf8'))
    .update(`${id}.${timestamp}.${body}`)
    .digest('base64');
  return `v1,${mac}`;
}

export function signedHeaders(
  secret: string,
  delivery: { id: string; notificationId: string },
  body: string,
  now: Date,
): Record<string, string> {
  const timestamp = Math.floor(now.getTime() / 1000);
  return {
    [WEBHOOK_HEADERS.id]: delivery.id,
    [WEBHOOK_HEADERS.timestamp]: String(timestamp),
    [WEBHOOK_HEADERS.signature]: signature(secret, delivery.id, timestamp, body),
    [WEBHOOK_HEADERS.notification]: delivery.notificationId,
  };
}

/**
 * What a receiver does: true when one of the (space separated) signatures matches and the timestamp is
 * within tolerance of `now`. Compares in constant time.
 */
export function verifySignature(
  secret: string,
  headers: Readonly<Record<string, string | undefined>>,
  body: string,
  now: Date,
): boolean {
  const id = headers[WEBHOOK_HEADERS.id];
  const timestamp = Number(headers[WEBHOOK_HEADERS.timestamp]);
  const given = headers[WEBHOOK_HEADERS.signature];
  if (!id || !given || !Number.isInteger(timestamp)) return false;
  if (Math.abs(now.getTime() / 1000 - timestamp) > SIGNATURE_TOLERANCE_SECONDS) return false;
  const expected = Buffer.from(signature(secret, id, timestamp, body));
  return given.split(' ').some((candidate) => {
    const bytes = Buffer.from(candidate);
    return bytes.length === expected.length && timingSafeEqual(bytes, expected);
  });
}

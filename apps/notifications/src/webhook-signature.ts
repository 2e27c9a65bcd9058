import { createHmac } from 'node:crypto';

/**
 * Webhook deliveries are signed as the Standard Webhooks specification (standardwebhooks.com) says, so a
 * receiver verifies them with the official libraries (`new Webhook(secret).verify(body, headers)`):
 *
 *   webhook-id: the delivery id, the same on every retry: the receiver's idempotency key
 *   webhook-timestamp: seconds since the Unix epoch when this attempt was signed
 *   webhook-signature: v1,<base64 HMAC-SHA256(key, `${webhook-id}.${webhook-timestamp}.${body}`)> per secret
 *
 * A secret is `whsec_` then the key's bytes in base64; the key is those decoded bytes. While a secret is
 * rotated, each delivery carries one signature per secret, space separated.
 * `jigsaw-notification-id` names the notification.
 */
export const WEBHOOK_HEADERS = {
  id: 'webhook-id',
  timestamp: 'webhook-timestamp',
  signature: 'webhook-signature',
  notification: 'jigsaw-notification-id',
} as const;

export const WEBHOOK_SECRET_PREFIX = 'whsec_';
/** The specification's bounds on a key: shorter weakens HMAC-SHA256 (RFC 2104 section 3). */
export const WEBHOOK_KEY_BYTES = { min: 24, max: 64 } as const;

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** The key a `whsec_<base64>` secret stands for, or undefined when it is not one of 24 to 64 bytes. */
export function webhookKey(secret: string): Buffer | undefined {
  if (!secret.startsWith(WEBHOOK_SECRET_PREFIX)) return undefined;
  const encoded = secret.slice(WEBHOOK_SECRET_PREFIX.length);
  if (!BASE64.test(encoded)) return undefined;
  const key = Buffer.from(encoded, 'base64');
  return key.length >= WEBHOOK_KEY_BYTES.min && key.length <= WEBHOOK_KEY_BYTES.max ? key : undefined;
}

export function signature(key: Buffer, id: string, timestamp: number, body: string): string {
  const mac = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64');
  return `v1,${mac}`;
}

/** The headers of one attempt, signed with every key (the current one and any being rotated out). */
export function signedHeaders(
  keys: readonly Buffer[],
  delivery: { id: string; notificationId: string },
  body: string,
  now: Date,
): Record<string, string> {
  const timestamp = Math.floor(now.getTime() / 1000);
  return {
    [WEBHOOK_HEADERS.id]: delivery.id,
    [WEBHOOK_HEADERS.timestamp]: String(timestamp),
    [WEBHOOK_HEADERS.signature]: keys.map((key) => signature(key, delivery.id, timestamp, body)).join(' '),
    [WEBHOOK_HEADERS.notification]: delivery.notificationId,
  };
}

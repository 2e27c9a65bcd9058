import { randomBytes } from 'node:crypto';
import { jest } from '@jest/globals';
import { Webhook } from 'standardwebhooks';

/** A fresh secret as Standard Webhooks writes one: `whsec_` and the key's bytes in base64. */
export const aWebhookSecret = (bytes = 32): string => `whsec_${randomBytes(bytes).toString('base64')}`;

/**
 * Verifies a delivery with the official Standard Webhooks library, as its README shows, and returns the
 * parsed body (it throws when no signature matches). `at` is the receiver's clock, for deliveries signed
 * at a test clock's time; the library reads `Date.now()` for its five-minute tolerance.
 */
export function verifyWithStandardWebhooks(
  secret: string,
  headers: Readonly<Record<string, string | undefined>>,
  body: string,
  at?: Date,
): unknown {
  const present = Object.fromEntries(
    Object.entries(headers).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
  const clock = at ? jest.spyOn(Date, 'now').mockReturnValue(at.getTime()) : undefined;
  try {
    return new Webhook(secret).verify(body, present);
  } finally {
    clock?.mockRestore();
  }
}

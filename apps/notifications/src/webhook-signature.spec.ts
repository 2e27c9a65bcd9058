import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { Webhook } from 'standardwebhooks';
import { parseWebhooks } from './notifications.config.js';
import { aWebhookSecret, verifyWithStandardWebhooks } from './testing/standard-webhooks.js';
import { signedHeaders, WEBHOOK_HEADERS } from './webhook-signature.js';

const now = new Date('2026-11-23T07:00:00Z');
const body = JSON.stringify({ type: 'notification.created', deliveryId: 'd-1' });
const keysOf = (secret: string | string[]) =>
  parseWebhooks(
    JSON.stringify([{ organisation: 'urn:jigsaw:org:education:x', url: 'https://x', secret }]),
  )[0]!.keys;
const delivery = { id: 'd-1', notificationId: 'n-1' };

describe('webhook signatures, checked by the official Standard Webhooks library', () => {
  it('signs as the library signs, and the library verifies it', () => {
    const secret = aWebhookSecret();
    const headers = signedHeaders(keysOf(secret), delivery, body, now);
    expect(headers).toEqual({
      'webhook-id': 'd-1',
      'webhook-timestamp': String(now.getTime() / 1000),
      'webhook-signature': new Webhook(secret).sign('d-1', now, body),
      'jigsaw-notification-id': 'n-1',
    });
    expect(verifyWithStandardWebhooks(secret, headers, body, now)).toEqual(JSON.parse(body));
  });

  it('while a secret is rotated, a receiver holding either one verifies the delivery', () => {
    const [next, previous] = [aWebhookSecret(), aWebhookSecret(24)];
    const headers = signedHeaders(keysOf([next, previous]), delivery, body, now);
    expect(headers[WEBHOOK_HEADERS.signature]!.split(' ')).toHaveLength(2);
    expect(verifyWithStandardWebhooks(next, headers, body, now)).toEqual(JSON.parse(body));
    expect(verifyWithStandardWebhooks(previous, headers, body, now)).toEqual(JSON.parse(body));
    expect(() => verifyWithStandardWebhooks(aWebhookSecret(), headers, body, now)).toThrow(
      'No matching signature found',
    );
  });

  it('the library refuses another body, id, key or a stale timestamp', () => {
    const secret = aWebhookSecret();
    const headers = signedHeaders(keysOf(secret), delivery, body, now);
    const refused = (h: Record<string, string>, b: string, at: Date) => () =>
      verifyWithStandardWebhooks(secret, h, b, at);
    expect(refused(headers, `${body} `, now)).toThrow();
    expect(refused({ ...headers, 'webhook-id': 'd-2' }, body, now)).toThrow();
    expect(refused(headers, body, new Date(now.getTime() + 6 * 60_000))).toThrow('timestamp');
    expect(() =>
      verifyWithStandardWebhooks(`whsec_${Buffer.from(secret).toString('base64')}`, headers, body, now),
    ).toThrow();
  });

  it('the library accepts exactly the body that was signed (property)', () => {
    const secret = aWebhookSecret();
    const keys = keysOf(secret);
    fc.assert(
      fc.property(fc.json(), fc.json(), (signed, sent) => {
        const headers = signedHeaders(keys, { id: 'd', notificationId: 'n' }, signed, now);
        const verify = () => verifyWithStandardWebhooks(secret, headers, sent, now);
        if (signed === sent) expect(verify()).toEqual(JSON.parse(sent));
        else expect(verify).toThrow('No matching signature found');
      }),
    );
  });
});

import { createHmac } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { signedHeaders, signature, verifySignature, WEBHOOK_HEADERS } from './webhook-signature.js';

const secret = 'a-webhook-secret-of-at-least-32-characters';
const now = new Date('2026-11-23T07:00:00Z');
const body = JSON.stringify({ type: 'notification.created', deliveryId: 'd-1' });

describe('webhook signatures', () => {
  it('signs `id.timestamp.body` with HMAC-SHA256 as Standard Webhooks does', () => {
    const headers = signedHeaders(secret, { id: 'd-1', notificationId: 'n-1' }, body, now);
    const timestamp = String(now.getTime() / 1000);
    const expected = createHmac('sha256', secret).update(`d-1.${timestamp}.${body}`).digest('base64');
    expect(headers).toEqual({
      'webhook-id': 'd-1',
      'webhook-timestamp': timestamp,
      'webhook-signature': `v1,${expected}`,
      'jigsaw-notification-id': 'n-1',
    });
  });

  it('verifies its own signature, among others, and refuses any change, another key or a stale timestamp', () => {
    const headers = signedHeaders(secret, { id: 'd-1', notificationId: 'n-1' }, body, now);
    expect(verifySignature(secret, headers, body, now)).toBe(true);
    const rotated = {
      ...headers,
      [WEBHOOK_HEADERS.signature]: `v1,b2xk ${headers[WEBHOOK_HEADERS.signature]}`,
    };
    expect(verifySignature(secret, rotated, body, now)).toBe(true);
    expect(verifySignature(secret, headers, `${body} `, now)).toBe(false);
    expect(verifySignature(`${secret}x`, headers, body, now)).toBe(false);
    expect(verifySignature(secret, { ...headers, 'webhook-id': 'd-2' }, body, now)).toBe(false);
    expect(verifySignature(secret, headers, body, new Date(now.getTime() + 6 * 60_000))).toBe(false);
    expect(verifySignature(secret, { ...headers, 'webhook-signature': undefined }, body, now)).toBe(false);
  });

  it('refuses any body but the one signed (property)', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (signed, sent) => {
        const headers = signedHeaders(secret, { id: 'd', notificationId: 'n' }, signed, now);
        expect(verifySignature(secret, headers, sent, now)).toBe(signed === sent);
      }),
    );
    expect(signature(secret, 'd', 1, 'x')).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
  });
});

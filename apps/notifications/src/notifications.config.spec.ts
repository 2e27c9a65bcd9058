import { describe, expect, it } from '@jest/globals';
import { loadConfig } from '@jigsaw/config';
import { NotificationsConfig } from './app.module.js';
import { parseWebhooks } from './notifications.config.js';
import { aWebhookSecret } from './testing/standard-webhooks.js';

const secret = aWebhookSecret();
const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
const hook = (entry: Record<string, unknown>): string => JSON.stringify([entry]);
const school = 'urn:jigsaw:org:education:hillside-primary';

describe('notification configuration', () => {
  it('reads webhooks, https anywhere and http only to this machine', () => {
    expect(
      parseWebhooks(
        JSON.stringify([
          { organisation: school, url: 'https://cpoms.example/hooks/jigsaw', secret },
          { organisation: 'urn:jigsaw:org:council:leeds', url: 'http://127.0.0.1:4000/in', secret },
        ]),
      ),
    ).toEqual([
      { organisation: school, url: 'https://cpoms.example/hooks/jigsaw', keys: [key] },
      { organisation: 'urn:jigsaw:org:council:leeds', url: 'http://127.0.0.1:4000/in', keys: [key] },
    ]);
    expect(parseWebhooks('')).toEqual([]);
  });

  it('names the entry and field that is wrong, never the secret', () => {
    expect(() => parseWebhooks('{')).toThrow('is not JSON');
    expect(() => parseWebhooks('{}')).toThrow('must be a JSON array');
    expect(() => parseWebhooks(hook({ organisation: 'hillside', url: 'https://x', secret }))).toThrow(
      '[0].organisation must be an organisation',
    );
    expect(() => parseWebhooks(hook({ organisation: school, url: 'http://cpoms.example/', secret }))).toThrow(
      '[0].url must be https',
    );
    const refused = `[0].secret (${school}) must be whsec_<base64 of 24 to 64 bytes>`;
    for (const wrong of [
      // Not whsec_, the UTF-8 of a long string: what deliveries were once keyed with.
      'a-webhook-secret-of-at-least-32-characters',
      `whsec_${Buffer.alloc(23, 7).toString('base64')}`,
      `whsec_${Buffer.alloc(65, 7).toString('base64')}`,
      `whsec_${Buffer.alloc(32, 7).toString('base64url')}!`,
      `whsec_${Buffer.alloc(32, 7).toString('base64').slice(1)}`,
      [],
      [secret, 'whsec_'],
      42,
      undefined,
    ]) {
      const parse = () => parseWebhooks(hook({ organisation: school, url: 'https://x', secret: wrong }));
      expect(parse).toThrow(refused);
      if (typeof wrong === 'string') expect(parse).not.toThrow(wrong);
    }
    expect(() => parseWebhooks(hook({ organisation: school, url: 'https://x', secret, extra: 1 }))).toThrow(
      '[0].extra is not allowed',
    );
    const twice = JSON.stringify([
      { organisation: school, url: 'https://x', secret },
      { organisation: school, url: 'https://y', secret },
    ]);
    expect(() => parseWebhooks(twice)).toThrow('[1].organisation is listed twice');
  });

  it('takes keys of 24 to 64 bytes, and several while one is rotated, newest first', () => {
    for (const bytes of [24, 32, 64]) {
      const [webhook] = parseWebhooks(
        hook({ organisation: school, url: 'https://x', secret: aWebhookSecret(bytes) }),
      );
      expect(webhook?.keys[0]).toHaveLength(bytes);
    }
    const next = aWebhookSecret();
    const [rotating] = parseWebhooks(
      hook({ organisation: school, url: 'https://x', secret: [next, secret] }),
    );
    expect(rotating?.keys).toEqual([Buffer.from(next.slice(6), 'base64'), key]);
  });

  it('fails the service at start naming the variable', () => {
    expect(() =>
      loadConfig(NotificationsConfig, { JIGSAW_DEVELOPMENT: 'true', SCHOOL_HOLIDAYS: '2026-13-01' }),
    ).toThrow(/SCHOOL_HOLIDAYS: "2026-13-01" is not a date/);
    expect(() =>
      loadConfig(NotificationsConfig, {
        JIGSAW_DEVELOPMENT: 'true',
        NOTIFICATION_WEBHOOKS: hook({ organisation: school, url: 'x', secret }),
      }),
    ).toThrow(/NOTIFICATION_WEBHOOKS: .*\[0\]\.url must be an absolute URL/);
    expect(() =>
      loadConfig(NotificationsConfig, { JIGSAW_DEVELOPMENT: 'true', NOTIFICATION_TICK_MS: 'often' }),
    ).toThrow(/NOTIFICATION_TICK_MS/);
    const config = loadConfig(NotificationsConfig, {
      JIGSAW_DEVELOPMENT: 'true',
      SCHOOL_HOLIDAYS: '2026-12-21/2027-01-01',
      NOTIFICATION_TICK_MS: '250',
    });
    expect(config).toMatchObject({
      SCHOOL_HOLIDAYS: '2026-12-21/2027-01-01',
      NOTIFICATION_TICK_MS: 250,
      NOTIFICATION_MAX_ATTEMPTS: 12,
    });
  });
});

import { describe, expect, it } from '@jest/globals';
import { loadConfig } from '@jigsaw/config';
import { SafeguardingViewConfig } from '../app.module.js';
import { parseWebhooks } from './notifications.config.js';

const secret = 's'.repeat(32);
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
      { organisation: school, url: 'https://cpoms.example/hooks/jigsaw', secret },
      { organisation: 'urn:jigsaw:org:council:leeds', url: 'http://127.0.0.1:4000/in', secret },
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
    expect(() => parseWebhooks(hook({ organisation: school, url: 'https://x', secret: 'short' }))).toThrow(
      '[0].secret must be at least 32 characters',
    );
    expect(() => parseWebhooks(hook({ organisation: school, url: 'https://x', secret, extra: 1 }))).toThrow(
      '[0].extra is not allowed',
    );
    const twice = JSON.stringify([
      { organisation: school, url: 'https://x', secret },
      { organisation: school, url: 'https://y', secret },
    ]);
    expect(() => parseWebhooks(twice)).toThrow('[1].organisation is listed twice');
  });

  it('fails the service at start naming the variable', () => {
    expect(() =>
      loadConfig(SafeguardingViewConfig, { JIGSAW_DEVELOPMENT: 'true', SCHOOL_HOLIDAYS: '2026-13-01' }),
    ).toThrow(/SCHOOL_HOLIDAYS: "2026-13-01" is not a date/);
    expect(() =>
      loadConfig(SafeguardingViewConfig, {
        JIGSAW_DEVELOPMENT: 'true',
        NOTIFICATION_WEBHOOKS: hook({ organisation: school, url: 'x', secret }),
      }),
    ).toThrow(/NOTIFICATION_WEBHOOKS: .*\[0\]\.url must be an absolute URL/);
    expect(() =>
      loadConfig(SafeguardingViewConfig, { JIGSAW_DEVELOPMENT: 'true', NOTIFICATION_TICK_MS: 'often' }),
    ).toThrow(/NOTIFICATION_TICK_MS/);
    const config = loadConfig(SafeguardingViewConfig, {
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

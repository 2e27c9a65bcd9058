import { registerDecorator, type ValidationOptions } from 'class-validator';
import { agencyOfSource } from '@jigsaw/envelope';
import { parseHolidays } from '@jigsaw/view-model';
import { WEBHOOK_KEY_BYTES, WEBHOOK_SECRET_PREFIX, webhookKey } from './webhook-signature.js';

/** The settings notifications read; NotificationsConfig carries them (app.module.ts). */
export interface NotificationSettings {
  /** School holidays, `2026-12-21/2027-01-01,2027-04-06`: days Operation Encompass deadlines roll past. */
  SCHOOL_HOLIDAYS: string;
  /** JSON: `[{ "organisation": "urn:jigsaw:org:...", "url": "https://...", "secret": "whsec_..." }]`. */
  NOTIFICATION_WEBHOOKS: string;
  /** How often the scheduler escalates overdue notifications and dispatches due deliveries. */
  NOTIFICATION_TICK_MS: number;
  /** The first retry's delay; each later one doubles, up to NOTIFICATION_RETRY_MAX_MS. */
  NOTIFICATION_RETRY_BASE_MS: number;
  NOTIFICATION_RETRY_MAX_MS: number;
  /** After this many attempts a delivery is given up (the notification stays in the inbox). */
  NOTIFICATION_MAX_ATTEMPTS: number;
  /** How long one webhook POST may take. */
  NOTIFICATION_HTTP_TIMEOUT_MS: number;
  /** Events older than this raise no notification: replaying old history must not flood inboxes. */
  NOTIFICATION_MAX_AGE_DAYS: number;
}

export const NOTIFICATION_DEFAULTS: NotificationSettings = {
  SCHOOL_HOLIDAYS: '',
  NOTIFICATION_WEBHOOKS: '',
  NOTIFICATION_TICK_MS: 1000,
  NOTIFICATION_RETRY_BASE_MS: 5000,
  NOTIFICATION_RETRY_MAX_MS: 3_600_000,
  NOTIFICATION_MAX_ATTEMPTS: 12,
  NOTIFICATION_HTTP_TIMEOUT_MS: 10_000,
  NOTIFICATION_MAX_AGE_DAYS: 30,
};

/** Where one organisation takes its notifications, and the keys its deliveries are signed with. */
export interface Webhook {
  organisation: string;
  url: string;
  /** The current key first, then any being rotated out: each signs every delivery. */
  keys: Buffer[];
}

/** Plain http only to this machine (tests, a local relay); anything else must be https. */
const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Whether an organisation has a webhook in NOTIFICATION_WEBHOOKS: its notifications are then delivered too. */
export function hasWebhookIn(
  settings: Pick<NotificationSettings, 'NOTIFICATION_WEBHOOKS'>,
): (organisation: string) => boolean {
  const organisations = new Set(parseWebhooks(settings.NOTIFICATION_WEBHOOKS).map((w) => w.organisation));
  return (organisation) => organisations.has(organisation);
}

/** Reads NOTIFICATION_WEBHOOKS, or throws naming the first entry and field that is wrong. */
export function parseWebhooks(text: string): Webhook[] {
  if (text.trim() === '') return [];
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error('is not JSON');
  }
  if (!Array.isArray(value)) throw new Error('must be a JSON array of { organisation, url, secret }');
  const seen = new Set<string>();
  return value.map((entry: unknown, i): Webhook => {
    const at = `[${i}]`;
    if (typeof entry !== 'object' || entry === null) throw new Error(`${at} must be an object`);
    const { organisation, url, secret, ...rest } = entry as Record<string, unknown>;
    const unknown = Object.keys(rest);
    if (unknown.length > 0) throw new Error(`${at}.${unknown[0]} is not allowed`);
    if (typeof organisation !== 'string' || !agencyOfSource(organisation)) {
      throw new Error(`${at}.organisation must be an organisation, urn:jigsaw:org:<agency>:<code>`);
    }
    if (seen.has(organisation)) throw new Error(`${at}.organisation is listed twice`);
    seen.add(organisation);
    let parsed: URL;
    try {
      parsed = new URL(typeof url === 'string' ? url : '');
    } catch {
      throw new Error(`${at}.url must be an absolute URL`);
    }
    if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && LOCAL_HOSTS.has(parsed.hostname))) {
      throw new Error(`${at}.url must be https (http only to localhost)`);
    }
    const secrets: unknown[] = Array.isArray(secret) ? secret : [secret];
    const keys = secrets.map((s) => (typeof s === 'string' ? webhookKey(s) : undefined));
    if (secrets.length === 0 || keys.some((key) => key === undefined)) {
      throw new Error(
        `${at}.secret (${organisation}) must be ${WEBHOOK_SECRET_PREFIX}<base64 of ${WEBHOOK_KEY_BYTES.min} to ` +
          `${WEBHOOK_KEY_BYTES.max} bytes>, or a list of them while rotating`,
      );
    }
    return { organisation, url: parsed.toString(), keys: keys as Buffer[] };
  });
}

function parsedBy(name: string, parse: (text: string) => unknown, options?: ValidationOptions) {
  return (object: object, propertyName: string): void => {
    let problem = '';
    registerDecorator({
      name,
      target: object.constructor,
      propertyName,
      options: {
        message: () => problem,
        ...options,
      },
      validator: {
        validate(value: unknown): boolean {
          if (typeof value !== 'string') {
            problem = 'must be a string';
            return false;
          }
          try {
            parse(value);
            return true;
          } catch (error) {
            problem = (error as Error).message;
            return false;
          }
        },
      },
    });
  };
}

/** SCHOOL_HOLIDAYS: ISO dates and date intervals, comma separated. */
export const IsSchoolHolidays = (options?: ValidationOptions) =>
  parsedBy('isSchoolHolidays', parseHolidays, options);

/** NOTIFICATION_WEBHOOKS: a JSON array of { organisation, url, secret }; secrets never in the message. */
export const IsWebhookList = (options?: ValidationOptions) =>
  parsedBy('isWebhookList', parseWebhooks, options);

import {
  AGENCIES,
  agencyOfSource,
  PURPOSES,
  ROLES,
  type Agency,
  type Purpose,
  type Role,
} from '@jigsaw/envelope';
import { includes } from './principal.js';

/** Which claim (a dotted path; arrays on the way are read element by element) gives a value. */
export interface ClaimPath {
  claim: string;
}

/**
 * One identity provider the hub trusts, read from `OIDC_ISSUERS`. Every value the issuer puts in a mapped
 * claim must be named by a mapping here: an unmapped value refuses the token rather than being guessed at.
 */
export interface IssuerSettings {
  issuer: string;
  audience: string;
  agency: Agency;
  /** Organisations this issuer may assert: exact names, or a prefix ending in `*`. */
  organisations: string[];
  claims: {
    /**
     * Who the token names, unique within this issuer: `sub` unless another claim is stabler (Entra's
     * `oid` is the same for every application, its `sub` is not). Recorded as `<issuer>#<value>`.
     */
    subject?: ClaimPath;
    /**
     * The claim's one value names the organisation: through `values` (e.g. an Entra tenant id to its
     * organisation; an unmapped value is refused), else as `prefix` + the value (e.g. an ODS code), lower-cased.
     */
    organisation: ClaimPath & { prefix?: string; values?: Record<string, string> };
    /** The issuer's own role values (RBAC codes, app roles, group ids) and the role each means here. */
    role: ClaimPath & { values: Record<string, Exclude<Role, 'agency-system'>> };
    /** The issuer's values and the purposes each grants; may read the same claim as `role`. */
    purposes: ClaimPath & { values: Record<string, Purpose[]> };
  };
  /** Agency systems signing in with client credentials: the claim naming the client, and its organisation. */
  systems?: ClaimPath & { clients: Record<string, string> };
  /** How the console signs practitioners in here: its public client (authorization code with PKCE). */
  console?: { clientId: string; label: string; scope: string };
  /** Asymmetric algorithms only: a token cannot choose HS* or `none`. */
  algorithms: string[];
  /** How far `exp` and `nbf` may be off, for clocks that differ: 60 s unless set (0 to 300). */
  clockToleranceSeconds: number;
  keys: { maxAgeSeconds: number; cooldownSeconds: number; timeoutMs: number };
}

const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];
const KEY_DEFAULTS = { maxAgeSeconds: 600, cooldownSeconds: 30, timeoutMs: 5000 };

/** A bad `OIDC_ISSUERS` entry: names the entry's issuer (or its index) and the field. */
export class IssuerSettingsError extends Error {
  constructor(who: string, field: string, reason: string) {
    super(`OIDC_ISSUERS: issuer ${who}: ${field} ${reason}`);
    this.name = 'IssuerSettingsError';
  }
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const nonEmptyString = (value: unknown): value is string => typeof value === 'string' && value.length > 0;

/** Whether an organisation is among those an issuer may assert. */
export function mayAssert(settings: Pick<IssuerSettings, 'organisations'>, organisation: string): boolean {
  return settings.organisations.some((pattern) =>
    pattern.endsWith('*') ? organisation.startsWith(pattern.slice(0, -1)) : organisation === pattern,
  );
}

function issuerEntry(raw: unknown, index: number): IssuerSettings {
  const who = isObject(raw) && nonEmptyString(raw['issuer']) ? raw['issuer'] : `#${index}`;
  const fail = (field: string, reason: string): never => {
    throw new IssuerSettingsError(who, field, reason);
  };
  if (!isObject(raw)) return fail('(entry)', 'must be an object');
  const {
    issuer,
    audience,
    agency,
    organisations,
    claims,
    systems,
    algorithms,
    keys,
    clockToleranceSeconds,
  } = raw;
  const consoleClient = raw['console'];

  if (!nonEmptyString(issuer)) return fail('issuer', 'is required');
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    return fail('issuer', 'must be a URL');
  }
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    fail('issuer', 'must be an https URL (http only on loopback, for development)');
  }
  if (url.search || url.hash) fail('issuer', 'must have no query or fragment (OpenID Connect Discovery 1.0)');
  if (!nonEmptyString(audience)) fail('audience', 'is required');
  if (!includes(AGENCIES, agency)) return fail('agency', `must be one of ${AGENCIES.join(', ')}`);

  if (!Array.isArray(organisations) || organisations.length === 0) {
    return fail('organisations', 'must list at least one organisation or pattern');
  }
  organisations.forEach((pattern: unknown, i) => {
    const name = typeof pattern === 'string' ? pattern.replace(/\*$/, 'x') : undefined;
    if (name === undefined || agencyOfSource(name) !== agency) {
      fail(`organisations[${i}]`, `must be urn:jigsaw:org:${agency}:<code>, or a prefix of one ending in *`);
    }
  });

  if (!isObject(claims)) return fail('claims', 'must map organisation, role and purposes');
  const path = (field: string, value: unknown): string => {
    if (!isObject(value) || !nonEmptyString(value['claim']))
      return fail(`claims.${field}.claim`, 'is required');
    return value['claim'];
  };
  const subject = claims['subject'];
  if (subject !== undefined) path('subject', subject);
  const organisation = claims['organisation'];
  const organisationClaim = path('organisation', organisation);
  const prefix = (organisation as Record<string, unknown>)['prefix'];
  if (prefix !== undefined && typeof prefix !== 'string')
    fail('claims.organisation.prefix', 'must be a string');
  const orgValues = (organisation as Record<string, unknown>)['values'];
  if (orgValues !== undefined) {
    if (!isObject(orgValues))
      return fail('claims.organisation.values', 'must map the issuer’s values to organisations');
    for (const [value, org] of Object.entries(orgValues)) {
      if (typeof org !== 'string' || !mayAssert({ organisations: organisations as string[] }, org)) {
        fail(
          `claims.organisation.values.${value}`,
          'must be one of the organisations this issuer may assert',
        );
      }
    }
  }

  const role = claims['role'];
  const roleClaim = path('role', role);
  const roleValues = (role as Record<string, unknown>)['values'];
  if (!isObject(roleValues) || Object.keys(roleValues).length === 0) {
    return fail('claims.role.values', 'must map at least one of the issuer’s values to a role');
  }
  for (const [value, mapped] of Object.entries(roleValues)) {
    if (!includes(ROLES, mapped) || mapped === 'agency-system') {
      fail(`claims.role.values.${value}`, `must be a practitioner role: ${ROLES.slice(0, -1).join(', ')}`);
    }
  }

  const purposes = claims['purposes'];
  const purposesClaim = path('purposes', purposes);
  const purposeValues = (purposes as Record<string, unknown>)['values'];
  if (!isObject(purposeValues) || Object.keys(purposeValues).length === 0) {
    return fail('claims.purposes.values', 'must map at least one of the issuer’s values to purposes');
  }
  for (const [value, mapped] of Object.entries(purposeValues)) {
    if (!Array.isArray(mapped) || mapped.length === 0 || !mapped.every((p) => includes(PURPOSES, p))) {
      fail(`claims.purposes.values.${value}`, `must list purposes among ${PURPOSES.join(', ')}`);
    }
  }

  let systemSettings: IssuerSettings['systems'];
  if (systems !== undefined) {
    if (!isObject(systems) || !nonEmptyString(systems['claim'])) return fail('systems.claim', 'is required');
    const clients = systems['clients'];
    if (!isObject(clients) || Object.keys(clients).length === 0) {
      return fail('systems.clients', 'must map each client to its one organisation');
    }
    for (const [client, org] of Object.entries(clients)) {
      if (
        typeof org !== 'string' ||
        agencyOfSource(org) !== agency ||
        !mayAssert({ organisations: organisations as string[] }, org)
      ) {
        fail(`systems.clients.${client}`, 'must be one of the organisations this issuer may assert');
      }
    }
    systemSettings = { claim: systems['claim'], clients: clients as Record<string, string> };
  }

  if (
    algorithms !== undefined &&
    (!Array.isArray(algorithms) || !algorithms.every((a) => includes(ALGORITHMS, a)))
  ) {
    fail('algorithms', `must list asymmetric algorithms among ${ALGORITHMS.join(', ')}`);
  }
  if (
    clockToleranceSeconds !== undefined &&
    (typeof clockToleranceSeconds !== 'number' ||
      !Number.isInteger(clockToleranceSeconds) ||
      clockToleranceSeconds < 0 ||
      clockToleranceSeconds > 300)
  ) {
    fail('clockToleranceSeconds', 'must be a whole number of seconds from 0 to 300');
  }
  const keySettings = { ...KEY_DEFAULTS };
  if (keys !== undefined) {
    if (!isObject(keys)) return fail('keys', 'must be an object');
    for (const name of Object.keys(KEY_DEFAULTS) as (keyof typeof KEY_DEFAULTS)[]) {
      const value = keys[name];
      if (value === undefined) continue;
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
        fail(`keys.${name}`, 'must be a whole number, 0 or more');
      }
      keySettings[name] = value as number;
    }
  }

  let consoleSettings: IssuerSettings['console'];
  if (consoleClient !== undefined) {
    if (!isObject(consoleClient) || !nonEmptyString(consoleClient['clientId'])) {
      return fail('console.clientId', 'is required');
    }
    const { label = issuer, scope = 'openid' } = consoleClient;
    if (!nonEmptyString(label)) fail('console.label', 'must be a non-empty string');
    if (!nonEmptyString(scope) || !scope.split(' ').includes('openid')) {
      fail('console.scope', 'must include openid');
    }
    consoleSettings = { clientId: consoleClient['clientId'], label: label as string, scope: scope as string };
  }

  return {
    issuer,
    audience: audience as string,
    ...(consoleSettings ? { console: consoleSettings } : {}),
    agency,
    organisations: organisations as string[],
    claims: {
      ...(subject === undefined ? {} : { subject: { claim: (subject as ClaimPath).claim } }),
      organisation: {
        claim: organisationClaim,
        ...(prefix === undefined ? {} : { prefix: prefix as string }),
        ...(orgValues === undefined ? {} : { values: orgValues as Record<string, string> }),
      },
      role: { claim: roleClaim, values: roleValues as IssuerSettings['claims']['role']['values'] },
      purposes: { claim: purposesClaim, values: purposeValues as Record<string, Purpose[]> },
    },
    ...(systemSettings ? { systems: systemSettings } : {}),
    algorithms: (algorithms as string[] | undefined) ?? ['RS256', 'PS256', 'ES256'],
    clockToleranceSeconds: (clockToleranceSeconds as number | undefined) ?? 60,
    keys: keySettings,
  };
}

/**
 * Reads `OIDC_ISSUERS` (a JSON array, one entry per trusted issuer), or throws naming the issuer and the
 * field that is wrong, so a service with a bad entry never starts.
 */
export function parseOidcIssuers(json: string | undefined): IssuerSettings[] {
  if (json === undefined || json.trim() === '') return [];
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (error) {
    throw new Error(`OIDC_ISSUERS must be JSON: ${(error as Error).message}`);
  }
  if (!Array.isArray(raw)) throw new Error('OIDC_ISSUERS must be a JSON array of issuers');
  const entries = raw.map(issuerEntry);
  const seen = new Set<string>();
  for (const entry of entries) {
    if (seen.has(entry.issuer)) throw new IssuerSettingsError(entry.issuer, 'issuer', 'is listed twice');
    seen.add(entry.issuer);
  }
  return entries;
}

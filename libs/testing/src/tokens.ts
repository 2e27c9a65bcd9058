import { createHmac } from 'node:crypto';

/**
 * Mirrors the development-only default of `JWT_SECRET` in @jigsaw/config so that tests can mint
 * tokens for services started without configuration. Never a production secret.
 */
export const DEVELOPMENT_JWT_SECRET = 'jigsaw-development-only-jwt-secret-change-me';
export const DEVELOPMENT_JWT_ISSUER = 'jigsaw-dev';
export const DEVELOPMENT_JWT_AUDIENCE = 'jigsaw';

export interface TokenOptions {
  secret?: string;
  issuer?: string;
  audience?: string;
  /** Lifetime in seconds; negative values mint an already expired token. */
  ttlSeconds?: number;
}

export interface PractitionerClaims {
  sub: string;
  agency: string;
  organisation: string;
  role: string;
  purposes: string[];
}

const base64url = (value: string | Buffer): string => Buffer.from(value).toString('base64url');

/**
 * Signs HS256 synchronously with node:crypto (jose is async) so tests can build headers inline.
 */
export function signTestToken(claims: Record<string, unknown>, options: TokenOptions = {}): string {
  const now = Math.floor(Date.now() / 1000);
  const header = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const payload = base64url(
    JSON.stringify({
      iss: options.issuer ?? DEVELOPMENT_JWT_ISSUER,
      aud: options.audience ?? DEVELOPMENT_JWT_AUDIENCE,
      iat: now,
      exp: now + (options.ttlSeconds ?? 3600),
      ...claims,
    }),
  );
  const signature = createHmac('sha256', options.secret ?? DEVELOPMENT_JWT_SECRET)
    .update(`${header}.${payload}`)
    .digest('base64url');
  return `${header}.${payload}.${signature}`;
}

/** A token for an agency's system (adapter, case-management integration) publishing as `organisation`. */
export function agencySystemToken(organisation: string, options: TokenOptions = {}): string {
  const agency = /^urn:jigsaw:org:([a-z]+):/.exec(organisation)?.[1] ?? 'unknown';
  return signTestToken(
    { sub: `system:${organisation}`, agency, organisation, role: 'agency-system' },
    options,
  );
}

/** A token for a practitioner reading through the safeguarding view. */
export function practitionerToken(claims: PractitionerClaims, options: TokenOptions = {}): string {
  return signTestToken({ ...claims }, options);
}

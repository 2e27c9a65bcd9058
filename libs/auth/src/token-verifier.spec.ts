import { describe, expect, it, jest } from '@jest/globals';
import { SignJWT } from 'jose';
import { ServiceConfig } from '@jigsaw/config';
import { ErrorCode } from '@jigsaw/errors';
import { agencySystemToken, DEVELOPMENT_JWT_SECRET, practitionerToken, signTestToken } from '@jigsaw/testing';
import { AuthenticationError, bearerTokenOf, TokenVerifier, type TokenSettings } from './token-verifier.js';

const settings: TokenSettings = Object.assign(new ServiceConfig(), { JIGSAW_DEVELOPMENT: true });
const verifier = new TokenVerifier(settings);

const dsl = {
  sub: 'dsl-1',
  agency: 'education',
  organisation: 'urn:jigsaw:org:education:school-100001',
  role: 'designated-safeguarding-lead',
  purposes: ['safeguarding', 'education-welfare'],
};

async function refusal(token: string, using: TokenVerifier = verifier): Promise<AuthenticationError> {
  const error = await using.verify(token).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AuthenticationError);
  expect((error as AuthenticationError).code).toBe(ErrorCode.Unauthenticated);
  return error as AuthenticationError;
}

const goodRole = { claim: 'roles', values: { Doctor: 'clinician' } };
const badEntry = {
  issuer: 'https://idp.example',
  audience: 'jigsaw',
  agency: 'health',
  organisations: ['urn:jigsaw:org:health:*'],
  claims: {
    organisation: { claim: 'org' },
    role: { claim: 'roles', values: { Doctor: 'surgeon' } },
    purposes: { claim: 'roles', values: { Doctor: ['safeguarding'] } },
  },
};

describe('TokenVerifier', () => {
  it('accepts development tokens in development mode only', async () => {
    await expect(verifier.verify(practitionerToken(dsl))).resolves.toMatchObject({ sub: 'dsl-1' });
    const production = new TokenVerifier({
      ...settings,
      JIGSAW_DEVELOPMENT: false,
      OIDC_ISSUERS: JSON.stringify([{ ...badEntry, claims: { ...badEntry.claims, role: goodRole } }]),
    });
    expect((await refusal(practitionerToken(dsl), production)).message).toContain('iss');
  });

  it('accepts a practitioner token and reads its claims', async () => {
    await expect(verifier.verify(practitionerToken(dsl))).resolves.toEqual({ kind: 'practitioner', ...dsl });
  });

  it('accepts an agency system token', async () => {
    await expect(verifier.verify(agencySystemToken('urn:jigsaw:org:police:met'))).resolves.toEqual({
      kind: 'agency-system',
      sub: 'system:urn:jigsaw:org:police:met',
      agency: 'police',
      organisation: 'urn:jigsaw:org:police:met',
      role: 'agency-system',
    });
  });

  it('refuses an expired token', async () => {
    const error = await refusal(practitionerToken(dsl, { ttlSeconds: -60 }));
    expect(error.message).toBe('the bearer token has expired');
    expect(error.challenge).toContain('error="invalid_token"');
  });

  it('remembers a verified token only until it expires', async () => {
    const token = practitionerToken(dsl, { ttlSeconds: 60 });
    const fresh = new TokenVerifier(settings);
    const first = await fresh.verify(token);
    await expect(fresh.verify(token)).resolves.toBe(first);
    jest.useFakeTimers({
      now: Date.now() + 120_000,
      doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'],
    });
    try {
      expect((await refusal(token, fresh)).message).toBe('the bearer token has expired');
    } finally {
      jest.useRealTimers();
    }
  });

  it('refuses a token without an expiry', async () => {
    const token = await new SignJWT({ ...dsl })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('jigsaw-dev')
      .setAudience('jigsaw')
      .sign(new TextEncoder().encode(DEVELOPMENT_JWT_SECRET));
    expect((await refusal(token)).message).toContain('exp');
  });

  it('refuses a token signed with another secret, or with its signature changed', async () => {
    await refusal(practitionerToken(dsl, { secret: 'another-secret-of-at-least-32-characters!!' }));
    const [header, payload] = practitionerToken(dsl).split('.');
    const forged = signTestToken({ ...dsl, role: 'social-worker' }).split('.')[1];
    await refusal(`${header}.${forged}.${practitionerToken(dsl).split('.')[2]}`);
    await refusal(`${header}.${payload}.`);
  });

  it('refuses an unsigned token (alg none)', async () => {
    const b64 = (v: object): string => Buffer.from(JSON.stringify(v)).toString('base64url');
    const now = Math.floor(Date.now() / 1000);
    const payload = { ...dsl, iss: 'jigsaw-dev', aud: 'jigsaw', exp: now + 60 };
    await refusal(`${b64({ alg: 'none' })}.${b64(payload)}.`);
  });

  it('refuses the wrong issuer or audience', async () => {
    expect((await refusal(practitionerToken(dsl, { issuer: 'elsewhere' }))).message).toContain('iss');
    expect((await refusal(practitionerToken(dsl, { audience: 'another-api' }))).message).toContain('aud');
  });

  it.each([
    ['sub', { sub: '' }],
    ['agency', { agency: 'army' }],
    ['organisation', { organisation: 'urn:jigsaw:org:council:leeds' }],
    ['organisation', { organisation: 'school-100001' }],
    ['role', { role: 'head-teacher' }],
    ['purposes', { purposes: [] }],
    ['purposes', { purposes: ['marketing'] }],
    ['purposes', { purposes: 'safeguarding' }],
  ])('refuses a bad %s claim', async (claim, change) => {
    const error = await refusal(signTestToken({ ...dsl, ...change }));
    expect(error.message).toBe(`the bearer token has a wrong or missing ${claim} claim`);
  });

  it('refuses a token whose aud names other audiences besides the hub', async () => {
    const token = await new SignJWT({ ...dsl })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('jigsaw-dev')
      .setAudience(['jigsaw', 'another-api'])
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode(DEVELOPMENT_JWT_SECRET));
    expect((await refusal(token)).message).toContain('aud');
  });

  it('stops at start on a bad OIDC_ISSUERS entry, naming the issuer and the field', () => {
    expect(() => new TokenVerifier({ ...settings, OIDC_ISSUERS: JSON.stringify([badEntry]) })).toThrow(
      'OIDC_ISSUERS: issuer https://idp.example: claims.role.values.Doctor must be a practitioner role',
    );
  });
});

describe('bearerTokenOf', () => {
  it('reads the token from a Bearer header', () => {
    expect(bearerTokenOf('Bearer abc.def.ghi')).toBe('abc.def.ghi');
  });

  it('answers a missing header with a bare challenge and a malformed one with invalid_request', () => {
    expect(() => bearerTokenOf(undefined)).toThrow(AuthenticationError);
    expect(() => bearerTokenOf('Basic dXNlcjpwYXNz')).toThrow('must be "Bearer <token>"');
    expect(() => bearerTokenOf('Bearer')).toThrow(AuthenticationError);
  });
});

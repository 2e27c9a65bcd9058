import { describe, expect, it, jest } from '@jest/globals';
import { exportSPKI, generateKeyPair, SignJWT } from 'jose';
import { ServiceConfig } from '@jigsaw/config';
import { ErrorCode } from '@jigsaw/errors';
import { agencySystemToken, DEVELOPMENT_JWT_SECRET, practitionerToken, signTestToken } from '@jigsaw/testing';
import { AuthenticationError, bearerTokenOf, TokenVerifier, type TokenSettings } from './token-verifier.js';

const settings: TokenSettings = new ServiceConfig();
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

describe('TokenVerifier', () => {
  it('shares its development secret with the test helpers and `npm run token`', () => {
    expect(settings.JWT_SECRET).toBe(DEVELOPMENT_JWT_SECRET);
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

  it('verifies RS256 against a configured public key, and then refuses HS256 tokens', async () => {
    const { publicKey, privateKey } = await generateKeyPair('RS256');
    const rs = new TokenVerifier({ ...settings, JWT_PUBLIC_KEY: await exportSPKI(publicKey) });
    await rs.onModuleInit();
    const token = await new SignJWT({ ...dsl })
      .setProtectedHeader({ alg: 'RS256' })
      .setIssuer('jigsaw-dev')
      .setAudience('jigsaw')
      .setExpirationTime('5m')
      .sign(privateKey);
    await expect(rs.verify(token)).resolves.toMatchObject({ kind: 'practitioner', sub: 'dsl-1' });
    await refusal(practitionerToken(dsl), rs);
  });

  it('fails at start when the public key does not import', async () => {
    const broken = new TokenVerifier({
      ...settings,
      JWT_PUBLIC_KEY: '-----BEGIN PUBLIC KEY-----\nnot a key\n-----END PUBLIC KEY-----',
    });
    await expect(broken.onModuleInit()).rejects.toThrow('JWT_PUBLIC_KEY');
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

// Sign-in against real OpenID providers: panva's oidc-provider (OpenID Certified) on loopback, twice, one
// shaped like NHS CIS2 (national RBAC in a nested claim) and one like Microsoft Entra ID (app roles in
// `roles`). Tokens come from their token endpoints through the authorization code flow with PKCE and the
// client credentials grant with private_key_jwt; refusals are forged with the issuers' own keys.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { decodeJwt, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { ErrorCode } from '@jigsaw/errors';
import { Readiness } from '@jigsaw/http';
import { freePort, newSigningKey, OidcIssuer } from '@jigsaw/testing';
import {
  cis2Entry,
  cis2Practitioner,
  CONSOLE_REDIRECT,
  entraEntry,
  entraObjectId,
  startTwoIssuers,
  type TwoIssuers,
} from './testing/issuers.factory.js';
import {
  AuthenticationError,
  IssuerUnavailableError,
  TokenVerifier,
  type TokenSettings,
} from './token-verifier.js';

const consoleClient = { clientId: 'jigsaw-console', redirectUri: CONSOLE_REDIRECT };

const settingsFor = (entries: object[]): TokenSettings => ({
  JIGSAW_DEVELOPMENT: false,
  OIDC_ISSUERS: JSON.stringify(entries),
  JWT_ISSUER: 'jigsaw-dev',
  JWT_AUDIENCE: 'jigsaw',
});

async function refusal(verifier: TokenVerifier, token: string): Promise<string> {
  const error = await verifier.verify(token).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AuthenticationError);
  expect((error as AuthenticationError).code).toBe(ErrorCode.Unauthenticated);
  expect((error as AuthenticationError).challenge).toContain('error="invalid_token"');
  return (error as AuthenticationError).message;
}

const b64 = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A token as the issuer would sign it, for the refusals its token endpoint would never produce. */
async function forge(
  key: CryptoKey | Uint8Array,
  kid: string,
  claims: Record<string, unknown>,
  { alg = 'RS256', exp = '5m' } = {},
): Promise<string> {
  const jwt = new SignJWT(claims).setProtectedHeader({ alg, kid, typ: 'at+jwt' }).setIssuedAt();
  if (!('exp' in claims)) jwt.setExpirationTime(exp);
  return jwt.sign(key);
}

describe('sign-in through real OpenID providers', () => {
  let issuers: TwoIssuers;
  let verifier: TokenVerifier;

  beforeAll(async () => {
    issuers = await startTwoIssuers();
    verifier = new TokenVerifier(
      settingsFor([cis2Entry(issuers.cis2.issuer), entraEntry(issuers.entra.issuer)]),
    );
    verifier.onModuleInit();
  });
  afterAll(async () => issuers.close());

  it('maps a CIS2-like practitioner, signed in with the authorization code flow and PKCE', async () => {
    const token = await issuers.cis2.signIn('visitor-1', consoleClient);
    await expect(verifier.verify(token)).resolves.toEqual({
      kind: 'practitioner',
      sub: `${issuers.cis2.issuer}#visitor-1`,
      agency: 'health',
      organisation: 'urn:jigsaw:org:health:rr8',
      role: 'health-visitor',
      purposes: ['safeguarding', 'health-care', 'child-protection'],
    });
  });

  it('gets the national RBAC roles in the ID token as CIS2 gives them, and maps the same from the access token', async () => {
    const { accessToken, idToken } = await issuers.cis2.signInForTokens(
      'visitor-1',
      consoleClient,
      'nationalrbacaccess nhsperson',
    );
    const id = decodeJwt(idToken);
    const access = decodeJwt(accessToken);
    expect(id).toMatchObject({ aud: 'jigsaw-console', sub: 'visitor-1', nhsid_useruid: 'visitor-1' });
    expect(id['nhsid_nrbac_roles']).toEqual([
      {
        person_roleid: 'visitor-1-role',
        org_code: 'RR8',
        role_code: 'S8000:G8000:R8001',
        activity_codes: ['B0428', 'B1611'],
      },
    ]);
    expect(access['nhsid_nrbac_roles']).toEqual(id['nhsid_nrbac_roles']);
    // The ID token is the console's (its aud), never a bearer token for the hub.
    expect(await refusal(verifier, idToken)).toContain('wrong or missing aud claim');
    await expect(verifier.verify(accessToken)).resolves.toMatchObject({ role: 'health-visitor' });
  });

  it('maps an Entra-like practitioner, whose roles claim gives role and purposes both', async () => {
    const token = await issuers.entra.signIn('social-worker-1', consoleClient);
    await expect(verifier.verify(token)).resolves.toEqual({
      kind: 'practitioner',
      sub: `${issuers.entra.issuer}#${entraObjectId('social-worker-1')}`,
      agency: 'council',
      organisation: 'urn:jigsaw:org:council:leeds',
      role: 'social-worker',
      purposes: ['safeguarding'],
    });
  });

  it('maps an agency system that authenticated with private_key_jwt to its one organisation', async () => {
    const token = await issuers.cis2.clientCredentialsToken(issuers.trust.clientId, issuers.trust.privateKey);
    await expect(verifier.verify(token)).resolves.toEqual({
      kind: 'agency-system',
      sub: `${issuers.cis2.issuer}#rr8-epr`,
      agency: 'health',
      organisation: 'urn:jigsaw:org:health:rr8',
      role: 'agency-system',
    });
  });

  it('refuses a client assertion signed with another key at the issuer itself', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    await expect(issuers.cis2.clientCredentialsToken(issuers.trust.clientId, privateKey)).rejects.toThrow(
      'invalid_client',
    );
  });

  it.each([
    ['an unmapped role value', 'cis2', 'unmapped-role', 'nhsid_nrbac_roles.role_code'],
    ['an organisation the issuer may not assert', 'cis2', 'other-trust', 'nhsid_nrbac_roles.org_code'],
    ['an unmapped tenant', 'entra', 'other-tenant', 'tid'],
    ['two roles', 'entra', 'two-roles', 'roles'],
    ['an app role no mapping names', 'entra', 'stray-role', 'roles'],
  ] as const)('refuses a real token with %s', async (_what, which, account, claim) => {
    const token = await issuers[which].signIn(account, consoleClient);
    expect(await refusal(verifier, token)).toContain(`wrong or missing ${claim} claim`);
  });

  describe('refuses forged tokens', () => {
    const claimsFor = (issuer: OidcIssuer, audience: string, extra: Record<string, unknown> = {}) => ({
      iss: issuer.issuer,
      aud: audience,
      sub: 'clinician-1',
      ...cis2Practitioner('clinician-1').claims,
      ...extra,
    });
    const cis2 = () => issuers.cis2;
    const cis2Key = () => cis2().keys[0]!;

    it('accepts the forgery baseline, so each refusal below is for its one change', async () => {
      const token = await forge(cis2Key().privateKey, cis2Key().kid, claimsFor(cis2(), 'urn:jigsaw:hub'));
      await expect(verifier.verify(token)).resolves.toMatchObject({ role: 'clinician' });
    });

    it('alg none', async () => {
      const now = Math.floor(Date.now() / 1000);
      const token = `${b64({ alg: 'none' })}.${b64({ ...claimsFor(cis2(), 'urn:jigsaw:hub'), exp: now + 60 })}.`;
      expect(await refusal(verifier, token)).toContain('algorithm not allowed');
    });

    it('HS256 keyed with the published key', async () => {
      const published = new TextEncoder().encode(JSON.stringify(cis2Key().publicJwk));
      const token = await forge(published, cis2Key().kid, claimsFor(cis2(), 'urn:jigsaw:hub'), {
        alg: 'HS256',
      });
      expect(await refusal(verifier, token)).toContain('algorithm not allowed');
    });

    it('a kid the issuer does not hold', async () => {
      const stranger = await newSigningKey();
      const token = await forge(stranger.privateKey, stranger.kid, claimsFor(cis2(), 'urn:jigsaw:hub'));
      expect(await refusal(verifier, token)).toContain('key its issuer does not hold');
    });

    it('the issuer’s kid on another key', async () => {
      const stranger = await newSigningKey();
      const token = await forge(stranger.privateKey, cis2Key().kid, claimsFor(cis2(), 'urn:jigsaw:hub'));
      expect(await refusal(verifier, token)).toContain('not signed by a trusted issuer');
    });

    it('a wrong iss', async () => {
      const token = await forge(cis2Key().privateKey, cis2Key().kid, {
        ...claimsFor(cis2(), 'urn:jigsaw:hub'),
        iss: 'https://elsewhere.example',
      });
      expect(await refusal(verifier, token)).toContain('wrong or missing iss claim');
    });

    it('a wrong aud, and an aud naming other audiences too', async () => {
      const key = cis2Key();
      const wrong = await forge(key.privateKey, key.kid, claimsFor(cis2(), 'api://jigsaw'));
      expect(await refusal(verifier, wrong)).toContain('wrong or missing aud claim');
      const shared = await forge(
        key.privateKey,
        key.kid,
        claimsFor(cis2(), 'x', { aud: ['urn:jigsaw:hub', 'urn:other'] }),
      );
      expect(await refusal(verifier, shared)).toContain('wrong or missing aud claim');
    });

    it('expired beyond 60 s of clock tolerance, or not yet valid beyond it', async () => {
      const key = cis2Key();
      const now = Math.floor(Date.now() / 1000);
      const expired = await forge(
        key.privateKey,
        key.kid,
        claimsFor(cis2(), 'urn:jigsaw:hub', { exp: now - 61 }),
      );
      expect(await refusal(verifier, expired)).toContain('has expired');
      const lately = await forge(
        key.privateKey,
        key.kid,
        claimsFor(cis2(), 'urn:jigsaw:hub', { exp: now - 30 }),
      );
      await expect(verifier.verify(lately)).resolves.toMatchObject({ kind: 'practitioner' });
      const early = await forge(
        key.privateKey,
        key.kid,
        claimsFor(cis2(), 'urn:jigsaw:hub', { nbf: now + 120 }),
      );
      expect(await refusal(verifier, early)).toContain('wrong or missing nbf claim');
    });

    it('issuer A asserting an organisation that only issuer B may assert', async () => {
      // Issuer B here is a second health issuer that alone may assert the trust RXR.
      const { systems: _none, ...cis2Shape } = cis2Entry(issuers.entra.issuer);
      const issuerB = {
        ...cis2Shape,
        audience: 'api://jigsaw',
        organisations: ['urn:jigsaw:org:health:rxr'],
      };
      const both = new TokenVerifier(settingsFor([cis2Entry(cis2().issuer), issuerB]));
      const rxr = cis2Practitioner('clinician-1', { org: 'RXR' }).claims;
      const fromA = await forge(
        cis2Key().privateKey,
        cis2Key().kid,
        claimsFor(cis2(), 'urn:jigsaw:hub', rxr),
      );
      expect(await refusal(both, fromA)).toContain('wrong or missing nhsid_nrbac_roles.org_code claim');
      const entraKey = issuers.entra.keys[0]!;
      const fromB = await forge(
        entraKey.privateKey,
        entraKey.kid,
        claimsFor(issuers.entra, 'api://jigsaw', rxr),
      );
      await expect(both.verify(fromB)).resolves.toMatchObject({ organisation: 'urn:jigsaw:org:health:rxr' });
    });

    it('a development token outside development mode', async () => {
      const { signTestToken } = await import('@jigsaw/testing');
      const token = signTestToken({
        sub: 'x',
        agency: 'council',
        organisation: 'urn:jigsaw:org:council:leeds',
        role: 'social-worker',
        purposes: ['safeguarding'],
      });
      expect(await refusal(verifier, token)).toContain('wrong or missing iss claim');
    });
  });
});

describe('key rotation at the issuer', () => {
  let issuers: TwoIssuers;
  afterAll(async () => issuers.close());

  it('verifies tokens signed with a new key without a restart, and refuses a removed key after the cache bound', async () => {
    issuers = await startTwoIssuers();
    const cis2 = issuers.cis2;
    const verifier = new TokenVerifier(
      settingsFor([cis2Entry(cis2.issuer, { maxAgeSeconds: 2, cooldownSeconds: 0 })]),
    );
    verifier.onModuleInit();
    const [first] = cis2.keys;
    const before = await cis2.signIn('clinician-1', consoleClient);
    await expect(verifier.verify(before)).resolves.toMatchObject({ sub: `${cis2.issuer}#clinician-1` });

    const second = await newSigningKey();
    await cis2.rotate([second, first!]);
    const after = await cis2.signIn('clinician-1', consoleClient);
    expect(JSON.parse(Buffer.from(after.split('.')[0]!, 'base64url').toString())).toMatchObject({
      kid: second.kid,
    });
    await expect(verifier.verify(after)).resolves.toMatchObject({ sub: `${cis2.issuer}#clinician-1` });

    await cis2.rotate([second]);
    // Within the bound the cached key set still holds the removed key...
    await expect(verifier.verify(before)).resolves.toMatchObject({ sub: `${cis2.issuer}#clinician-1` });
    await sleep(2_200);
    // ...and after it the key set is fetched again and the removed key is gone.
    expect(await refusal(verifier, before)).toContain('key its issuer does not hold');
    await expect(verifier.verify(after)).resolves.toMatchObject({ sub: `${cis2.issuer}#clinician-1` });
  });
});

describe('an unreachable issuer', () => {
  it('at start: the service starts, its tokens wait (503), and it is used once it answers', async () => {
    const port = await freePort();
    const issuer = `http://127.0.0.1:${port}`;
    const readiness = new Readiness([]);
    const verifier = new TokenVerifier(
      settingsFor([cis2Entry(issuer, { maxAgeSeconds: 600, cooldownSeconds: 1 })]),
      readiness,
    );
    verifier.onModuleInit();
    await expect(readiness.report()).resolves.toEqual({ [`issuer ${issuer}`]: 'down' });
    expect(readiness.isAdvisory(`issuer ${issuer}`)).toBe(true);
    // A token naming it can be neither accepted nor refused yet: 503, to retry once discovery may be.
    const key = await newSigningKey();
    const early = await forge(key.privateKey, key.kid, {
      iss: issuer,
      aud: 'urn:jigsaw:hub',
      sub: 'clinician-1',
      ...cis2Practitioner('clinician-1').claims,
    });
    const error = await verifier.verify(early).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IssuerUnavailableError);
    expect((error as IssuerUnavailableError).retryAfterSeconds).toBe(1);

    const cis2 = await OidcIssuer.start({
      port,
      audience: 'urn:jigsaw:hub',
      accounts: [cis2Practitioner('clinician-1')],
      clients: [{ clientId: 'jigsaw-console', kind: 'public', redirectUris: [CONSOLE_REDIRECT] }],
    });
    try {
      const token = await cis2.signIn('clinician-1', consoleClient);
      await sleep(1_100);
      await expect(verifier.verify(token)).resolves.toMatchObject({ sub: `${issuer}#clinician-1` });
      await sleep(5_100);
      await expect(readiness.report()).resolves.toEqual({ [`issuer ${issuer}`]: 'up' });
    } finally {
      await cis2.close();
    }
  });

  it('during the run: cached keys keep working until they expire, then its tokens wait for it (503)', async () => {
    const issuers = await startTwoIssuers();
    try {
      const readiness = new Readiness([]);
      const verifier = new TokenVerifier(
        settingsFor([
          cis2Entry(issuers.cis2.issuer, { maxAgeSeconds: 2, cooldownSeconds: 1 }),
          entraEntry(issuers.entra.issuer),
        ]),
        readiness,
      );
      verifier.onModuleInit();
      const first = await issuers.cis2.signIn('clinician-1', consoleClient);
      const second = await issuers.cis2.signIn('visitor-1', consoleClient);
      const entra = await issuers.entra.signIn('social-worker-1', consoleClient);
      await expect(verifier.verify(first)).resolves.toMatchObject({
        sub: `${issuers.cis2.issuer}#clinician-1`,
      });

      await issuers.cis2.stop();
      await expect(verifier.verify(second)).resolves.toMatchObject({
        sub: `${issuers.cis2.issuer}#visitor-1`,
      });
      await sleep(2_200);
      // Not a 401, which would send the practitioner to sign in at a provider that is down: a 503 to retry.
      for (const token of [second, first]) {
        const error = await verifier.verify(token).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(IssuerUnavailableError);
        expect((error as IssuerUnavailableError).code).toBe(ErrorCode.IssuerUnavailable);
        expect((error as IssuerUnavailableError).retryAfterSeconds).toBe(1);
      }
      await expect(verifier.verify(entra)).resolves.toMatchObject({ role: 'social-worker' });
      await expect(readiness.report()).resolves.toEqual({
        [`issuer ${issuers.cis2.issuer}`]: 'down',
        [`issuer ${issuers.entra.issuer}`]: 'up',
      });
    } finally {
      await issuers.close();
    }
  });
});

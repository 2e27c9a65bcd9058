// Sign-in as a deployment runs it: the services outside development mode, with real secrets, trusting two
// real OpenID providers (panva's oidc-provider, CIS2-like and Entra-like claim shapes). An agency system
// posts with a client credentials token (private_key_jwt); practitioners read with tokens from the
// authorization code flow with PKCE; forged and foreign tokens are refused with 401 and change nothing.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SignJWT } from 'jose';
import {
  aNhsNumber,
  createTestDatabase,
  newSigningKey,
  practitionerToken,
  type TestDatabase,
} from '@jigsaw/testing';
import {
  cis2Entry,
  cis2Practitioner,
  CONSOLE_REDIRECT,
  entraEntry,
  entraObjectId,
  startTwoIssuers,
  type TwoIssuers,
} from '../libs/auth/src/testing/issuers.factory.js';
import { deploymentEnv } from './support/deployment.js';
import { encounterBundle } from './support/fhir-bundles.js';
import { eventually, getJson, postJson } from './support/http.js';
import { ServiceProcess, startServices } from './support/service-process.js';

const TRUST = 'urn:jigsaw:org:health:rr8';
const consoleClient = { clientId: 'jigsaw-console', redirectUri: CONSOLE_REDIRECT };
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

interface Chronology {
  entries: { id: string; agency: string; type: string }[];
}

describe('sign-in outside development mode, against two real OpenID providers', () => {
  let issuers: TwoIssuers;
  let db: TestDatabase;
  let health: ServiceProcess;
  let view: ServiceProcess;
  const nhsNumber = aNhsNumber();
  let recorded: string[] = [];

  const eventCount = async (): Promise<number> =>
    Number((await db.pool.query<{ n: string }>('SELECT count(*) AS n FROM event_store.events')).rows[0]!.n);

  beforeAll(async () => {
    issuers = await startTwoIssuers();
    db = await createTestDatabase();
    const env = deploymentEnv(db, 'sign-in', [
      cis2Entry(issuers.cis2.issuer, { maxAgeSeconds: 600, cooldownSeconds: 1 }),
      // Its keys are due every 4 s, so the run can see them go stale while it is down.
      entraEntry(issuers.entra.issuer, { maxAgeSeconds: 4, cooldownSeconds: 1 }),
    ]);
    [health, view] = (await startServices(env, 'health', 'safeguarding-view')) as [
      ServiceProcess,
      ServiceProcess,
    ];
  }, 120_000);

  afterAll(async () => {
    await Promise.all([health?.stop(), view?.stop()]);
    await issuers?.close();
    await db?.drop();
  });

  it('an agency system posts with a client credentials token, authenticated by private_key_jwt', async () => {
    const token = await issuers.cis2.clientCredentialsToken(issuers.trust.clientId, issuers.trust.privateKey);
    const response = await postJson<{ accepted: number; entries: { id?: string }[] }>(
      `${health.url}/v1/adapters/fhir`,
      encounterBundle(nhsNumber),
      bearer(token),
    );
    expect(response.status).toBe(200);
    expect(response.body.accepted).toBe(1);
    recorded = response.body.entries.flatMap((entry) => (entry.id ? [entry.id] : []));
    const stored = await db.pool.query<{ id: string; source: string }>(
      'SELECT id, source FROM event_store.events WHERE id = ANY($1::text[])',
      [recorded],
    );
    expect(stored.rows).toEqual([{ id: recorded[0], source: TRUST }]);
  });

  it('a practitioner from each issuer signs in with PKCE and reads what their mapped role may see', async () => {
    const clinician = await issuers.cis2.signIn('clinician-1', consoleClient);
    const socialWorker = await issuers.entra.signIn('social-worker-1', consoleClient);
    // The council has no relationship with the trust's patient yet: its social worker claims access, with
    // the same token, once the view knows the child.
    await eventually(
      async () => {
        const claim = await postJson(
          `${view.url}/v1/children/access-claims?purpose=safeguarding`,
          { nhsNumber, purpose: 'safeguarding', reason: 'Strategy discussion today about this child.' },
          bearer(socialWorker),
        );
        return claim.status === 201 ? true : undefined;
      },
      20_000,
      'the social worker’s access claim',
    );
    for (const token of [clinician, socialWorker]) {
      const chronology = await eventually(
        async () => {
          const response = await getJson<Chronology>(
            `${view.url}/v1/children/${nhsNumber}/chronology?purpose=safeguarding`,
            bearer(token),
          );
          return response.status === 200 && response.body.entries.length > 0 ? response.body : undefined;
        },
        20_000,
        'the chronology',
      );
      expect(chronology.entries.map((e) => e.id)).toEqual(recorded);
    }
    // Each look, and the access claim, is recorded under the subject scoped by its issuer (Entra's oid,
    // not its pairwise sub): the same sub from another issuer would be another person.
    const socialWorkerIdentity = `${issuers.entra.issuer}#${entraObjectId('social-worker-1')}`;
    const { rows } = await db.pool.query<{ sub: string }>(
      `SELECT DISTINCT payload->'data'->'record'->'viewer'->>'sub' AS sub FROM event_store.events
       WHERE type = 'hub.record-accessed'`,
    );
    expect(rows.map((r) => r.sub).sort()).toEqual(
      [`${issuers.cis2.issuer}#clinician-1`, socialWorkerIdentity].sort(),
    );
    const claims = await db.pool.query<{ sub: string }>(
      `SELECT payload->'data'->'record'->'claimant'->>'sub' AS sub FROM event_store.events
       WHERE type = 'hub.access-claimed'`,
    );
    expect(claims.rows).toEqual([{ sub: socialWorkerIdentity }]);
    // The Entra-like mapping grants the social worker safeguarding only: other purposes are refused.
    const other = await getJson(
      `${view.url}/v1/children/${nhsNumber}/chronology?purpose=health-care`,
      bearer(socialWorker),
    );
    expect(other.status).toBe(403);
    const care = await getJson(
      `${view.url}/v1/children/${nhsNumber}/chronology?purpose=health-care`,
      bearer(clinician),
    );
    expect(care.status).toBe(200);
  });

  describe('refusals: 401 (problem+json, an OperationOutcome from FHIR), and nothing recorded', () => {
    const forged = async (change: Record<string, unknown>) => {
      const key = issuers.cis2.keys[0]!;
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({
        iss: issuers.cis2.issuer,
        aud: 'urn:jigsaw:hub',
        sub: 'clinician-1',
        iat: now,
        exp: now + 300,
        ...cis2Practitioner('clinician-1').claims,
        ...change,
      })
        .setProtectedHeader({ alg: 'RS256', kid: key.kid })
        .sign(key.privateKey);
    };
    const b64 = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');

    const cases: [string, () => Promise<string>][] = [
      ['alg none', async () => `${b64({ alg: 'none' })}.${(await forged({})).split('.')[1]}.`],
      [
        'HS256 keyed with the published key',
        async () =>
          new SignJWT({
            iss: issuers.cis2.issuer,
            aud: 'urn:jigsaw:hub',
            sub: 'x',
            ...cis2Practitioner('x').claims,
          })
            .setProtectedHeader({ alg: 'HS256', kid: issuers.cis2.keys[0]!.kid })
            .setExpirationTime('5m')
            .sign(new TextEncoder().encode(JSON.stringify(issuers.cis2.keys[0]!.publicJwk))),
      ],
      [
        'a kid the issuer does not hold',
        async () => {
          const stranger = await newSigningKey();
          return new SignJWT({
            iss: issuers.cis2.issuer,
            aud: 'urn:jigsaw:hub',
            sub: 'x',
            ...cis2Practitioner('x').claims,
          })
            .setProtectedHeader({ alg: 'RS256', kid: stranger.kid })
            .setExpirationTime('5m')
            .sign(stranger.privateKey);
        },
      ],
      ['a wrong iss', () => forged({ iss: 'https://elsewhere.example' })],
      ['a wrong aud', () => forged({ aud: 'api://jigsaw' })],
      ['an aud naming other audiences too', () => forged({ aud: ['urn:jigsaw:hub', 'urn:other-api'] })],
      ['an expired token', () => forged({ exp: Math.floor(Date.now() / 1000) - 120 })],
      ['a token not yet valid', () => forged({ nbf: Math.floor(Date.now() / 1000) + 600 })],
      [
        'an organisation the issuer may not assert',
        () => forged(cis2Practitioner('x', { org: 'RXR' }).claims),
      ],
      ['an unmapped role', () => forged(cis2Practitioner('x', { role: 'S0000:G0000:R9999' }).claims)],
      [
        'a development token',
        () =>
          Promise.resolve(
            practitionerToken({
              sub: 'x',
              agency: 'health',
              organisation: TRUST,
              role: 'clinician',
              purposes: ['safeguarding'],
            }),
          ),
      ],
    ];

    it.each(cases)('%s', async (_what, make) => {
      const token = await make();
      const before = await eventCount();
      const post = await postJson<Record<string, unknown>>(
        `${health.url}/v1/adapters/fhir`,
        encounterBundle(aNhsNumber()),
        bearer(token),
      );
      const read = await getJson<{ code: string }>(
        `${view.url}/v1/children/${nhsNumber}/chronology?purpose=safeguarding`,
        bearer(token),
      );
      // The FHIR adapter refuses as FHIR clients read it, the query API as problem+json.
      expect(post.status).toBe(401);
      expect(post.contentType).toContain('application/fhir+json');
      expect(post.body).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ code: 'login' }] });
      expect(read.status).toBe(401);
      expect(read.contentType).toContain('application/problem+json');
      expect(read.body.code).toBe('UNAUTHENTICATED');
      expect(await eventCount()).toBe(before);
    });
  });

  it('an issuer that is down: cached keys still work, then 503 with Retry-After (a transient OperationOutcome from FHIR), and /health/ready names it', async () => {
    const ready = await getJson<{ status: string; checks: Record<string, string> }>(
      `${view.url}/health/ready`,
    );
    expect(ready.body.checks).toMatchObject({
      [`issuer ${issuers.cis2.issuer}`]: 'up',
      [`issuer ${issuers.entra.issuer}`]: 'up',
    });
    const clinician = await issuers.cis2.signIn('clinician-1', consoleClient);
    const [warm, unused, later] = await Promise.all(
      [1, 2, 3].map(() => issuers.entra.signIn('social-worker-1', consoleClient)),
    );
    const read = (token: string) =>
      fetch(`${view.url}/v1/children/${nhsNumber}/chronology?purpose=safeguarding`, {
        headers: bearer(token),
      });
    expect((await read(warm!)).status).toBe(200);
    const councilSystem = await issuers.entra.clientCredentialsToken(
      issuers.council.clientId,
      issuers.council.privateKey,
    );
    await issuers.entra.stop();
    try {
      // A token never seen before verifies with the keys cached a moment ago.
      expect((await read(unused!)).status).toBe(200);
      // Once the keys are due and the issuer does not answer, its tokens can be neither accepted nor
      // refused: 503 to retry, not a 401 that would send the practitioner to a provider that is down.
      const unavailable = await eventually(async () => {
        const response = await read(later!);
        if (response.status === 200) return undefined;
        return response;
      }, 15_000);
      expect(unavailable.status).toBe(503);
      expect(unavailable.headers.get('content-type')).toContain('application/problem+json');
      expect(Number(unavailable.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(await unavailable.json()).toMatchObject({ status: 503, code: 'ISSUER_UNAVAILABLE' });
      // The FHIR adapter says the same as FHIR clients read it: a transient issue, to send again later.
      const fhir = await fetch(`${health.url}/v1/adapters/fhir`, {
        method: 'POST',
        headers: { ...bearer(councilSystem), 'content-type': 'application/fhir+json' },
        body: JSON.stringify(encounterBundle(aNhsNumber())),
      });
      expect(fhir.status).toBe(503);
      expect(fhir.headers.get('content-type')).toContain('application/fhir+json');
      expect(Number(fhir.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(await fhir.json()).toMatchObject({
        resourceType: 'OperationOutcome',
        issue: [{ code: 'transient' }],
      });

      const down = await eventually(async () => {
        const response = await getJson<{ status: string; checks: Record<string, string> }>(
          `${view.url}/health/ready`,
        );
        return response.body.checks[`issuer ${issuers.entra.issuer}`] === 'down' ? response : undefined;
      }, 15_000);
      expect(down.status).toBe(200);
      expect(down.body.checks[`issuer ${issuers.cis2.issuer}`]).toBe('up');
      expect((await read(clinician)).status).toBe(200);
    } finally {
      await issuers.entra.resume();
    }
  });
});

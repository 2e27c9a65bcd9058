import { exportJWK, generateKeyPair, type CryptoKey, type JWK } from 'jose';
import { OidcIssuer, type IssuerAccount } from '@jigsaw/testing';

/** Redirect URI of the console client in tests; never opened, the code is read from the redirect. */
export const CONSOLE_REDIRECT = 'http://127.0.0.1/console/signed-in';
export const LEEDS_TENANT = '0c5d6a2e-6b1f-4c39-9d0e-6a1f2b3c4d5e';
export const OTHER_TENANT = '9f8e7d6c-5b4a-4321-8fed-cba987654321';

/** CIS2's scopes and the claims each gives in userinfo and the ID token. */
export const CIS2_SCOPE_CLAIMS = { nationalrbacaccess: ['nhsid_nrbac_roles'], nhsperson: ['nhsid_useruid'] };

/** A practitioner as NHS CIS2 describes one: national RBAC in a nested claim, the trust's ODS code. */
export const cis2Practitioner = (
  id: string,
  { org = 'RR8', role = 'S8000:G8000:R8000', activities = ['B0428'] } = {},
): IssuerAccount => ({
  id,
  claims: {
    nhsid_useruid: id,
    nhsid_nrbac_roles: [
      { person_roleid: `${id}-role`, org_code: org, role_code: role, activity_codes: activities },
    ],
  },
});

/** An Entra object id for an account: the same for every application, unlike Entra's pairwise `sub`. */
export const entraObjectId = (id: string): string =>
  `00000000-0000-4000-8000-${Buffer.from(id).toString('hex').padEnd(12, '0').slice(0, 12)}`;

/**
 * A practitioner as Microsoft Entra ID describes one: the tenant in `tid`, the person in `oid`, app roles
 * in `roles`.
 */
export const entraPractitioner = (
  id: string,
  { tid = LEEDS_TENANT, roles = ['Jigsaw.SocialWorker', 'Jigsaw.Purpose.Safeguarding'] } = {},
): IssuerAccount => ({
  id,
  claims: { tid, oid: entraObjectId(id), roles, ver: '2.0' },
});

export interface SystemClient {
  clientId: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

export async function systemClient(clientId: string): Promise<SystemClient> {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  return { clientId, privateKey, publicJwk: { ...(await exportJWK(publicKey)), alg: 'RS256', use: 'sig' } };
}

type KeySettings = { maxAgeSeconds: number; cooldownSeconds: number };

/** The `OIDC_ISSUERS` entry for a CIS2-like issuer, as docs/security-and-privacy.md shows it. */
export const cis2Entry = (
  issuer: string,
  keys: KeySettings = { maxAgeSeconds: 600, cooldownSeconds: 30 },
  extra: object = {},
) => ({
  issuer,
  audience: 'urn:jigsaw:hub',
  agency: 'health',
  organisations: ['urn:jigsaw:org:health:rr8', 'urn:jigsaw:org:health:rhq'],
  claims: {
    organisation: { claim: 'nhsid_nrbac_roles.org_code', prefix: 'urn:jigsaw:org:health:' },
    role: {
      claim: 'nhsid_nrbac_roles.role_code',
      values: { 'S8000:G8000:R8000': 'clinician', 'S8000:G8000:R8001': 'health-visitor' },
    },
    purposes: {
      claim: 'nhsid_nrbac_roles.activity_codes',
      values: { B0428: ['safeguarding', 'health-care'], B1611: ['child-protection'] },
    },
  },
  systems: { claim: 'client_id', clients: { 'rr8-epr': 'urn:jigsaw:org:health:rr8' } },
  keys,
  ...extra,
});

/** The `OIDC_ISSUERS` entry for an Entra-like issuer, as docs/security-and-privacy.md shows it. */
export const entraEntry = (
  issuer: string,
  keys: KeySettings = { maxAgeSeconds: 600, cooldownSeconds: 30 },
  extra: object = {},
) => ({
  issuer,
  audience: 'api://jigsaw',
  agency: 'council',
  organisations: ['urn:jigsaw:org:council:leeds'],
  claims: {
    subject: { claim: 'oid' },
    organisation: { claim: 'tid', values: { [LEEDS_TENANT]: 'urn:jigsaw:org:council:leeds' } },
    role: {
      claim: 'roles',
      values: { 'Jigsaw.SocialWorker': 'social-worker', 'Jigsaw.TeamManager': 'team-manager' },
    },
    purposes: {
      claim: 'roles',
      values: {
        'Jigsaw.Purpose.Safeguarding': ['safeguarding'],
        'Jigsaw.Purpose.ChildProtection': ['child-protection'],
        'Jigsaw.Purpose.EarlyHelp': ['early-help'],
      },
    },
  },
  systems: { claim: 'client_id', clients: { 'leeds-case-management': 'urn:jigsaw:org:council:leeds' } },
  keys,
  ...extra,
});

export interface TwoIssuers {
  cis2: OidcIssuer;
  entra: OidcIssuer;
  trust: SystemClient;
  council: SystemClient;
  /** Ends both providers' processes. */
  close(): Promise<void>;
}

/**
 * Two real OpenID providers with different claim shapes, each with its practitioners and one agency system.
 * `console` is where the console client may be sent back to (the tests' own redirect besides).
 */
export async function startTwoIssuers({
  accessTokenTtl = 600,
  cis2AccessTokenTtl = accessTokenTtl,
  console: consoleUris = [],
}: { accessTokenTtl?: number; cis2AccessTokenTtl?: number; console?: string[] } = {}): Promise<TwoIssuers> {
  const [trust, council] = await Promise.all([
    systemClient('rr8-epr'),
    systemClient('leeds-case-management'),
  ]);
  const consoleClient = {
    clientId: 'jigsaw-console',
    kind: 'public' as const,
    redirectUris: [CONSOLE_REDIRECT, ...consoleUris],
    postLogoutRedirectUris: consoleUris,
  };
  const [cis2, entra] = await Promise.all([
    OidcIssuer.start({
      audience: 'urn:jigsaw:hub',
      accessTokenTtl: cis2AccessTokenTtl,
      // As CIS2: the national RBAC roles in userinfo and the ID token when `nationalrbacaccess` is asked.
      scopeClaims: CIS2_SCOPE_CLAIMS,
      accounts: [
        cis2Practitioner('clinician-1'),
        cis2Practitioner('visitor-1', { role: 'S8000:G8000:R8001', activities: ['B0428', 'B1611'] }),
        cis2Practitioner('unmapped-role', { role: 'S0000:G0000:R9999' }),
        cis2Practitioner('other-trust', { org: 'RXR' }),
        // A trust the issuer may speak for that has no relationship with the tests' children.
        cis2Practitioner('rhq-clinician', { org: 'RHQ' }),
      ],
      clients: [consoleClient, { clientId: trust.clientId, kind: 'system', publicJwk: trust.publicJwk }],
    }),
    OidcIssuer.start({
      audience: 'api://jigsaw',
      accessTokenTtl,
      accounts: [
        entraPractitioner('social-worker-1'),
        entraPractitioner('two-roles', {
          roles: ['Jigsaw.SocialWorker', 'Jigsaw.TeamManager', 'Jigsaw.Purpose.Safeguarding'],
        }),
        entraPractitioner('other-tenant', { tid: OTHER_TENANT }),
        entraPractitioner('stray-role', {
          roles: ['Jigsaw.SocialWorker', 'Jigsaw.Purpose.Safeguarding', 'Finance.Approver'],
        }),
      ],
      clients: [
        consoleClient,
        {
          clientId: council.clientId,
          kind: 'system',
          publicJwk: council.publicJwk,
          // As Entra's app-only tokens: the tenant, and the object id of the application's service principal.
          claims: { tid: LEEDS_TENANT, oid: entraObjectId(council.clientId), ver: '2.0' },
        },
      ],
    }),
  ]);
  return {
    cis2,
    entra,
    trust,
    council,
    close: async () => {
      await Promise.all([cis2.close(), entra.close()]);
    },
  };
}

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { repoRoot } from '@jigsaw/config';
import { claimValues, principalFromIssuerClaims } from './claim-mapping.js';
import { parseOidcIssuers, type IssuerSettings } from './oidc-issuers.js';
import { cis2Entry, cis2Practitioner, entraEntry, LEEDS_TENANT } from './testing/issuers.factory.js';

const [cis2] = parseOidcIssuers(JSON.stringify([cis2Entry('https://cis2.example')])) as [IssuerSettings];
const [entra] = parseOidcIssuers(JSON.stringify([entraEntry('https://entra.example')])) as [IssuerSettings];

const ROLE_CODES = ['S8000:G8000:R8000', 'S8000:G8000:R8001', 'S0000:G0000:R9999', 'R8000'];
const ACTIVITIES = ['B0428', 'B1611', 'B0000'];
const ORG_CODES = ['RR8', 'rhq', 'RXR', 'R1A', 'rr8x'];
const APP_ROLES = [
  'Jigsaw.SocialWorker',
  'Jigsaw.TeamManager',
  'Jigsaw.Purpose.Safeguarding',
  'Jigsaw.Purpose.ChildProtection',
  'Finance.Approver',
];

describe('claimValues', () => {
  it('reads a dotted path through nested arrays', () => {
    const claims = cis2Practitioner('p', { activities: ['B0428', 'B1611'] }).claims;
    expect(claimValues(claims, 'nhsid_nrbac_roles.activity_codes')).toEqual(['B0428', 'B1611']);
    expect(claimValues({ roles: ['a', 'a', 7] }, 'roles')).toEqual(['a']);
    expect(claimValues({}, 'a.b')).toEqual([]);
  });
});

describe('principalFromIssuerClaims, CIS2-like', () => {
  const mappedRoles = Object.keys(cis2.claims.role.values);
  const mappedActivities = Object.keys(cis2.claims.purposes.values);

  it('accepts exactly the tokens whose every value is mapped, with one role and an organisation it may assert (both directions)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ORG_CODES),
        fc.uniqueArray(fc.constantFrom(...ROLE_CODES), { minLength: 0, maxLength: 3 }),
        fc.uniqueArray(fc.constantFrom(...ACTIVITIES), { minLength: 0, maxLength: 3 }),
        (org, roleCodes, activities) => {
          const claims = {
            sub: 'p-1',
            nhsid_nrbac_roles: roleCodes.map((role_code) => ({
              org_code: org,
              role_code,
              activity_codes: activities,
            })),
          };
          const result = principalFromIssuerClaims(cis2, claims);
          const organisation = `urn:jigsaw:org:health:${org.toLowerCase()}`;
          const roles = new Set(roleCodes.map((code) => cis2.claims.role.values[code]));
          const expected =
            roleCodes.length > 0 &&
            cis2.organisations.includes(organisation) &&
            roleCodes.every((code) => mappedRoles.includes(code)) &&
            activities.length > 0 &&
            activities.every((code) => mappedActivities.includes(code)) &&
            roles.size === 1;
          expect('invalid' in result).toBe(!expected);
          if (!('invalid' in result)) {
            expect(result).toMatchObject({ kind: 'practitioner', organisation, agency: 'health' });
            if (result.kind !== 'practitioner') return;
            expect(result.role).toBe([...roles][0]);
            expect(new Set(result.purposes)).toEqual(
              new Set(activities.flatMap((code) => cis2.claims.purposes.values[code]!)),
            );
          }
        },
      ),
    );
  });
});

describe('principalFromIssuerClaims, Entra-like', () => {
  it('reads role and purposes from one roles claim, refusing any app role neither names (both directions)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(LEEDS_TENANT, '9f8e7d6c-5b4a-4321-8fed-cba987654321'),
        fc.uniqueArray(fc.constantFrom(...APP_ROLES), { maxLength: 5 }),
        (tid, roles) => {
          const result = principalFromIssuerClaims(entra, { sub: 'pairwise', oid: 'sw-1', tid, roles });
          const role = roles.filter((r) => r in entra.claims.role.values);
          const purposes = roles.filter((r) => r in entra.claims.purposes.values);
          const expected =
            tid === LEEDS_TENANT &&
            !roles.includes('Finance.Approver') &&
            role.length === 1 &&
            purposes.length > 0;
          expect('invalid' in result).toBe(!expected);
          if (!('invalid' in result)) {
            expect(result).toMatchObject({
              organisation: 'urn:jigsaw:org:council:leeds',
              role: entra.claims.role.values[role[0]!],
            });
          }
        },
      ),
    );
  });

  it('maps a mapped client to its one organisation as an agency system, and no other client', () => {
    expect(
      principalFromIssuerClaims(entra, { sub: 'x', oid: 'app-1', client_id: 'leeds-case-management' }),
    ).toEqual({
      kind: 'agency-system',
      sub: 'https://entra.example#app-1',
      agency: 'council',
      organisation: 'urn:jigsaw:org:council:leeds',
      role: 'agency-system',
    });
    expect(principalFromIssuerClaims(entra, { oid: 'x', client_id: 'someone-else' })).toMatchObject({
      invalid: 'tid',
    });
  });
});

describe('the identity recorded', () => {
  const [other] = parseOidcIssuers(
    JSON.stringify([
      { ...cis2Entry('https://other-cis2.example'), organisations: ['urn:jigsaw:org:health:*'] },
    ]),
  ) as [IssuerSettings];
  const clinician = cis2Practitioner('p-1').claims;

  it('is the issuer’s subject scoped by the issuer: the same sub from two issuers is two people', () => {
    const here = principalFromIssuerClaims(cis2, { sub: 'p-1', ...clinician });
    const there = principalFromIssuerClaims(other, { sub: 'p-1', ...clinician });
    expect(here).toMatchObject({ sub: 'https://cis2.example#p-1' });
    expect(there).toMatchObject({ sub: 'https://other-cis2.example#p-1' });
  });

  it('comes from the claim the entry names (Entra’s oid), and is refused when missing, several or too long', () => {
    const roles = ['Jigsaw.SocialWorker', 'Jigsaw.Purpose.Safeguarding'];
    const claims = { sub: 'pairwise-per-app', tid: LEEDS_TENANT, roles };
    expect(principalFromIssuerClaims(entra, { ...claims, oid: 'o-1' })).toMatchObject({
      sub: 'https://entra.example#o-1',
    });
    expect(principalFromIssuerClaims(entra, claims)).toEqual({ invalid: 'oid', reason: 'is missing' });
    expect(principalFromIssuerClaims(entra, { ...claims, oid: ['o-1', 'o-2'] })).toEqual({
      invalid: 'oid',
      reason: 'names more than one subject',
    });
    expect(principalFromIssuerClaims(entra, { ...claims, oid: 'o'.repeat(190) })).toEqual({
      invalid: 'oid',
      reason: 'is too long',
    });
  });
});

describe('parseOidcIssuers', () => {
  const good = cis2Entry('https://cis2.example');
  const fails = (entry: object) => () => parseOidcIssuers(JSON.stringify([entry]));

  it.each([
    [{ ...good, issuer: 'http://idp.example' }, 'issuer must be an https URL'],
    [{ ...good, audience: '' }, 'audience is required'],
    [{ ...good, agency: 'army' }, 'agency must be one of'],
    [
      { ...good, organisations: ['urn:jigsaw:org:council:leeds'] },
      'organisations[0] must be urn:jigsaw:org:health',
    ],
    [{ ...good, claims: { ...good.claims, organisation: {} } }, 'claims.organisation.claim is required'],
    [
      { ...good, claims: { ...good.claims, role: { claim: 'r', values: { X: 'agency-system' } } } },
      'claims.role.values.X must be a practitioner role',
    ],
    [
      { ...good, claims: { ...good.claims, purposes: { claim: 'p', values: { X: ['marketing'] } } } },
      'claims.purposes.values.X must list purposes',
    ],
    [
      { ...good, systems: { claim: 'client_id', clients: { epr: 'urn:jigsaw:org:health:rxr' } } },
      'systems.clients.epr must be one of the organisations',
    ],
    [{ ...good, algorithms: ['HS256'] }, 'algorithms must list asymmetric algorithms'],
    [{ ...good, keys: { maxAgeSeconds: -1 } }, 'keys.maxAgeSeconds must be a whole number'],
    [{ ...good, clockToleranceSeconds: 600 }, 'clockToleranceSeconds must be a whole number of seconds'],
    [{ ...good, claims: { ...good.claims, subject: { claim: '' } } }, 'claims.subject.claim is required'],
  ])('refuses a bad entry naming the issuer and the field (%#)', (entry, message) => {
    expect(fails(entry)).toThrow(`OIDC_ISSUERS: issuer ${(entry as { issuer: string }).issuer}: ${message}`);
  });

  it('refuses what is not a JSON array, and an issuer listed twice', () => {
    expect(() => parseOidcIssuers('{')).toThrow('OIDC_ISSUERS must be JSON');
    expect(() => parseOidcIssuers('{}')).toThrow('OIDC_ISSUERS must be a JSON array');
    expect(() => parseOidcIssuers(JSON.stringify([good, good]))).toThrow('is listed twice');
  });

  it('reads the documented example for a CIS2-like and an Entra-like issuer', () => {
    const page = readFileSync(join(repoRoot(), 'docs/security-and-privacy.md'), 'utf8');
    const example = /## Sign-in\n[\s\S]*?```json\n([\s\S]*?)```/.exec(page)?.[1];
    const entries = parseOidcIssuers(example);
    expect(entries.map((e) => [e.agency, e.console?.label])).toEqual([
      ['health', 'NHS Care Identity Service 2'],
      ['council', 'Leeds City Council'],
    ]);
    const [, entraExample] = entries;
    expect(
      principalFromIssuerClaims(entraExample!, {
        sub: 'x',
        oid: 'o-1',
        tid: '0c5d6a2e-6b1f-4c39-9d0e-6a1f2b3c4d5e',
        roles: ['Jigsaw.TeamManager', 'Jigsaw.Purpose.ChildProtection'],
      }),
    ).toMatchObject({ organisation: 'urn:jigsaw:org:council:leeds', role: 'team-manager' });
  });

  it('allows http only on loopback, and takes defaults for keys and algorithms', () => {
    const [entry] = parseOidcIssuers(
      JSON.stringify([{ ...good, issuer: 'http://127.0.0.1:3009', keys: undefined }]),
    );
    expect(entry).toMatchObject({
      algorithms: ['RS256', 'PS256', 'ES256'],
      clockToleranceSeconds: 60,
      keys: { maxAgeSeconds: 600, cooldownSeconds: 30 },
    });
  });
});

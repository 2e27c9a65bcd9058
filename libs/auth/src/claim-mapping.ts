import { agencyOfSource, type Purpose } from '@jigsaw/envelope';
import { mayAssert, type IssuerSettings } from './oidc-issuers.js';
import type { Principal } from './principal.js';

/** The string values at a dotted path; arrays met on the way are read element by element. */
const flatten = (value: unknown): unknown[] => (Array.isArray(value) ? (value as unknown[]) : [value]);

export function claimValues(claims: unknown, path: string): string[] {
  let current: unknown[] = [claims];
  for (const step of path.split('.')) {
    current = current
      .flatMap(flatten)
      .map((value) =>
        typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[step] : undefined,
      )
      .filter((value) => value !== undefined);
  }
  const values = current.flatMap(flatten);
  return [...new Set(values.filter((value): value is string => typeof value === 'string'))];
}

export type MappingRefusal = { invalid: string; reason: string };

/** Longest identity the hub records (the events' `sub` fields allow 200 characters). */
const SUBJECT_MAX = 200;

/**
 * The person or system an issuer's subject names, as the hub records it: a `sub` is unique only within
 * its issuer (OpenID Connect Core 1.0 section 2), so the same value from two issuers is two identities.
 * The issuer URL has no fragment, so `<issuer>#<subject>` reads back unambiguously.
 */
export function scopedSubject(issuer: string, subject: string): string {
  return `${issuer}#${subject}`;
}

/**
 * Reads a verified token from one issuer into a principal by that issuer's claim mapping, or names the
 * claim that refuses it. Nothing is guessed: an unmapped value, a second organisation or two roles refuse
 * the token, and so does an organisation this issuer may not assert.
 */
export function principalFromIssuerClaims(
  settings: IssuerSettings,
  claims: Record<string, unknown>,
): Principal | MappingRefusal {
  const subjectClaim = settings.claims.subject?.claim ?? 'sub';
  const subjects = claimValues(claims, subjectClaim);
  if (subjects.length !== 1 || subjects[0]!.length === 0) {
    return { invalid: subjectClaim, reason: subjects.length ? 'names more than one subject' : 'is missing' };
  }
  const sub = scopedSubject(settings.issuer, subjects[0]!);
  if (sub.length > SUBJECT_MAX) return { invalid: subjectClaim, reason: 'is too long' };
  const { agency } = settings;

  const system = settings.systems;
  const client = system ? claimValues(claims, system.claim) : [];
  const systemOrganisation = client.length === 1 ? system?.clients[client[0]!] : undefined;
  if (systemOrganisation) {
    return { kind: 'agency-system', sub, agency, organisation: systemOrganisation, role: 'agency-system' };
  }

  const { organisation: orgPath, role: rolePath, purposes: purposePath } = settings.claims;
  const orgValues = claimValues(claims, orgPath.claim);
  if (orgValues.length !== 1) {
    return {
      invalid: orgPath.claim,
      reason: orgValues.length ? 'names more than one organisation' : 'is missing',
    };
  }
  const organisation = orgPath.values
    ? Object.hasOwn(orgPath.values, orgValues[0]!)
      ? orgPath.values[orgValues[0]!]!
      : ''
    : `${orgPath.prefix ?? ''}${orgValues[0]!}`.toLowerCase();
  if (agencyOfSource(organisation) !== agency || !mayAssert(settings, organisation)) {
    return { invalid: orgPath.claim, reason: 'names an organisation this issuer may not assert' };
  }

  // A value in a mapped claim that no mapping names is refused: the claim may serve role and purposes both.
  const known = new Map<string, Set<string>>();
  for (const { claim, values } of [rolePath, purposePath]) {
    known.set(claim, new Set([...(known.get(claim) ?? []), ...Object.keys(values)]));
  }
  for (const [claim, names] of known) {
    const unmapped = claimValues(claims, claim).find((value) => !names.has(value));
    if (unmapped !== undefined) return { invalid: claim, reason: 'holds a value no mapping names' };
  }

  const roles = new Set(
    claimValues(claims, rolePath.claim).flatMap((value) =>
      Object.hasOwn(rolePath.values, value) ? [rolePath.values[value]!] : [],
    ),
  );
  if (roles.size !== 1) {
    return { invalid: rolePath.claim, reason: roles.size ? 'maps to more than one role' : 'maps to no role' };
  }
  const purposes = new Set<Purpose>(
    claimValues(claims, purposePath.claim).flatMap((value) =>
      Object.hasOwn(purposePath.values, value) ? purposePath.values[value]! : [],
    ),
  );
  if (purposes.size === 0) return { invalid: purposePath.claim, reason: 'maps to no purpose' };
  const [role] = roles;
  return { kind: 'practitioner', sub, agency, organisation, role: role!, purposes: [...purposes] };
}

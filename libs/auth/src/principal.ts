import {
  AGENCIES,
  agencyOfSource,
  PURPOSES,
  ROLES,
  type Agency,
  type Purpose,
  type Role,
} from '@jigsaw/envelope';

/** An agency's own system (case management, adapter): it publishes as its organisation and reads nothing. */
export interface AgencySystemPrincipal {
  kind: 'agency-system';
  sub: string;
  agency: Agency;
  organisation: string;
  role: 'agency-system';
}

/** A person signed in through their organisation's identity provider, with the purposes they work for. */
export interface PractitionerPrincipal {
  kind: 'practitioner';
  sub: string;
  agency: Agency;
  organisation: string;
  role: Exclude<Role, 'agency-system'>;
  purposes: Purpose[];
}

export type Principal = AgencySystemPrincipal | PractitionerPrincipal;

/** Whether `value` is one of `values`, narrowing its type. */
export const includes = <T extends string>(values: readonly T[], value: unknown): value is T =>
  typeof value === 'string' && (values as readonly string[]).includes(value);

/**
 * Reads a verified token's claims, or names the first claim that is wrong. A token whose organisation
 * belongs to another agency than it claims is a broken login, never a partial one.
 */
export function principalFromClaims(claims: Record<string, unknown>): Principal | { invalid: string } {
  const { sub, agency, organisation, role, purposes } = claims;
  if (typeof sub !== 'string' || sub.length === 0 || sub.length > 200) return { invalid: 'sub' };
  if (!includes(AGENCIES, agency)) return { invalid: 'agency' };
  if (typeof organisation !== 'string' || agencyOfSource(organisation) !== agency) {
    return { invalid: 'organisation' };
  }
  if (!includes(ROLES, role)) return { invalid: 'role' };
  if (role === 'agency-system') return { kind: 'agency-system', sub, agency, organisation, role };
  if (
    !Array.isArray(purposes) ||
    purposes.length === 0 ||
    !purposes.every((purpose) => includes(PURPOSES, purpose))
  ) {
    return { invalid: 'purposes' };
  }
  return { kind: 'practitioner', sub, agency, organisation, role, purposes: [...new Set(purposes)] };
}

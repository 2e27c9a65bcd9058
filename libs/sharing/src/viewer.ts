import type { Agency, Purpose, Role } from '@jigsaw/envelope';

/** An authenticated practitioner (or agency system) and the purpose of this one query. */
export interface Viewer {
  agency: Agency;
  /** The organisation, named like an event's `source`: `urn:jigsaw:org:<agency>:<code>`. */
  organisation: string;
  role: Role;
  purpose: Purpose;
  userId: string;
}

/** Roles that audit: skeletons only through the view; history, access logs and exports through apps/audit. */
export const AUDIT_ROLES = [
  'auditor',
  'data-protection-officer',
  'review-panel',
  'partnership-dpo',
] as const satisfies readonly Role[];
export type AuditRole = (typeof AUDIT_ROLES)[number];

/** Auditors reviewing access see skeletons of everything, and nothing more. */
export function isAuditViewer(viewer: Viewer): boolean {
  return viewer.purpose === 'audit' && (AUDIT_ROLES as readonly Role[]).includes(viewer.role);
}

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

const AUDIT_ROLES: readonly Role[] = ['auditor', 'data-protection-officer'];

/** Auditors reviewing access see skeletons of everything, and nothing more. */
export function isAuditViewer(viewer: Viewer): boolean {
  return viewer.purpose === 'audit' && AUDIT_ROLES.includes(viewer.role);
}

import type { Principal } from '@jigsaw/auth';
import type { Agency } from '@jigsaw/envelope';
import { ErrorCode, JigsawError } from '@jigsaw/errors';
import { AUDIT_ROLES, type AuditRole, type Viewer } from '@jigsaw/sharing';

/** A person signed in with an auditing role; every audit read is recorded against them. */
export interface AuditCaller {
  sub: string;
  agency: Agency;
  organisation: string;
  role: AuditRole;
}

const isAuditRole = (role: string): role is AuditRole => (AUDIT_ROLES as readonly string[]).includes(role);

/** The auditor a verified token names, or a 403 naming what is wrong with it. */
export function auditCallerOf(principal: Principal): AuditCaller {
  if (principal.kind !== 'practitioner' || !isAuditRole(principal.role)) {
    throw new JigsawError(ErrorCode.Forbidden, 'the audit service answers auditing roles only', [
      { field: 'role', reason: `must be one of ${AUDIT_ROLES.join(', ')}` },
    ]);
  }
  if (!principal.purposes.includes('audit')) {
    throw new JigsawError(ErrorCode.Forbidden, 'the sign-in does not grant the audit purpose', [
      { field: 'purposes', reason: 'must include audit' },
    ]);
  }
  const { sub, agency, organisation, role } = principal;
  return { sub, agency, organisation, role };
}

/** The caller as the sharing policy sees them: reading for audit. */
export function viewerOf(caller: AuditCaller): Viewer {
  return {
    agency: caller.agency,
    organisation: caller.organisation,
    role: caller.role,
    purpose: 'audit',
    userId: caller.sub,
  };
}

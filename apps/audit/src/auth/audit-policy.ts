import { agencyOfSource } from '@jigsaw/envelope';
import { ErrorCode, JigsawError } from '@jigsaw/errors';
import type { StoredEvent } from '@jigsaw/event-store';
import type { AuditCaller } from './audit-caller.js';

/** The councils that hold records about the child: the child's council, as far as the hub knows. */
export function councilsOf(records: readonly StoredEvent[]): Set<string> {
  return new Set(
    records.map((stored) => stored.event.source).filter((source) => agencyOfSource(source) === 'council'),
  );
}

/**
 * Who reads a child's whole access log and subject access export: a data protection officer, a review
 * panel, or an auditor of a council that holds records about the child. Other agencies' auditors see
 * their own agency's reads as skeletons through the view, and ask their data protection officer for more.
 */
export function requireCustodian(caller: AuditCaller, councils: ReadonlySet<string>, what: string): void {
  if (caller.role === 'data-protection-officer' || caller.role === 'review-panel') return;
  if (caller.agency === 'council' && councils.has(caller.organisation)) return;
  throw new JigsawError(
    ErrorCode.Forbidden,
    `${what} is for the child's council, a data protection officer or a review panel`,
    [
      {
        field: 'role',
        reason:
          "must be data-protection-officer or review-panel, or an auditor of a council holding the child's records",
      },
    ],
  );
}

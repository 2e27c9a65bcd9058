import { agencyOfSource, type RecordedEvent, type Role, type Sensitivity } from '@jigsaw/envelope';
import type { ChildAccess } from './legitimate-relationship.js';
import { isControlEvent, type SharingState } from './sharing-state.js';
import { isAuditViewer, type Viewer } from './viewer.js';

type Clearance = Sensitivity | 'none';

const RANK: Record<Clearance, number> = { none: 0, standard: 1, sensitive: 2, restricted: 3 };

/**
 * The most sensitive level each role sees: by default, and when the event's audience names the role.
 * Trained safeguarding practitioners see sensitive records; restricted ones only when the sharer named
 * their role, so it is always a deliberate choice. Teachers are not safeguarding-trained: the DSL is the
 * school's key adult. An agency system has no professional judgement of its own, so it gets sensitive
 * records only when named (e.g. Operation Encompass into the school's safeguarding system), never
 * restricted. Auditors see skeletons through the audit purpose and no data otherwise.
 */
export const CLEARANCE: Readonly<Record<Role, { default: Clearance; named: Clearance }>> = {
  'social-worker': { default: 'sensitive', named: 'restricted' },
  'team-manager': { default: 'sensitive', named: 'restricted' },
  'mash-officer': { default: 'sensitive', named: 'restricted' },
  'designated-safeguarding-lead': { default: 'sensitive', named: 'restricted' },
  clinician: { default: 'sensitive', named: 'restricted' },
  'health-visitor': { default: 'sensitive', named: 'restricted' },
  'school-nurse': { default: 'sensitive', named: 'restricted' },
  'police-officer': { default: 'sensitive', named: 'restricted' },
  teacher: { default: 'standard', named: 'standard' },
  'agency-system': { default: 'standard', named: 'sensitive' },
  auditor: { default: 'none', named: 'none' },
  'data-protection-officer': { default: 'none', named: 'none' },
  'review-panel': { default: 'none', named: 'none' },
  'partnership-lead': { default: 'none', named: 'none' },
  'partnership-dpo': { default: 'none', named: 'none' },
};

/** Names the rule that decided; it goes into the access log. */
export type VisibilityReason =
  | 'no-relationship'
  | 'owner'
  | 'audit-skeleton'
  | 'viewer-agency-mismatch'
  | 'owner-only-type'
  | 'purpose-not-shared'
  | 'agency-not-in-audience'
  | 'role-not-in-audience'
  | 'role-not-cleared'
  | 'retracted'
  | 'consent-withdrawn'
  | 'restricted'
  | 'expired'
  | 'shared';

/** `skeleton`: existence, type, time, source and sharing decision; never data or subject. */
export type VisibilityLevel = 'full' | 'skeleton';

export type Visibility =
  | { visible: true; level: VisibilityLevel; reason: VisibilityReason }
  | { visible: false; reason: VisibilityReason };

const hidden = (reason: VisibilityReason): Visibility => ({ visible: false, reason });

/** Whether sharing has ended at `now`; an unreadable date counts as ended, so mistakes fail closed. */
export function sharingExpired(until: string | undefined, now: Date): boolean {
  if (until === undefined) return false;
  const end = Date.parse(until);
  const at = now.getTime();
  return Number.isNaN(end) || Number.isNaN(at) || at >= end;
}

/**
 * The one place that decides whether a viewer sees an event, and at what level. `access` is how the
 * viewer reaches the child (`decideChildAccess`): without a relationship, a live self-claim or, for a
 * review panel, an open review, the child's records do not exist for them, their own included.
 */
export function decideVisibility(
  viewer: Viewer,
  event: RecordedEvent,
  state: SharingState,
  now: Date,
  access: ChildAccess,
): Visibility {
  // A viewer whose claimed agency is not its organisation's is a broken login: fail closed.
  if (agencyOfSource(viewer.organisation) !== viewer.agency) return hidden('viewer-agency-mismatch');
  if (access === 'none') return hidden('no-relationship');
  // A panel reads only the child of a review opened for it; a relationship of its organisation is not one.
  if ((viewer.role === 'review-panel') !== (access === 'review')) return hidden('no-relationship');
  if (viewer.organisation === event.source) return { visible: true, level: 'full', reason: 'owner' };
  if (isAuditViewer(viewer)) return { visible: true, level: 'skeleton', reason: 'audit-skeleton' };
  if (isControlEvent(event.type)) return hidden('owner-only-type');

  const { sharing } = event;
  if (!sharing.purposes.includes(viewer.purpose)) return hidden('purpose-not-shared');
  const entries = sharing.audience.filter((entry) => entry.agency === viewer.agency);
  if (entries.length === 0) return hidden('agency-not-in-audience');
  const open = entries.some((entry) => entry.roles === undefined);
  const named = entries.some((entry) => entry.roles?.includes(viewer.role) ?? false);
  if (!open && !named) return hidden('role-not-in-audience');
  const clearance = CLEARANCE[viewer.role][named ? 'named' : 'default'];
  if (RANK[clearance] < RANK[sharing.sensitivity]) return hidden('role-not-cleared');

  if (state.retracted) return hidden('retracted');
  if (state.withdrawn) return hidden('consent-withdrawn');
  if (state.restricted) return hidden('restricted');
  if (sharingExpired(sharing.until, now) || sharingExpired(state.sharingEndsAt, now))
    return hidden('expired');
  return { visible: true, level: 'full', reason: 'shared' };
}

import type { RecordedEvent } from '@jigsaw/envelope';

/**
 * The child's personal data in each event type, beyond `subject` (always sealed whole): the free text an
 * agency writes about the child, as dotted paths within `data`. Everything else stays readable as the audit
 * skeleton: ids, types, times, dates, codes, the sharing decision, the agency and the hub child id.
 *
 * Control kinds (shared by every agency as `<agency>.<kind>`) are listed by kind. Every free-text field of
 * every schema under schemas/ is either here or in KEPT_FIELDS (a test holds both lists to the schemas).
 */
export const PERSONAL_DATA_FIELDS: Readonly<Record<string, readonly string[]>> = {
  'consent-withdrawn': ['reason'],
  'record-corrected': ['reason'],
  'record-restricted': ['reason'],
  'record-retracted': ['reason'],
  'restriction-lifted': ['reason'],
  'sharing-declined': ['reason'],

  'council.assessment-started': ['summary'],
  'council.assessment-completed': ['summary'],
  'council.child-protection-plan-ended': ['reason'],
  'council.family-help-episode-opened': ['summary'],
  'council.family-help-episode-closed': ['reason'],
  'council.referral-received': ['summary'],
  'council.referral-decided': ['summary'],

  'education.attendance-concern-raised': ['summary'],
  'education.child-missing-education-reported': ['summary'],
  'education.elective-home-education-notified': ['reasonGiven'],
  'education.permanent-exclusion-recorded': ['summary'],
  'education.safeguarding-concern-recorded': ['summary', 'actions', 'categoryLabel'],
  'education.suspension-recorded': ['summary'],

  // The pregnancy's local id is the mother's record.
  'health.birth-linked': ['unbornRef'],
  'health.mental-health-referral-made': ['summary'],
  'health.practitioner-concern-raised': ['summary'],
  'health.pre-birth-concern-raised': ['summary'],
  // Why the child came in, coded and in words; the code system is not about the child.
  'health.unscheduled-care-attended': ['reason.code', 'reason.display'],
  'health.was-not-brought': ['appointmentType'],

  'police.domestic-abuse-incident-notified': ['summary', 'narrative'],
  'police.exploitation-concern-raised': ['summary'],
  'police.missing-episode-started': ['summary'],
  'police.missing-episode-ended': ['summary'],
  'police.protective-marker-set': ['reason'],
  'police.protective-marker-lifted': ['reason'],
};

/**
 * Free text that is not the child's personal data, and why: practitioners and organisations (whom to call
 * is the point of sharing), agencies' own references, and how the hub itself recorded a read.
 */
export const KEPT_FIELDS: Readonly<Record<string, readonly string[]>> = {
  // `corrections` is sealed field by field, as the fields it replaces are (see personalPathsOf).
  'record-corrected': ['corrections'],
  'sharing-declined': ['withheldFrom.roles'],
  'council.child-protection-plan-started': ['contact.team'],
  'council.lead-practitioner-assigned': ['name', 'role', 'team'],
  'education.attendance-concern-raised': ['school.name'],
  'education.child-missing-education-reported': ['school.name'],
  'education.elective-home-education-notified': ['school.name'],
  'education.key-adult-registered': ['school.name', 'keyAdult.name'],
  'education.permanent-exclusion-recorded': ['school.name'],
  'education.pupil-on-roll': ['school.name', 'dsl.name'],
  'education.safeguarding-concern-recorded': [
    'school.name',
    'concernReference',
    'recordedBy.name',
    'recordedBy.role',
  ],
  'education.suspension-recorded': ['school.name'],
  'health.mental-health-referral-made': ['service'],
  'health.unscheduled-care-attended': ['site.name'],
  'health.was-not-brought': ['service'],
  'hub.record-accessed': ['viewer.sub', 'viewer.role', 'shown.event', 'asKnownAt.viewer.role'],
  // A self-claim's reason is refused when it holds an NHS number or UPN; it is the claim's own account.
  'hub.access-claimed': ['claimant.sub', 'claimant.role', 'reason'],
  'hub.review-opened': ['openedBy.sub', 'openedBy.role'],
  'hub.review-closed': ['closedBy.sub', 'closedBy.role'],
  // Identity decisions name children only by hub child id; who decided and why is the record of the link.
  'hub.child-renumbered': ['decidedBy.sub', 'decidedBy.role', 'reason'],
  'hub.children-merged': ['decidedBy.sub', 'decidedBy.role', 'reason'],
  'hub.children-split': ['decidedBy.sub', 'decidedBy.role', 'reason'],
  'hub.possible-match-confirmed': ['decidedBy.sub', 'decidedBy.role', 'reason'],
  'hub.possible-match-rejected': ['decidedBy.sub', 'decidedBy.role', 'reason'],
  'hub.unborn-linked': ['birthEvent', 'decidedBy.sub', 'decidedBy.role', 'reason'],
  'hub.child-erased': ['erasedBy.sub', 'erasedBy.role', 'erasedBy.organisation', 'reason'],
  // Notifications name the child by hub child id and the record they are about by its key, never its
  // content (their schemas refuse any other field). What they add is whom to tell: the school, the
  // practitioner it is addressed to, the council's team; and the hub's own account of a delivery.
  'hub.notification-raised': [
    'details.school.name',
    'details.addressee.name',
    'details.addressee.role',
    'details.careStatuses.contact.team',
  ],
  'hub.notification-delivery-failed': ['reason'],
  'hub.notification-acknowledged': ['acknowledgedBy.sub', 'acknowledgedBy.role'],
  'police.domestic-abuse-incident-notified': [
    'incidentReference',
    'force.name',
    'force.code',
    'contact.name',
    'contact.role',
  ],
  'police.exploitation-concern-raised': ['concernReference', 'contact.name', 'contact.role'],
  'police.missing-episode-started': ['episodeReference', 'contact.name', 'contact.role'],
  'police.missing-episode-ended': ['episodeReference', 'contact.name', 'contact.role'],
};

/** Top-level data fields that are personal in some type: what a correction of them carries is sealed too. */
const PERSONAL_TOP_LEVEL = new Set(
  Object.values(PERSONAL_DATA_FIELDS).flatMap((paths) => paths.map((path) => path.split('.')[0]!)),
);

function fieldsOfType(type: string): readonly string[] {
  const own = PERSONAL_DATA_FIELDS[type];
  if (own) return own;
  const dot = type.indexOf('.');
  return dot > 0 ? (PERSONAL_DATA_FIELDS[type.slice(dot + 1)] ?? []) : [];
}

function has(value: unknown, path: readonly string[]): boolean {
  let at = value;
  for (const key of path) {
    if (typeof at !== 'object' || at === null || Array.isArray(at) || !(key in at)) return false;
    at = (at as Record<string, unknown>)[key];
  }
  return at !== undefined;
}

/** The paths (from the envelope: `subject`, `data.summary`, ...) holding this event's personal data. */
export function personalPathsOf(event: Pick<RecordedEvent, 'type' | 'subject' | 'data'>): string[] {
  const paths = event.subject === undefined ? [] : ['subject'];
  for (const field of fieldsOfType(event.type)) {
    if (has(event.data, field.split('.'))) paths.push(`data.${field}`);
  }
  const corrections = (event.data as { corrections?: unknown } | undefined)?.corrections;
  if (event.type.endsWith('.record-corrected') && typeof corrections === 'object' && corrections !== null) {
    for (const key of Object.keys(corrections).sort()) {
      if (PERSONAL_TOP_LEVEL.has(key)) paths.push(`data.corrections.${key}`);
    }
  }
  return paths;
}

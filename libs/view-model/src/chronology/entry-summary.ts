import { AGENCIES } from '@jigsaw/envelope';
import { SHARING_DECLINED_ACTION } from '@jigsaw/sharing';

/** What each recorded type means, in a practitioner's words; unknown types show as themselves. */
export const TYPE_LABELS: Readonly<Record<string, string>> = {
  'council.referral-received': 'Referral received',
  'council.referral-decided': 'Referral decided',
  'council.assessment-started': 'Assessment started',
  'council.assessment-completed': 'Assessment completed',
  'council.child-in-need-plan-started': 'Child in need plan started',
  'council.child-in-need-plan-ended': 'Child in need plan ended',
  'council.child-protection-plan-started': 'Child protection plan started',
  'council.child-protection-plan-ended': 'Child protection plan ended',
  'council.looked-after-started': 'Started to be looked after',
  'council.looked-after-ended': 'Stopped being looked after',
  'council.family-help-episode-opened': 'Family help started',
  'council.family-help-episode-closed': 'Family help ended',
  'council.lead-practitioner-assigned': 'Lead practitioner assigned',
  'police.domestic-abuse-incident-notified': 'Domestic abuse incident',
  'police.missing-episode-started': 'Reported missing',
  'police.missing-episode-ended': 'Found after being missing',
  'police.exploitation-concern-raised': 'Exploitation concern',
  'health.unscheduled-care-attended': 'Unscheduled care attendance',
  'health.was-not-brought': 'Not brought to an appointment',
  'health.practitioner-concern-raised': 'Health practitioner concern',
  'health.pre-birth-concern-raised': 'Pre-birth concern',
  'health.birth-linked': 'Birth linked to pre-birth records',
  'health.mental-health-referral-made': 'Mental health referral',
  'education.pupil-on-roll': 'On a school roll',
  'education.key-adult-registered': 'Key adult registered',
  'education.safeguarding-concern-recorded': 'School safeguarding concern',
  'education.attendance-concern-raised': 'Attendance concern',
  'education.suspension-recorded': 'Suspension',
  'education.permanent-exclusion-recorded': 'Permanent exclusion',
  'education.child-missing-education-reported': 'Reported missing from education',
  'education.elective-home-education-notified': 'Elective home education',
  ...Object.fromEntries(
    AGENCIES.map((agency) => [`${agency}.${SHARING_DECLINED_ACTION}`, 'Decision not to share']),
  ),
};

/** Fields whose text says most about a record, best first; only those the viewer's cut kept are read. */
const DETAIL_FIELDS = ['summary', 'decision', 'outcome', 'category', 'kind', 'setting', 'reason'] as const;

/**
 * One line saying what the entry is, made from the viewer's own cut of the data (never the stored
 * event), so it can say no more than the entry itself does.
 */
export function summaryOf(type: string, cutData: Readonly<Record<string, unknown>> | undefined): string {
  const label = TYPE_LABELS[type] ?? type;
  if (!cutData) return label;
  for (const field of DETAIL_FIELDS) {
    const value = cutData[field];
    if (typeof value === 'string' && value.trim().length > 0) return `${label}: ${value.trim()}`;
  }
  return label;
}

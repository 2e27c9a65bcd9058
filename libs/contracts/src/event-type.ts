/**
 * Every kind of record the hub stores, one per data schema under schemas/ (a test holds the two to each
 * other). Control kinds (schemas/control/) are sent by every agency as `<agency>.<kind>` with one schema
 * and one meaning whoever sends them, so each has one kind-level contract, keyed by the kind alone;
 * `contractOf` finds it for any agency's `<agency>.<kind>`.
 */
export type EventType =
  | 'council.assessment-completed'
  | 'council.assessment-started'
  | 'council.child-in-need-plan-ended'
  | 'council.child-in-need-plan-started'
  | 'council.child-protection-plan-ended'
  | 'council.child-protection-plan-started'
  | 'council.family-help-episode-closed'
  | 'council.family-help-episode-opened'
  | 'council.lead-practitioner-assigned'
  | 'council.looked-after-ended'
  | 'council.looked-after-started'
  | 'council.referral-decided'
  | 'council.referral-received'
  | 'police.domestic-abuse-incident-notified'
  | 'police.exploitation-concern-raised'
  | 'police.missing-episode-ended'
  | 'police.missing-episode-started'
  | 'police.protective-marker-lifted'
  | 'police.protective-marker-set'
  | 'health.birth-linked'
  | 'health.mental-health-referral-made'
  | 'health.practitioner-concern-raised'
  | 'health.pre-birth-concern-raised'
  | 'health.unscheduled-care-attended'
  | 'health.was-not-brought'
  | 'education.attendance-concern-raised'
  | 'education.child-missing-education-reported'
  | 'education.elective-home-education-notified'
  | 'education.key-adult-registered'
  | 'education.permanent-exclusion-recorded'
  | 'education.pupil-on-roll'
  | 'education.safeguarding-concern-recorded'
  | 'education.suspension-recorded'
  | 'hub.access-claimed'
  | 'hub.child-erased'
  | 'hub.child-renumbered'
  | 'hub.children-merged'
  | 'hub.children-split'
  | 'hub.cp-is-flag-looked-up'
  | 'hub.notification-acknowledged'
  | 'hub.notification-delivered'
  | 'hub.notification-delivery-failed'
  | 'hub.notification-escalated'
  | 'hub.notification-raised'
  | 'hub.notification-recalled'
  | 'hub.possible-match-confirmed'
  | 'hub.possible-match-raised'
  | 'hub.possible-match-rejected'
  | 'hub.record-accessed'
  | 'hub.review-closed'
  | 'hub.review-opened'
  | 'hub.unborn-linked'
  | 'consent-withdrawn'
  | 'record-corrected'
  | 'record-restricted'
  | 'record-retracted'
  | 'restriction-lifted'
  | 'sharing-declined';

export const CONTROL_KINDS = [
  'consent-withdrawn',
  'record-corrected',
  'record-restricted',
  'record-retracted',
  'restriction-lifted',
  'sharing-declined',
] as const satisfies readonly EventType[];
export type ControlKind = (typeof CONTROL_KINDS)[number];

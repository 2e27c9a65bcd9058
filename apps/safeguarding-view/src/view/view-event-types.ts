import {
  ASSESSMENT_COMPLETED,
  ASSESSMENT_STARTED,
  ATTENDANCE_CONCERN_RAISED,
  BIRTH_LINKED,
  CHILD_IN_NEED_PLAN_ENDED,
  CHILD_IN_NEED_PLAN_STARTED,
  CHILD_MISSING_EDUCATION_REPORTED,
  CHILD_PROTECTION_PLAN_ENDED,
  CHILD_PROTECTION_PLAN_STARTED,
  DOMESTIC_ABUSE_INCIDENT_NOTIFIED,
  ELECTIVE_HOME_EDUCATION_NOTIFIED,
  EXPLOITATION_CONCERN_RAISED,
  FAMILY_HELP_EPISODE_CLOSED,
  FAMILY_HELP_EPISODE_OPENED,
  KEY_ADULT_REGISTERED,
  LEAD_PRACTITIONER_ASSIGNED,
  LOOKED_AFTER_ENDED,
  LOOKED_AFTER_STARTED,
  MENTAL_HEALTH_REFERRAL_MADE,
  MISSING_EPISODE_ENDED,
  MISSING_EPISODE_STARTED,
  PERMANENT_EXCLUSION_RECORDED,
  PRACTITIONER_CONCERN_RAISED,
  PRE_BIRTH_CONCERN_RAISED,
  PUPIL_ON_ROLL,
  REFERRAL_DECIDED,
  REFERRAL_RECEIVED,
  SAFEGUARDING_CONCERN_RECORDED,
  SUSPENSION_RECORDED,
  UNSCHEDULED_CARE_ATTENDED,
  WAS_NOT_BROUGHT,
} from '@jigsaw/contracts';

/**
 * Every record type the agencies send (control events aside), with the fields of `data` that say when
 * it happened, best first (dotted paths). The view reads only those the viewer's cut kept, and falls
 * back to the chronology's time. `concern`: the agency raised a concern about the child.
 */
export const VIEW_EVENT_TYPES = {
  [REFERRAL_RECEIVED]: { at: ['receivedAt'], concern: true },
  [REFERRAL_DECIDED]: { at: ['decidedAt'], concern: false },
  [ASSESSMENT_STARTED]: { at: ['startDate'], concern: false },
  [ASSESSMENT_COMPLETED]: { at: ['endDate'], concern: false },
  [CHILD_IN_NEED_PLAN_STARTED]: { at: ['startDate'], concern: false },
  [CHILD_IN_NEED_PLAN_ENDED]: { at: ['endDate'], concern: false },
  [CHILD_PROTECTION_PLAN_STARTED]: { at: ['startDate'], concern: false },
  [CHILD_PROTECTION_PLAN_ENDED]: { at: ['endDate'], concern: false },
  [LOOKED_AFTER_STARTED]: { at: ['startDate'], concern: false },
  [LOOKED_AFTER_ENDED]: { at: ['endDate'], concern: false },
  [FAMILY_HELP_EPISODE_OPENED]: { at: ['startDate'], concern: false },
  [FAMILY_HELP_EPISODE_CLOSED]: { at: ['endDate'], concern: false },
  [LEAD_PRACTITIONER_ASSIGNED]: { at: ['assignedDate'], concern: false },
  [DOMESTIC_ABUSE_INCIDENT_NOTIFIED]: { at: ['occurredAt'], concern: true },
  [MISSING_EPISODE_STARTED]: { at: ['missingSince', 'reportedAt'], concern: true },
  [MISSING_EPISODE_ENDED]: { at: ['foundAt'], concern: false },
  [EXPLOITATION_CONCERN_RAISED]: { at: ['identifiedAt'], concern: true },
  [UNSCHEDULED_CARE_ATTENDED]: { at: ['arrivedAt'], concern: false },
  [WAS_NOT_BROUGHT]: { at: ['appointmentAt'], concern: true },
  [PRACTITIONER_CONCERN_RAISED]: { at: ['raisedAt'], concern: true },
  [PRE_BIRTH_CONCERN_RAISED]: { at: ['raisedAt'], concern: true },
  [BIRTH_LINKED]: { at: ['birthDate'], concern: false },
  [MENTAL_HEALTH_REFERRAL_MADE]: { at: ['referredAt'], concern: false },
  [PUPIL_ON_ROLL]: { at: ['onRollFrom'], concern: false },
  [KEY_ADULT_REGISTERED]: { at: ['from'], concern: false },
  [SAFEGUARDING_CONCERN_RECORDED]: { at: ['occurredAt'], concern: true },
  [ATTENDANCE_CONCERN_RAISED]: { at: ['period.to'], concern: true },
  [SUSPENSION_RECORDED]: { at: ['startDate'], concern: false },
  [PERMANENT_EXCLUSION_RECORDED]: { at: ['effectiveDate'], concern: false },
  [CHILD_MISSING_EDUCATION_REPORTED]: { at: ['reportedOn', 'lastAttendedOn'], concern: true },
  [ELECTIVE_HOME_EDUCATION_NOTIFIED]: { at: ['offRollOn', 'notifiedOn'], concern: false },
} as const satisfies Record<string, { at: readonly string[]; concern: boolean }>;

export type ViewEventType = keyof typeof VIEW_EVENT_TYPES;

export function isViewEventType(type: string): type is ViewEventType {
  return Object.hasOwn(VIEW_EVENT_TYPES, type);
}

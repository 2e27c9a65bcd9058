export type { Contract, FieldAllowList, ViewFacts } from './contract.js';
export { CONTROL_KINDS, type ControlKind, type EventType } from './event-type.js';
export { CONTRACTS, STORED_CONTRACTS, contractOf } from './registry.js';
export { ASSESSMENT_COMPLETED } from './council/assessment-completed/contract.js';
export { ASSESSMENT_STARTED } from './council/assessment-started/contract.js';
export { CHILD_IN_NEED_PLAN_ENDED } from './council/child-in-need-plan-ended/contract.js';
export { CHILD_IN_NEED_PLAN_STARTED } from './council/child-in-need-plan-started/contract.js';
export { CHILD_PROTECTION_PLAN_ENDED } from './council/child-protection-plan-ended/contract.js';
export { CHILD_PROTECTION_PLAN_STARTED } from './council/child-protection-plan-started/contract.js';
export { FAMILY_HELP_EPISODE_CLOSED } from './council/family-help-episode-closed/contract.js';
export { FAMILY_HELP_EPISODE_OPENED } from './council/family-help-episode-opened/contract.js';
export { LEAD_PRACTITIONER_ASSIGNED } from './council/lead-practitioner-assigned/contract.js';
export { LOOKED_AFTER_ENDED } from './council/looked-after-ended/contract.js';
export { LOOKED_AFTER_STARTED } from './council/looked-after-started/contract.js';
export { REFERRAL_DECIDED } from './council/referral-decided/contract.js';
export { REFERRAL_RECEIVED } from './council/referral-received/contract.js';
export { DOMESTIC_ABUSE_INCIDENT_NOTIFIED } from './police/domestic-abuse-incident-notified/contract.js';
export { EXPLOITATION_CONCERN_RAISED } from './police/exploitation-concern-raised/contract.js';
export { MISSING_EPISODE_ENDED } from './police/missing-episode-ended/contract.js';
export { MISSING_EPISODE_STARTED } from './police/missing-episode-started/contract.js';
export { PROTECTIVE_MARKER_LIFTED } from './police/protective-marker-lifted/contract.js';
export { PROTECTIVE_MARKER_SET } from './police/protective-marker-set/contract.js';
export { BIRTH_LINKED } from './health/birth-linked/contract.js';
export { MENTAL_HEALTH_REFERRAL_MADE } from './health/mental-health-referral-made/contract.js';
export { PRACTITIONER_CONCERN_RAISED } from './health/practitioner-concern-raised/contract.js';
export { PRE_BIRTH_CONCERN_RAISED } from './health/pre-birth-concern-raised/contract.js';
export { UNSCHEDULED_CARE_ATTENDED } from './health/unscheduled-care-attended/contract.js';
export { WAS_NOT_BROUGHT } from './health/was-not-brought/contract.js';
export { ATTENDANCE_CONCERN_RAISED } from './education/attendance-concern-raised/contract.js';
export { CHILD_MISSING_EDUCATION_REPORTED } from './education/child-missing-education-reported/contract.js';
export { ELECTIVE_HOME_EDUCATION_NOTIFIED } from './education/elective-home-education-notified/contract.js';
export { KEY_ADULT_REGISTERED } from './education/key-adult-registered/contract.js';
export { PERMANENT_EXCLUSION_RECORDED } from './education/permanent-exclusion-recorded/contract.js';
export { PUPIL_ON_ROLL } from './education/pupil-on-roll/contract.js';
export { SAFEGUARDING_CONCERN_RECORDED } from './education/safeguarding-concern-recorded/contract.js';
export { SUSPENSION_RECORDED } from './education/suspension-recorded/contract.js';
export { ACCESS_CLAIMED } from './hub/access-claimed/contract.js';
export { CHILD_ERASED } from './hub/child-erased/contract.js';
export { CHILD_RENUMBERED } from './hub/child-renumbered/contract.js';
export { CHILDREN_MERGED } from './hub/children-merged/contract.js';
export { CHILDREN_SPLIT } from './hub/children-split/contract.js';
export { CP_IS_FLAG_LOOKED_UP } from './hub/cp-is-flag-looked-up/contract.js';
export { NOTIFICATION_ACKNOWLEDGED } from './hub/notification-acknowledged/contract.js';
export { NOTIFICATION_DELIVERED } from './hub/notification-delivered/contract.js';
export { NOTIFICATION_DELIVERY_FAILED } from './hub/notification-delivery-failed/contract.js';
export { NOTIFICATION_ESCALATED } from './hub/notification-escalated/contract.js';
export { NOTIFICATION_RAISED } from './hub/notification-raised/contract.js';
export { NOTIFICATION_RECALLED } from './hub/notification-recalled/contract.js';
export { POSSIBLE_MATCH_CONFIRMED } from './hub/possible-match-confirmed/contract.js';
export { POSSIBLE_MATCH_RAISED } from './hub/possible-match-raised/contract.js';
export { POSSIBLE_MATCH_REJECTED } from './hub/possible-match-rejected/contract.js';
export { RECORD_ACCESSED } from './hub/record-accessed/contract.js';
export { REVIEW_CLOSED } from './hub/review-closed/contract.js';
export { REVIEW_OPENED } from './hub/review-opened/contract.js';
export { UNBORN_LINKED } from './hub/unborn-linked/contract.js';
export { CONSENT_WITHDRAWN } from './control/consent-withdrawn/contract.js';
export { RECORD_CORRECTED } from './control/record-corrected/contract.js';
export { RECORD_RESTRICTED } from './control/record-restricted/contract.js';
export { RECORD_RETRACTED } from './control/record-retracted/contract.js';
export { RESTRICTION_LIFTED } from './control/restriction-lifted/contract.js';
export { SHARING_DECLINED } from './control/sharing-declined/contract.js';
export type { DataOf, StoredType, TypedEvent } from './event-data.js';
export {
  asTyped,
  corrected,
  isTyped,
  looseObject,
  targetOf,
  type EventOf,
  type Loose,
  type LooseData,
} from './typed.js';
export type { EventDataByType } from './event-data.generated.js';

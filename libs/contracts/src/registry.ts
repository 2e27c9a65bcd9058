import { AGENCIES } from '@jigsaw/envelope';
import type { Contract } from './contract.js';
import type { EventType } from './event-type.js';
import { ASSESSMENT_COMPLETED, assessmentCompleted } from './council/assessment-completed/contract.js';
import { ASSESSMENT_STARTED, assessmentStarted } from './council/assessment-started/contract.js';
import {
  CHILD_IN_NEED_PLAN_ENDED,
  childInNeedPlanEnded,
} from './council/child-in-need-plan-ended/contract.js';
import {
  CHILD_IN_NEED_PLAN_STARTED,
  childInNeedPlanStarted,
} from './council/child-in-need-plan-started/contract.js';
import {
  CHILD_PROTECTION_PLAN_ENDED,
  childProtectionPlanEnded,
} from './council/child-protection-plan-ended/contract.js';
import {
  CHILD_PROTECTION_PLAN_STARTED,
  childProtectionPlanStarted,
} from './council/child-protection-plan-started/contract.js';
import {
  FAMILY_HELP_EPISODE_CLOSED,
  familyHelpEpisodeClosed,
} from './council/family-help-episode-closed/contract.js';
import {
  FAMILY_HELP_EPISODE_OPENED,
  familyHelpEpisodeOpened,
} from './council/family-help-episode-opened/contract.js';
import {
  LEAD_PRACTITIONER_ASSIGNED,
  leadPractitionerAssigned,
} from './council/lead-practitioner-assigned/contract.js';
import { LOOKED_AFTER_ENDED, lookedAfterEnded } from './council/looked-after-ended/contract.js';
import { LOOKED_AFTER_STARTED, lookedAfterStarted } from './council/looked-after-started/contract.js';
import { REFERRAL_DECIDED, referralDecided } from './council/referral-decided/contract.js';
import { REFERRAL_RECEIVED, referralReceived } from './council/referral-received/contract.js';
import {
  DOMESTIC_ABUSE_INCIDENT_NOTIFIED,
  domesticAbuseIncidentNotified,
} from './police/domestic-abuse-incident-notified/contract.js';
import {
  EXPLOITATION_CONCERN_RAISED,
  exploitationConcernRaised,
} from './police/exploitation-concern-raised/contract.js';
import { MISSING_EPISODE_ENDED, missingEpisodeEnded } from './police/missing-episode-ended/contract.js';
import { MISSING_EPISODE_STARTED, missingEpisodeStarted } from './police/missing-episode-started/contract.js';
import {
  PROTECTIVE_MARKER_LIFTED,
  protectiveMarkerLifted,
} from './police/protective-marker-lifted/contract.js';
import { PROTECTIVE_MARKER_SET, protectiveMarkerSet } from './police/protective-marker-set/contract.js';
import { BIRTH_LINKED, birthLinked } from './health/birth-linked/contract.js';
import {
  MENTAL_HEALTH_REFERRAL_MADE,
  mentalHealthReferralMade,
} from './health/mental-health-referral-made/contract.js';
import {
  PRACTITIONER_CONCERN_RAISED,
  practitionerConcernRaised,
} from './health/practitioner-concern-raised/contract.js';
import {
  PRE_BIRTH_CONCERN_RAISED,
  preBirthConcernRaised,
} from './health/pre-birth-concern-raised/contract.js';
import {
  UNSCHEDULED_CARE_ATTENDED,
  unscheduledCareAttended,
} from './health/unscheduled-care-attended/contract.js';
import { WAS_NOT_BROUGHT, wasNotBrought } from './health/was-not-brought/contract.js';
import {
  ATTENDANCE_CONCERN_RAISED,
  attendanceConcernRaised,
} from './education/attendance-concern-raised/contract.js';
import {
  CHILD_MISSING_EDUCATION_REPORTED,
  childMissingEducationReported,
} from './education/child-missing-education-reported/contract.js';
import {
  ELECTIVE_HOME_EDUCATION_NOTIFIED,
  electiveHomeEducationNotified,
} from './education/elective-home-education-notified/contract.js';
import { KEY_ADULT_REGISTERED, keyAdultRegistered } from './education/key-adult-registered/contract.js';
import {
  PERMANENT_EXCLUSION_RECORDED,
  permanentExclusionRecorded,
} from './education/permanent-exclusion-recorded/contract.js';
import { PUPIL_ON_ROLL, pupilOnRoll } from './education/pupil-on-roll/contract.js';
import {
  SAFEGUARDING_CONCERN_RECORDED,
  safeguardingConcernRecorded,
} from './education/safeguarding-concern-recorded/contract.js';
import { SUSPENSION_RECORDED, suspensionRecorded } from './education/suspension-recorded/contract.js';
import { ACCESS_CLAIMED, accessClaimed } from './hub/access-claimed/contract.js';
import { CHILD_ERASED, childErased } from './hub/child-erased/contract.js';
import { CHILD_RENUMBERED, childRenumbered } from './hub/child-renumbered/contract.js';
import { CHILDREN_MERGED, childrenMerged } from './hub/children-merged/contract.js';
import { CHILDREN_SPLIT, childrenSplit } from './hub/children-split/contract.js';
import { CP_IS_FLAG_LOOKED_UP, cpIsFlagLookedUp } from './hub/cp-is-flag-looked-up/contract.js';
import {
  NOTIFICATION_ACKNOWLEDGED,
  notificationAcknowledged,
} from './hub/notification-acknowledged/contract.js';
import { NOTIFICATION_DELIVERED, notificationDelivered } from './hub/notification-delivered/contract.js';
import {
  NOTIFICATION_DELIVERY_FAILED,
  notificationDeliveryFailed,
} from './hub/notification-delivery-failed/contract.js';
import { NOTIFICATION_ESCALATED, notificationEscalated } from './hub/notification-escalated/contract.js';
import { NOTIFICATION_RAISED, notificationRaised } from './hub/notification-raised/contract.js';
import { NOTIFICATION_RECALLED, notificationRecalled } from './hub/notification-recalled/contract.js';
import { POSSIBLE_MATCH_CONFIRMED, possibleMatchConfirmed } from './hub/possible-match-confirmed/contract.js';
import { POSSIBLE_MATCH_RAISED, possibleMatchRaised } from './hub/possible-match-raised/contract.js';
import { POSSIBLE_MATCH_REJECTED, possibleMatchRejected } from './hub/possible-match-rejected/contract.js';
import { RECORD_ACCESSED, recordAccessed } from './hub/record-accessed/contract.js';
import { REVIEW_CLOSED, reviewClosed } from './hub/review-closed/contract.js';
import { REVIEW_OPENED, reviewOpened } from './hub/review-opened/contract.js';
import { UNBORN_LINKED, unbornLinked } from './hub/unborn-linked/contract.js';
import { CONSENT_WITHDRAWN, consentWithdrawn } from './control/consent-withdrawn/contract.js';
import { RECORD_CORRECTED, recordCorrected } from './control/record-corrected/contract.js';
import { RECORD_RESTRICTED, recordRestricted } from './control/record-restricted/contract.js';
import { RECORD_RETRACTED, recordRetracted } from './control/record-retracted/contract.js';
import { RESTRICTION_LIFTED, restrictionLifted } from './control/restriction-lifted/contract.js';
import { SHARING_DECLINED, sharingDeclined } from './control/sharing-declined/contract.js';

/**
 * The one registry of event types: a type missing here, or a contract missing a piece, fails to compile.
 * Each entry is held to its own key, so a contract filed under another type does not compile either.
 */
export const CONTRACTS = {
  [ASSESSMENT_COMPLETED]: assessmentCompleted,
  [ASSESSMENT_STARTED]: assessmentStarted,
  [CHILD_IN_NEED_PLAN_ENDED]: childInNeedPlanEnded,
  [CHILD_IN_NEED_PLAN_STARTED]: childInNeedPlanStarted,
  [CHILD_PROTECTION_PLAN_ENDED]: childProtectionPlanEnded,
  [CHILD_PROTECTION_PLAN_STARTED]: childProtectionPlanStarted,
  [FAMILY_HELP_EPISODE_CLOSED]: familyHelpEpisodeClosed,
  [FAMILY_HELP_EPISODE_OPENED]: familyHelpEpisodeOpened,
  [LEAD_PRACTITIONER_ASSIGNED]: leadPractitionerAssigned,
  [LOOKED_AFTER_ENDED]: lookedAfterEnded,
  [LOOKED_AFTER_STARTED]: lookedAfterStarted,
  [REFERRAL_DECIDED]: referralDecided,
  [REFERRAL_RECEIVED]: referralReceived,
  [DOMESTIC_ABUSE_INCIDENT_NOTIFIED]: domesticAbuseIncidentNotified,
  [EXPLOITATION_CONCERN_RAISED]: exploitationConcernRaised,
  [MISSING_EPISODE_ENDED]: missingEpisodeEnded,
  [MISSING_EPISODE_STARTED]: missingEpisodeStarted,
  [PROTECTIVE_MARKER_LIFTED]: protectiveMarkerLifted,
  [PROTECTIVE_MARKER_SET]: protectiveMarkerSet,
  [BIRTH_LINKED]: birthLinked,
  [MENTAL_HEALTH_REFERRAL_MADE]: mentalHealthReferralMade,
  [PRACTITIONER_CONCERN_RAISED]: practitionerConcernRaised,
  [PRE_BIRTH_CONCERN_RAISED]: preBirthConcernRaised,
  [UNSCHEDULED_CARE_ATTENDED]: unscheduledCareAttended,
  [WAS_NOT_BROUGHT]: wasNotBrought,
  [ATTENDANCE_CONCERN_RAISED]: attendanceConcernRaised,
  [CHILD_MISSING_EDUCATION_REPORTED]: childMissingEducationReported,
  [ELECTIVE_HOME_EDUCATION_NOTIFIED]: electiveHomeEducationNotified,
  [KEY_ADULT_REGISTERED]: keyAdultRegistered,
  [PERMANENT_EXCLUSION_RECORDED]: permanentExclusionRecorded,
  [PUPIL_ON_ROLL]: pupilOnRoll,
  [SAFEGUARDING_CONCERN_RECORDED]: safeguardingConcernRecorded,
  [SUSPENSION_RECORDED]: suspensionRecorded,
  [ACCESS_CLAIMED]: accessClaimed,
  [CHILD_ERASED]: childErased,
  [CHILD_RENUMBERED]: childRenumbered,
  [CHILDREN_MERGED]: childrenMerged,
  [CHILDREN_SPLIT]: childrenSplit,
  [CP_IS_FLAG_LOOKED_UP]: cpIsFlagLookedUp,
  [NOTIFICATION_ACKNOWLEDGED]: notificationAcknowledged,
  [NOTIFICATION_DELIVERED]: notificationDelivered,
  [NOTIFICATION_DELIVERY_FAILED]: notificationDeliveryFailed,
  [NOTIFICATION_ESCALATED]: notificationEscalated,
  [NOTIFICATION_RAISED]: notificationRaised,
  [NOTIFICATION_RECALLED]: notificationRecalled,
  [POSSIBLE_MATCH_CONFIRMED]: possibleMatchConfirmed,
  [POSSIBLE_MATCH_RAISED]: possibleMatchRaised,
  [POSSIBLE_MATCH_REJECTED]: possibleMatchRejected,
  [RECORD_ACCESSED]: recordAccessed,
  [REVIEW_CLOSED]: reviewClosed,
  [REVIEW_OPENED]: reviewOpened,
  [UNBORN_LINKED]: unbornLinked,
  [CONSENT_WITHDRAWN]: consentWithdrawn,
  [RECORD_CORRECTED]: recordCorrected,
  [RECORD_RESTRICTED]: recordRestricted,
  [RECORD_RETRACTED]: recordRetracted,
  [RESTRICTION_LIFTED]: restrictionLifted,
  [SHARING_DECLINED]: sharingDeclined,
} as const satisfies { readonly [T in EventType]: Contract<T> };

/**
 * Every type a stored event may carry, to its contract: each type as it is, and each control kind once per
 * agency (`police.record-restricted`), never bare.
 */
export const STORED_CONTRACTS: ReadonlyMap<string, Contract> = new Map(
  Object.values<Contract>(CONTRACTS).flatMap((contract): [string, Contract][] =>
    contract.source === 'control'
      ? AGENCIES.map((agency) => [`${agency}.${contract.type}`, contract])
      : [[contract.type, contract]],
  ),
);

/** The contract of a stored event's type, or undefined for a type the hub does not know. */
export function contractOf(type: string): Contract | undefined {
  return STORED_CONTRACTS.get(type);
}

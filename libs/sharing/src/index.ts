export { AUDIT_ROLES, isAuditViewer, type AuditRole, type Viewer } from './viewer.js';
export {
  CONTROL_EVENT_TYPES,
  EMPTY_SHARING_LEDGER,
  MARKER_AGENCIES,
  MARKER_CONTROL_ACTIONS,
  RECORD_CONTROL_ACTIONS,
  SHARING_DECLINED_ACTION,
  evolveSharingState,
  eventKey,
  foldSharingLedger,
  isControlEvent,
  sharingStateIn,
  sharingStateOf,
  type ControlEventType,
  type ControlNote,
  type MarkerAgency,
  type MarkerControlAction,
  type MarkerControlType,
  type ProtectiveMarkerData,
  type RecordControlAction,
  type RecordControlData,
  type RecordControlType,
  type RecordCorrectedData,
  type SharingDeclinedData,
  type SharingDeclinedType,
  type SharingLedger,
  type SharingState,
} from './sharing-state.js';
export {
  LEGITIMATE_RELATIONSHIP_GRACE_MONTHS,
  ROLL_ENDS,
  ROLL_TYPES,
  decideChildAccess,
  foldRelationships,
  relatedOrganisations,
  spanHolds,
  type AccessClaim,
  type Addressed,
  type ChildAccess,
  type RelationshipBasis,
  type RelationshipSpan,
  type Relationships,
  type Review,
} from './legitimate-relationship.js';
export {
  CLEARANCE,
  decideVisibility,
  sharingExpired,
  type Visibility,
  type VisibilityLevel,
  type VisibilityReason,
} from './sharing-policy.js';
export { episodeOf, RETAINED_EPISODES, sharingEndsAfter, type EpisodeFacts } from './retention.js';
export { allowFields, pickPaths, type FieldAllowList, type Redaction } from './field-allow-list.js';
export {
  DOMESTIC_ABUSE_INCIDENT_FIELDS,
  DOMESTIC_ABUSE_INCIDENT_NOTIFIED,
  domesticAbuseIncidentRedaction,
} from './domestic-abuse-incident.redaction.js';
export {
  SHIELDED_FIELDS,
  redactForViewer,
  redactionFor,
  registerRedaction,
  type Standing,
  type ViewableEvent,
} from './redaction.js';
export { sharingArbitraries, type SharingArbitraries } from './testing/arbitraries.js';
export { relatedAccess } from './testing/related.js';
export {
  MISSING_EPISODE_STARTED,
  MISSING_EPISODE_STARTED_FIELDS,
  missingEpisodeStartedRedaction,
} from './missing-episode-started.redaction.js';
export {
  MISSING_EPISODE_ENDED,
  MISSING_EPISODE_ENDED_FIELDS,
  missingEpisodeEndedRedaction,
} from './missing-episode-ended.redaction.js';
export {
  EXPLOITATION_CONCERN_FIELDS,
  EXPLOITATION_CONCERN_RAISED,
  exploitationConcernRedaction,
} from './exploitation-concern.redaction.js';
export { PUPIL_ON_ROLL, PUPIL_ON_ROLL_FIELDS, pupilOnRollRedaction } from './pupil-on-roll.redaction.js';
export {
  KEY_ADULT_REGISTERED,
  KEY_ADULT_REGISTERED_FIELDS,
  keyAdultRegisteredRedaction,
} from './key-adult-registered.redaction.js';
export {
  SAFEGUARDING_CONCERN_FIELDS,
  SAFEGUARDING_CONCERN_RECORDED,
  safeguardingConcernRedaction,
} from './safeguarding-concern-recorded.redaction.js';
export {
  ATTENDANCE_CONCERN_FIELDS,
  ATTENDANCE_CONCERN_RAISED,
  attendanceConcernRedaction,
} from './attendance-concern.redaction.js';
export {
  SUSPENSION_FIELDS,
  SUSPENSION_RECORDED,
  suspensionRedaction,
} from './suspension-recorded.redaction.js';
export {
  PERMANENT_EXCLUSION_FIELDS,
  PERMANENT_EXCLUSION_RECORDED,
  permanentExclusionRedaction,
} from './permanent-exclusion-recorded.redaction.js';
export {
  CHILD_MISSING_EDUCATION_FIELDS,
  CHILD_MISSING_EDUCATION_REPORTED,
  childMissingEducationRedaction,
} from './child-missing-education.redaction.js';
export {
  ELECTIVE_HOME_EDUCATION_FIELDS,
  ELECTIVE_HOME_EDUCATION_NOTIFIED,
  electiveHomeEducationRedaction,
} from './elective-home-education.redaction.js';
export {
  REFERRAL_DECIDED,
  REFERRAL_DECIDED_FIELDS,
  REFERRAL_RECEIVED,
  REFERRAL_RECEIVED_FIELDS,
  referralDecidedRedaction,
  referralReceivedRedaction,
} from './council-referral.redaction.js';
export {
  ASSESSMENT_COMPLETED,
  ASSESSMENT_COMPLETED_FIELDS,
  ASSESSMENT_STARTED,
  ASSESSMENT_STARTED_FIELDS,
  assessmentCompletedRedaction,
  assessmentStartedRedaction,
} from './council-assessment.redaction.js';
export {
  CHILD_IN_NEED_PLAN_ENDED,
  CHILD_IN_NEED_PLAN_FIELDS,
  CHILD_IN_NEED_PLAN_STARTED,
  childInNeedPlanRedaction,
} from './child-in-need-plan.redaction.js';
export {
  CHILD_PROTECTION_PLAN_ENDED,
  CHILD_PROTECTION_PLAN_ENDED_FIELDS,
  CHILD_PROTECTION_PLAN_STARTED,
  CHILD_PROTECTION_PLAN_STARTED_FIELDS,
  childProtectionPlanEndedRedaction,
  childProtectionPlanStartedRedaction,
} from './child-protection-plan.redaction.js';
export {
  LOOKED_AFTER_ENDED,
  LOOKED_AFTER_ENDED_FIELDS,
  LOOKED_AFTER_STARTED,
  LOOKED_AFTER_STARTED_FIELDS,
  lookedAfterEndedRedaction,
  lookedAfterStartedRedaction,
} from './looked-after.redaction.js';
export {
  FAMILY_HELP_EPISODE_CLOSED,
  FAMILY_HELP_EPISODE_FIELDS,
  FAMILY_HELP_EPISODE_OPENED,
  familyHelpEpisodeRedaction,
} from './family-help-episode.redaction.js';
export {
  LEAD_PRACTITIONER_ASSIGNED,
  LEAD_PRACTITIONER_FIELDS,
  leadPractitionerRedaction,
} from './lead-practitioner.redaction.js';
export {
  UNSCHEDULED_CARE_ATTENDED,
  UNSCHEDULED_CARE_ATTENDED_FIELDS,
  unscheduledCareAttendedRedaction,
} from './unscheduled-care-attended.redaction.js';
export {
  WAS_NOT_BROUGHT,
  WAS_NOT_BROUGHT_FIELDS,
  wasNotBroughtRedaction,
} from './was-not-brought.redaction.js';
export {
  PRACTITIONER_CONCERN_FIELDS,
  PRACTITIONER_CONCERN_RAISED,
  practitionerConcernRedaction,
} from './practitioner-concern.redaction.js';
export {
  BIRTH_LINKED,
  BIRTH_LINKED_FIELDS,
  PRE_BIRTH_CONCERN_FIELDS,
  PRE_BIRTH_CONCERN_RAISED,
  birthLinkedRedaction,
  preBirthConcernRedaction,
} from './pre-birth.redaction.js';
export {
  MENTAL_HEALTH_REFERRAL_FIELDS,
  MENTAL_HEALTH_REFERRAL_MADE,
  mentalHealthReferralRedaction,
} from './mental-health-referral.redaction.js';
export {
  CP_IS_MINIMAL_FLAG,
  CP_IS_MONTHS_AFTER_END,
  decideCpisFlag,
  readsMinimalFlag,
  shownOn,
  type CpisFlagAnswer,
  type CpisFlagState,
  type HeldCareStatus,
  type MinimalStatus,
} from './cp-is-flag.js';

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
export { allowFields, pickPaths, type Redaction } from './field-allow-list.js';
export {
  SHIELDED_FIELDS,
  redactForViewer,
  redactionFor,
  type Standing,
  type ViewableEvent,
} from './redaction.js';
export { sharingArbitraries, type SharingArbitraries } from './testing/arbitraries.js';
export { relatedAccess } from './testing/related.js';
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

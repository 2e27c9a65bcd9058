export { isAuditViewer, type Viewer } from './viewer.js';
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
  CLEARANCE,
  decideVisibility,
  sharingExpired,
  type Visibility,
  type VisibilityLevel,
  type VisibilityReason,
} from './sharing-policy.js';
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

// Written by event-data.generator.ts from schemas/; do not edit.

/** Consent to share an earlier record withdrawn: recipients stop seeing it */
export interface ConsentWithdrawnData {
  targetEventId: string;
  reason: string;
}

/** A children and families assessment completed (authorised), with its outcome */
export interface CouncilAssessmentCompletedData {
  startDate: string;
  endDate: string;
  outcome: 'no-further-action' | 'early-help' | 'child-in-need-plan' | 'section-47' | 'looked-after';
  factors?: string[];
  summary?: string;
}

/** A children and families assessment started */
export interface CouncilAssessmentStartedData {
  startDate: string;
  summary?: string;
}

/** A child in need plan ended */
export interface CouncilChildInNeedPlanEndedData {
  startDate: string;
  endDate: string;
}

/** A child in need plan started */
export interface CouncilChildInNeedPlanStartedData {
  startDate: string;
}

/** A child protection plan ended */
export interface CouncilChildProtectionPlanEndedData {
  startDate: string;
  endDate: string;
  reason: string;
  latestCategory?: 'NEG' | 'PHY' | 'SAB' | 'EMO' | 'MUL';
}

/** A child protection plan started, with the council contact that CP-IS shows to clinicians */
export interface CouncilChildProtectionPlanStartedData {
  startDate: string;
  category: 'NEG' | 'PHY' | 'SAB' | 'EMO' | 'MUL';
  contact: {
    team: string;
    phone: string;
    outOfHoursPhone: string;
  };
}

/** A family help episode closed */
export interface CouncilFamilyHelpEpisodeClosedData {
  startDate: string;
  endDate: string;
  reason?: string;
}

/** A family help episode opened */
export interface CouncilFamilyHelpEpisodeOpenedData {
  startDate: string;
  summary?: string;
}

/** The lead practitioner partners should contact about the child */
export interface CouncilLeadPractitionerAssignedData {
  assignedDate: string;
  name: string;
  role: string;
  team: string;
  phone: string;
  secureEmail: string;
}

/** A period of care ended */
export interface CouncilLookedAfterEndedData {
  startDate: string;
  endDate: string;
  reasonCode?: string;
}

/** A period of care started, with its SSDA903 legal status */
export interface CouncilLookedAfterStartedData {
  startDate: string;
  legalStatus: 'C1' | 'C2' | 'D1' | 'E1' | 'J1' | 'J2' | 'J3' | 'L1' | 'L2' | 'L3' | 'V2' | 'V3' | 'V4';
}

/** The decision on a referral (due within one working day of receipt) */
export interface CouncilReferralDecidedData {
  receivedAt: string;
  decidedAt: string;
  decision: 'no-further-action' | 'early-help' | 'assessment' | 'strategy-discussion' | 'section-47';
  summary?: string;
}

/** A referral to children's social care, coded as in the Children in Need census */
export interface CouncilReferralReceivedData {
  receivedAt: string;
  referralSource: '1A' | '1B' | '1C' | '1D' | '2A' | '2B' | '3A' | '3B' | '3C' | '3D' | '3E' | '3F' | '4' | '5A' | '5B' | '5C' | '5D' | '6' | '7' | '8' | '9' | '10';
  primaryNeedCode: 'N0' | 'N1' | 'N2' | 'N3' | 'N4' | 'N5' | 'N6' | 'N7' | 'N8' | 'N9';
  summary: string;
}

/** Attendance low enough to worry about: persistent (below 90%) or severe (below 50%) absence */
export interface EducationAttendanceConcernRaisedData {
  school?: {
    urn: string;
    name: string;
  };
  attendancePercent: number;
  period: {
    from: string;
    to: string;
  };
  summary?: string;
}

/** A child missing education: not on a roll or attending, and their whereabouts unknown to the school */
export interface EducationChildMissingEducationReportedData {
  school?: {
    urn: string;
    name: string;
  };
  lastAttendedOn?: string;
  reportedOn: string;
  reason: 'left-without-destination' | 'not-returned-after-holiday' | 'moved-away-unknown' | 'not-on-roll-anywhere' | 'other';
  summary: string;
}

/** Parents told the school they will educate their child at home; the child leaves the roll */
export interface EducationElectiveHomeEducationNotifiedData {
  school?: {
    urn: string;
    name: string;
  };
  notifiedOn: string;
  offRollOn: string;
  reasonGiven?: string;
}

/** The school's key adult for a pupil: the designated safeguarding lead who receives Operation Encompass notifications */
export interface EducationKeyAdultRegisteredData {
  school: {
    urn: string;
    name: string;
  };
  keyAdult: {
    name: string;
    role: 'designated-safeguarding-lead' | 'deputy-designated-safeguarding-lead' | 'headteacher';
    phone: string;
    secureEmail: string;
  };
  from?: string;
}

/** A permanent exclusion, with its DfE reason code: the council must provide full-time education from the sixth day */
export interface EducationPermanentExclusionRecordedData {
  school?: {
    urn: string;
    name: string;
  };
  effectiveDate: string;
  reasonCode: 'PP' | 'PA' | 'VP' | 'VA' | 'BU' | 'RA' | 'LG' | 'DS' | 'MT' | 'WP' | 'SM' | 'DA' | 'DM' | 'TH' | 'PD';
  summary?: string;
}

/** A pupil on a school's roll: links the UPN in subject to the school and its safeguarding lead */
export interface EducationPupilOnRollData {
  school: {
    urn: string;
    name: string;
  };
  onRollFrom: string;
  yearGroup?: 'N1' | 'N2' | 'R' | '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9' | '10' | '11' | '12' | '13' | '14';
  dsl?: {
    name: string;
    phone: string;
    secureEmail?: string;
  };
}

/** A safeguarding concern recorded in the school's safeguarding system (CPOMS, MyConcern, ...) */
export interface EducationSafeguardingConcernRecordedData {
  concernReference: string;
  occurredAt: string;
  category: 'physical-abuse' | 'emotional-abuse' | 'sexual-abuse' | 'neglect' | 'domestic-abuse' | 'child-on-child-abuse' | 'online-safety' | 'mental-health' | 'self-harm' | 'criminal-exploitation' | 'sexual-exploitation' | 'radicalisation' | 'fgm' | 'missing-education' | 'attendance' | 'behaviour' | 'other';
  categoryLabel?: string;
  summary: string;
  actions: string[];
  recordedBy: {
    name?: string;
    role: string;
  };
  school?: {
    urn: string;
    name: string;
  };
}

/** A suspension (fixed-period exclusion), with its DfE reason code */
export interface EducationSuspensionRecordedData {
  school?: {
    urn: string;
    name: string;
  };
  startDate: string;
  days: number;
  reasonCode: 'PP' | 'PA' | 'VP' | 'VA' | 'BU' | 'RA' | 'LG' | 'DS' | 'MT' | 'WP' | 'SM' | 'DA' | 'DM' | 'TH' | 'PD';
  summary?: string;
}

/** Links an unborn child's record (the pregnancy) to the baby's new NHS number */
export interface HealthBirthLinkedData {
  birthDate: string;
  unbornRef: {
    system: string;
    value: string;
  };
}

/** A referral to children and young people's mental health services */
export interface HealthMentalHealthReferralMadeData {
  referredAt: string;
  service: string;
  urgency: 'routine' | 'urgent' | 'emergency';
  summary: string;
}

/** A safeguarding concern raised by a health practitioner (e.g. health visitor or school nurse) */
export interface HealthPractitionerConcernRaisedData {
  raisedAt: string;
  role: 'health-visitor' | 'school-nurse' | 'midwife' | 'gp' | 'clinician';
  category: 'neglect' | 'physical-abuse' | 'sexual-abuse' | 'emotional-abuse' | 'domestic-abuse' | 'self-harm' | 'exploitation' | 'other';
  summary: string;
}

/** A safeguarding concern about an unborn child, recorded against the mother and the pregnancy */
export interface HealthPreBirthConcernRaisedData {
  raisedAt: string;
  expectedDeliveryDate: string;
  role?: 'midwife' | 'health-visitor' | 'gp' | 'clinician';
  summary: string;
}

/** An attendance at unscheduled care (emergency department, minor injury unit, urgent treatment centre, maternity) */
export interface HealthUnscheduledCareAttendedData {
  setting: 'emergency-department' | 'minor-injury-unit' | 'urgent-treatment-centre' | 'maternity';
  arrivedAt: string;
  reason: {
    system: string;
    code: string;
    display: string;
  };
  site: {
    name: string;
    odsCode?: string;
  };
  outcome?: 'discharged' | 'admitted' | 'transferred' | 'left-before-treatment' | 'died' | 'other';
}

/** A child was not brought to a health appointment */
export interface HealthWasNotBroughtData {
  appointmentAt: string;
  appointmentType: string;
  service: string;
}

/** A practitioner claimed a relationship with a child their organisation has none with (self-claimed access, break-glass), with a reason. Reported to the data protection officers of the organisations that hold a relationship. Never an NHS number, UPN or name. */
export interface HubAccessClaimedData {
  childId: string;
  claimant: {
    sub: string;
    organisation: string;
    agency: 'council' | 'police' | 'health' | 'education';
    role: string;
  };
  purpose: 'safeguarding' | 'child-protection' | 'early-help' | 'education-welfare' | 'health-care' | 'audit';
  reason: string;
  claimedAt: string;
  until: string;
  reportedTo: string[];
}

/** A child's personal data was erased: their data keys destroyed, so every copy of it in events is unreadable. Every read model removes what it holds of it. Carries no personal data: the child is the hub child id. */
export interface HubChildErasedData {
  childId: string;
  erasedAt: string;
  /** The child's data keys destroyed; events sealed under any of them are now unreadable. */
  keyGenerations: number[];
  erasedBy: {
    sub: string;
    role: string;
    organisation: string;
  };
  /** Why, as the decision's reference: never the child's personal data. */
  reason: string;
}

/** A child was given a new NHS number (adoption, gender reassignment): the new number names the same hub child and the old one is retired. Neither number is in the event. */
export interface HubChildRenumberedData {
  childId: string;
  identifier: 'nhs-number';
  /** Who decided: the signed-in practitioner, or for a birth linked by health, the trust's system. */
  decidedBy: {
    sub: string;
    organisation: string;
    agency: 'council' | 'police' | 'health' | 'education';
    role: string;
  };
  purpose?: 'safeguarding' | 'child-protection' | 'early-help' | 'education-welfare' | 'health-care' | 'audit';
  /** Why, in the practitioner's words. No identifiers: the hub refuses NHS numbers and UPNs here. */
  reason: string;
  renumberedAt: string;
}

/** Two hub children were found to be one child: every read model shows the records of both as one. No event is rewritten; a split undoes it. */
export interface HubChildrenMergedData {
  linkId: string;
  childId: string;
  linkedId: string;
  /** The possible match: one per pair of hub child ids, ever. */
  matchId?: string;
  /** Who decided: the signed-in practitioner, or for a birth linked by health, the trust's system. */
  decidedBy: {
    sub: string;
    organisation: string;
    agency: 'council' | 'police' | 'health' | 'education';
    role: string;
  };
  purpose?: 'safeguarding' | 'child-protection' | 'early-help' | 'education-welfare' | 'health-care' | 'audit';
  /** Why, in the practitioner's words. No identifiers: the hub refuses NHS numbers and UPNs here. */
  reason: string;
  linkedAt: string;
}

/** A link was wrong and is undone: each hub child's records go back to exactly that child. */
export interface HubChildrenSplitData {
  linkId: string;
  kind: 'merge' | 'unborn-to-born';
  childId: string;
  linkedId: string;
  /** Who decided: the signed-in practitioner, or for a birth linked by health, the trust's system. */
  decidedBy: {
    sub: string;
    organisation: string;
    agency: 'council' | 'police' | 'health' | 'education';
    role: string;
  };
  purpose?: 'safeguarding' | 'child-protection' | 'early-help' | 'education-welfare' | 'health-care' | 'audit';
  /** Why, in the practitioner's words. No identifiers: the hub refuses NHS numbers and UPNs here. */
  reason: string;
  splitAt: string;
}

/** Unscheduled care looked up a child's CP-IS flag and found it set: when, by which organisation, and what the council responsible for the plan or care is to be told. Recorded on the child's access stream in the same append as the read's hub.record-accessed, and published for the notifications service to tell the council. Names the child only by hub child id, records only by their keys; never an NHS number or a name. */
export interface HubCpIsFlagLookedUpData {
  /** The id of the hub.record-accessed appended with it: the look-up's notification is keyed by it. */
  accessId: string;
  childId: string;
  lookedUpAt: string;
  /** The organisation that looked the flag up. */
  lookedUpBy: string;
  /** The council responsible for the plan or care shown: the one told. */
  council: string;
  /** The plans and periods of care the flag showed, as the council's records hold them: dates and codes only. */
  careStatuses: {
    kind: 'child-protection-plan' | 'looked-after';
    startDate: string;
    endDate?: string;
    /** False when it ended within the 12 months CP-IS keeps showing it. */
    inForce: boolean;
    /** The council's team to call, as the plan names it: a practitioner contact, never the child's. */
    contact?: {
      team: string;
      phone: string;
      outOfHoursPhone: string;
    };
  }[];
  /** The records the care statuses come from. */
  statusEvents: string[];
  /** `<source>|<id>` of the record the notification is about: the first status's first record. */
  triggerEventKey: string;
}

/** A practitioner of the recipient organisation acknowledged the notification. */
export interface HubNotificationAcknowledgedData {
  /** The notification: its stream is `notification-<notificationId>`. */
  notificationId: string;
  acknowledgedAt: string;
  /** Who: the practitioner's subject and role, never their name. */
  acknowledgedBy: {
    sub: string;
    role: string;
    organisation: string;
  };
}

/** A webhook delivery of a notification (or of its recall) was answered 2xx by the recipient's system. */
export interface HubNotificationDeliveredData {
  /** The notification: its stream is `notification-<notificationId>`. */
  notificationId: string;
  deliveryId: string;
  deliveryKind: 'notification' | 'recall';
  organisation: string;
  attempt: number;
  httpStatus: number;
  deliveredAt: string;
}

/** One attempt at a webhook delivery failed (and is retried at nextAttemptAt, if any), or the delivery was cancelled before anything was sent. */
export interface HubNotificationDeliveryFailedData {
  /** The notification: its stream is `notification-<notificationId>`. */
  notificationId: string;
  deliveryId: string;
  deliveryKind: 'notification' | 'recall';
  organisation: string;
  attempt: number;
  failedAt: string;
  outcome: 'failed' | 'cancelled';
  /** Why, in the hub's words: never what the receiver answered. */
  reason: string;
  httpStatus?: number;
  /** When the next attempt is due; absent when the delivery is given up or cancelled. */
  nextAttemptAt?: string;
}

/** The notification fell due unacknowledged: escalated to those who may see its record, or (not-shared) nobody told because the record no longer stood. */
export interface HubNotificationEscalatedData {
  /** The notification: its stream is `notification-<notificationId>`. */
  notificationId: string;
  escalatedAt: string;
  outcome: 'escalated' | 'not-shared';
  /** The notifications raised to escalate it, each on its own stream. */
  escalations: string[];
}

/** The hub decided to tell an organisation about a child (Operation Encompass, CP-IS, an escalation): whom, why that route, by when. The first event of the notification's stream. Names the child only by hub child id, and the record it is about only by its key. */
export interface HubNotificationRaisedData {
  /** The notification: its stream is `notification-<notificationId>`. */
  notificationId: string;
  /** The same decision gives the same key: a notification is never raised twice. */
  dedupeKey: string;
  kind: 'cp-is' | 'operation-encompass' | 'escalation';
  childId: string;
  /** `<source>|<id>` of an agency's record. */
  triggerEventKey: string;
  recipient: {
    organisation: string;
    agency: 'council' | 'police' | 'health' | 'education';
  };
  /** Why it went where it went. */
  route: 'responsible-council' | 'school-roll' | 'school-named-by-police' | 'home-educated' | 'missing-education' | 'not-on-roll' | 'school-not-in-audience' | 'no-recipient' | 'raised-by' | 'council-for-child';
  /** What the recipient needs to act, decided with it. Never the content of the record it is about: that stays in the chronology, cut per reader when the notification is read. */
  details: {
    /** The school told, as its roll or the hub's directory names it. */
    school?: {
      urn: string;
      name: string;
    };
    /** The person at the school it is for, as the school registered them: a practitioner, never the child. */
    addressee?: {
      name: string;
      role: string;
      phone?: string;
      secureEmail?: string;
    };
    /** CP-IS: the plans and periods of care that made the attendance a notification; dates and codes only. */
    careStatuses?: {
      kind: 'child-protection-plan' | 'looked-after';
      startDate: string;
      endDate?: string;
      /** False when it ended within the 12 months CP-IS keeps showing it. */
      inForce: boolean;
      /** The council's team to call, as the plan names it. */
      contact?: {
        team: string;
        phone: string;
        outOfHoursPhone: string;
      };
    }[];
    /** The records the care statuses come from. */
    statusEvents?: string[];
    /** CP-IS: the minimal flag was looked up from unscheduled care: when, and by which organisation. */
    lookup?: {
      at: string;
      organisation: string;
    };
    escalation?: {
      /** The notification not acknowledged in time. */
      of: string;
      recipient: {
        organisation: string;
        agency: 'council' | 'police' | 'health' | 'education';
        route: 'responsible-council' | 'school-roll' | 'school-named-by-police' | 'home-educated' | 'missing-education' | 'not-on-roll' | 'school-not-in-audience' | 'no-recipient' | 'raised-by' | 'council-for-child';
      };
      dueAt: string;
    };
  };
  /** For an escalation: the notification not acknowledged in time. */
  escalationOf?: string;
  /** When it must be acknowledged by; absent for a notification without a deadline. */
  dueAt?: string;
  raisedAt: string;
  /** The webhook delivery queued with it, when the recipient has a webhook. */
  delivery?: {
    deliveryId: string;
  };
}

/** The record a notification is about was retracted, withdrawn or restricted after a webhook may have carried it: a recall is queued to the organisation. */
export interface HubNotificationRecalledData {
  /** The notification: its stream is `notification-<notificationId>`. */
  notificationId: string;
  recalledAt: string;
  organisation: string;
  /** The recall's own webhook delivery. */
  deliveryId: string;
}

/** A practitioner confirmed a possible match: the two hub children are one, joined by the link named (a hub.children-merged event in the same append). */
export interface HubPossibleMatchConfirmedData {
  /** The possible match: one per pair of hub child ids, ever. */
  matchId: string;
  childId: string;
  candidateId: string;
  linkId: string;
  /** Who decided: the signed-in practitioner, or for a birth linked by health, the trust's system. */
  decidedBy: {
    sub: string;
    organisation: string;
    agency: 'council' | 'police' | 'health' | 'education';
    role: string;
  };
  purpose?: 'safeguarding' | 'child-protection' | 'early-help' | 'education-welfare' | 'health-care' | 'audit';
  /** Why, in the practitioner's words. No identifiers: the hub refuses NHS numbers and UPNs here. */
  reason: string;
  decidedAt: string;
}

/** Weaker evidence (name, date of birth and postcode, or two children's identifiers named together) says two hub children may be one. Nothing is linked until a practitioner confirms. */
export interface HubPossibleMatchRaisedData {
  /** The possible match: one per pair of hub child ids, ever. */
  matchId: string;
  childId: string;
  candidateId: string;
  /** What kind of evidence raised it; never the evidence itself. */
  evidence: 'name-birth-date-postcode' | 'identifier-conflict';
  raisedAt: string;
}

/** A practitioner rejected a possible match: the two hub children are different children, and stay apart. */
export interface HubPossibleMatchRejectedData {
  /** The possible match: one per pair of hub child ids, ever. */
  matchId: string;
  childId: string;
  candidateId: string;
  /** Who decided: the signed-in practitioner, or for a birth linked by health, the trust's system. */
  decidedBy: {
    sub: string;
    organisation: string;
    agency: 'council' | 'police' | 'health' | 'education';
    role: string;
  };
  purpose?: 'safeguarding' | 'child-protection' | 'early-help' | 'education-welfare' | 'health-care' | 'audit';
  /** Why, in the practitioner's words. No identifiers: the hub refuses NHS numbers and UPNs here. */
  reason: string;
  decidedAt: string;
}

/** A practitioner read a child's records through the hub (the safeguarding view, or the audit service): who, which child, which view, for what purpose, on what basis, and exactly what was shown. Never an NHS number, UPN or name: the child is the hub child id, records are event keys. */
export interface HubRecordAccessedData {
  view: 'chronology' | 'find-child' | 'child-view' | 'as-known-at' | 'access-log' | 'subject-access-export' | 'notification-history' | 'notifications' | 'cp-is-flag';
  childId: string;
  /** How the child was named in the request; the identifier itself is never recorded. */
  lookup?: 'hub-child-id' | 'nhs-number' | 'upn';
  viewer: {
    sub: string;
    organisation: string;
    agency: 'council' | 'police' | 'health' | 'education';
    role: string;
  };
  purpose: 'safeguarding' | 'child-protection' | 'early-help' | 'education-welfare' | 'health-care' | 'audit';
  accessedAt: string;
  /** Set on a refused read, with why: the viewer's organisation had no legitimate relationship with the child and no live self-claim. Nothing was shown. */
  refused?: 'no-relationship';
  /** For a partnership-wide read: the organisations holding a relationship with the child, whose data protection officers it is reported to. */
  reportedTo?: string[];
  /** For an as-known-at read: the moment and the viewer whose view was reconstructed. */
  asKnownAt?: {
    at: string;
    viewer: {
      organisation: string;
      agency: 'council' | 'police' | 'health' | 'education';
      role: string;
      purpose: 'safeguarding' | 'child-protection' | 'early-help' | 'education-welfare' | 'health-care' | 'audit';
    };
  };
  shown: {
    /** The event key: `<source>#<id>`. */
    event: string;
    level: 'full' | 'skeleton';
    /** The sharing policy's rule that let the viewer see it; `audit` for a read through the audit service by an auditing role. */
    reason: 'owner' | 'shared' | 'audit-skeleton' | 'audit';
    lawfulBasis: 'public-task' | 'legal-obligation' | 'duty-to-share' | 'vital-interests' | 'consent' | 'recognised-legitimate-interest' | 'law-enforcement';
    regime: 'uk-gdpr' | 'dpa-2018-part-3';
  }[];
}

/** The partnership's lead closed a review: its panel's access to the child ends. */
export interface HubReviewClosedData {
  childId: string;
  reference: string;
  closedBy: {
    sub: string;
    organisation: string;
    agency: 'council' | 'police' | 'health' | 'education';
    role: string;
  };
  closedAt: string;
}

/** The local safeguarding partnership's lead opened a review (rapid review, child safeguarding practice review) of one named child for a review panel: the panel's organisation may audit that child until the review closes or `until` passes. Never an NHS number, UPN or name. */
export interface HubReviewOpenedData {
  childId: string;
  reference: string;
  panelOrganisation: string;
  period: {
    from: string;
    to: string;
  };
  openedBy: {
    sub: string;
    organisation: string;
    agency: 'council' | 'police' | 'health' | 'education';
    role: string;
  };
  openedAt: string;
  until: string;
}

/** An unborn child's record (the pregnancy) was linked to the baby at birth: the baby's chronology shows the pre-birth records. */
export interface HubUnbornLinkedData {
  linkId: string;
  childId: string;
  linkedId: string;
  /** The health.birth-linked event that asserted it: `<source>#<id>`. */
  birthEvent?: string;
  /** Who decided: the signed-in practitioner, or for a birth linked by health, the trust's system. */
  decidedBy: {
    sub: string;
    organisation: string;
    agency: 'council' | 'police' | 'health' | 'education';
    role: string;
  };
  purpose?: 'safeguarding' | 'child-protection' | 'early-help' | 'education-welfare' | 'health-care' | 'audit';
  /** Why, in the practitioner's words. No identifiers: the hub refuses NHS numbers and UPNs here. */
  reason: string;
  linkedAt: string;
}

/** Operation Encompass: a domestic abuse incident involving a child, notified to the child's school */
export interface PoliceDomesticAbuseIncidentNotifiedData {
  incidentReference: string;
  occurredAt: string;
  childPresent: boolean;
  childInHousehold?: boolean;
  force: {
    name: string;
    code?: string;
  };
  contact: {
    name: string;
    role?: string;
    phone: string;
    email?: string;
  };
  summary: string;
  narrative?: string;
  riskLevel?: 'standard' | 'medium' | 'high';
  schoolUrn?: string;
}

/** Police concern that a child is being criminally or sexually exploited, or drawn into county lines */
export interface PoliceExploitationConcernRaisedData {
  concernReference: string;
  identifiedAt: string;
  kind: 'criminal' | 'sexual' | 'county-lines';
  indicators: ('going-missing' | 'unexplained-money-or-gifts' | 'older-associates' | 'multiple-phones' | 'travel-out-of-area' | 'found-with-drugs' | 'found-with-weapon' | 'unexplained-injuries' | 'school-absence' | 'change-in-behaviour' | 'online-grooming' | 'sexual-health-concerns' | 'other')[];
  summary: string;
  nrmReferral?: boolean;
  contact?: {
    name: string;
    role?: string;
    phone: string;
    email?: string;
  };
}

/** A missing episode ended: the child was found or returned */
export interface PoliceMissingEpisodeEndedData {
  episodeReference: string;
  foundAt: string;
  howEnded: 'returned' | 'found-by-police' | 'found-by-others' | 'other';
  returnInterviewOffered?: boolean;
  summary: string;
  contact?: {
    name: string;
    role?: string;
    phone: string;
    email?: string;
  };
}

/** A child reported missing: the start of a missing episode */
export interface PoliceMissingEpisodeStartedData {
  episodeReference: string;
  missingSince: string;
  reportedAt: string;
  riskLevel: 'no-apparent-risk' | 'low' | 'medium' | 'high';
  missingFrom?: 'home' | 'care-placement' | 'school' | 'hospital' | 'other';
  summary: string;
  contact?: {
    name: string;
    role?: string;
    phone: string;
    email?: string;
  };
}

/** A protective marker lifted by the organisation that set it */
export interface PoliceProtectiveMarkerLiftedData {
  marker: string;
  reason: string;
}

/** A protective marker set on a child: shielded details are hidden from everyone but the owner */
export interface PoliceProtectiveMarkerSetData {
  marker: string;
  reason: string;
}

/** An earlier record corrected: each field of corrections replaces the same top-level field of its data */
export interface RecordCorrectedData {
  targetEventId: string;
  reason: string;
  corrections: Record<string, unknown>;
}

/** An earlier record restricted: only its owner sees it until the restriction is lifted */
export interface RecordRestrictedData {
  targetEventId: string;
  reason: string;
}

/** An earlier record retracted as entered in error: nobody but its owner sees it again */
export interface RecordRetractedData {
  targetEventId: string;
  reason: string;
}

/** A restriction on an earlier record lifted: it is shared again as first decided */
export interface RestrictionLiftedData {
  targetEventId: string;
  reason: string;
}

/** A decision not to share, recorded with its reason (the golden rules: record every decision) */
export interface SharingDeclinedData {
  reason: string;
  purpose?: 'safeguarding' | 'child-protection' | 'early-help' | 'education-welfare' | 'health-care' | 'audit';
  withheldFrom?: {
    agency: 'council' | 'police' | 'health' | 'education';
    roles?: string[];
  }[];
}

/** Each contract's `data`, by its key in the registry (control kinds by kind). */

export interface EventDataByType {
  'consent-withdrawn': ConsentWithdrawnData;
  'council.assessment-completed': CouncilAssessmentCompletedData;
  'council.assessment-started': CouncilAssessmentStartedData;
  'council.child-in-need-plan-ended': CouncilChildInNeedPlanEndedData;
  'council.child-in-need-plan-started': CouncilChildInNeedPlanStartedData;
  'council.child-protection-plan-ended': CouncilChildProtectionPlanEndedData;
  'council.child-protection-plan-started': CouncilChildProtectionPlanStartedData;
  'council.family-help-episode-closed': CouncilFamilyHelpEpisodeClosedData;
  'council.family-help-episode-opened': CouncilFamilyHelpEpisodeOpenedData;
  'council.lead-practitioner-assigned': CouncilLeadPractitionerAssignedData;
  'council.looked-after-ended': CouncilLookedAfterEndedData;
  'council.looked-after-started': CouncilLookedAfterStartedData;
  'council.referral-decided': CouncilReferralDecidedData;
  'council.referral-received': CouncilReferralReceivedData;
  'education.attendance-concern-raised': EducationAttendanceConcernRaisedData;
  'education.child-missing-education-reported': EducationChildMissingEducationReportedData;
  'education.elective-home-education-notified': EducationElectiveHomeEducationNotifiedData;
  'education.key-adult-registered': EducationKeyAdultRegisteredData;
  'education.permanent-exclusion-recorded': EducationPermanentExclusionRecordedData;
  'education.pupil-on-roll': EducationPupilOnRollData;
  'education.safeguarding-concern-recorded': EducationSafeguardingConcernRecordedData;
  'education.suspension-recorded': EducationSuspensionRecordedData;
  'health.birth-linked': HealthBirthLinkedData;
  'health.mental-health-referral-made': HealthMentalHealthReferralMadeData;
  'health.practitioner-concern-raised': HealthPractitionerConcernRaisedData;
  'health.pre-birth-concern-raised': HealthPreBirthConcernRaisedData;
  'health.unscheduled-care-attended': HealthUnscheduledCareAttendedData;
  'health.was-not-brought': HealthWasNotBroughtData;
  'hub.access-claimed': HubAccessClaimedData;
  'hub.child-erased': HubChildErasedData;
  'hub.child-renumbered': HubChildRenumberedData;
  'hub.children-merged': HubChildrenMergedData;
  'hub.children-split': HubChildrenSplitData;
  'hub.cp-is-flag-looked-up': HubCpIsFlagLookedUpData;
  'hub.notification-acknowledged': HubNotificationAcknowledgedData;
  'hub.notification-delivered': HubNotificationDeliveredData;
  'hub.notification-delivery-failed': HubNotificationDeliveryFailedData;
  'hub.notification-escalated': HubNotificationEscalatedData;
  'hub.notification-raised': HubNotificationRaisedData;
  'hub.notification-recalled': HubNotificationRecalledData;
  'hub.possible-match-confirmed': HubPossibleMatchConfirmedData;
  'hub.possible-match-raised': HubPossibleMatchRaisedData;
  'hub.possible-match-rejected': HubPossibleMatchRejectedData;
  'hub.record-accessed': HubRecordAccessedData;
  'hub.review-closed': HubReviewClosedData;
  'hub.review-opened': HubReviewOpenedData;
  'hub.unborn-linked': HubUnbornLinkedData;
  'police.domestic-abuse-incident-notified': PoliceDomesticAbuseIncidentNotifiedData;
  'police.exploitation-concern-raised': PoliceExploitationConcernRaisedData;
  'police.missing-episode-ended': PoliceMissingEpisodeEndedData;
  'police.missing-episode-started': PoliceMissingEpisodeStartedData;
  'police.protective-marker-lifted': PoliceProtectiveMarkerLiftedData;
  'police.protective-marker-set': PoliceProtectiveMarkerSetData;
  'record-corrected': RecordCorrectedData;
  'record-restricted': RecordRestrictedData;
  'record-retracted': RecordRetractedData;
  'restriction-lifted': RestrictionLiftedData;
  'sharing-declined': SharingDeclinedData;
}

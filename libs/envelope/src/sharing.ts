export const AGENCIES = ['council', 'police', 'health', 'education'] as const;
export type Agency = (typeof AGENCIES)[number];

export const LAWFUL_BASES = [
  'public-task',
  'legal-obligation',
  'duty-to-share',
  'vital-interests',
  'consent',
  'recognised-legitimate-interest',
  'law-enforcement',
] as const;
export type LawfulBasis = (typeof LAWFUL_BASES)[number];

/** UK GDPR with DPA 2018 Part 2, or DPA 2018 Part 3 for competent authorities (police). */
export const REGIMES = ['uk-gdpr', 'dpa-2018-part-3'] as const;
export type Regime = (typeof REGIMES)[number];

export const CONSENT_STATUSES = ['given', 'refused', 'not-sought', 'not-applicable'] as const;
export type ConsentStatus = (typeof CONSENT_STATUSES)[number];

export const PURPOSES = [
  'safeguarding',
  'child-protection',
  'early-help',
  'education-welfare',
  'health-care',
  'audit',
] as const;
export type Purpose = (typeof PURPOSES)[number];

export const ROLES = [
  'social-worker',
  'team-manager',
  'designated-safeguarding-lead',
  'teacher',
  'clinician',
  'health-visitor',
  'school-nurse',
  'police-officer',
  'mash-officer',
  'auditor',
  'data-protection-officer',
  /** A member of a child safeguarding practice review panel: reviews what each agency knew, and when. */
  'review-panel',
  /** The local safeguarding partnership's lead: opens and closes reviews for a named child. */
  'partnership-lead',
  /** A data protection officer acting for the whole partnership: exports across organisations, recorded and reported. */
  'partnership-dpo',
  'agency-system',
] as const;
export type Role = (typeof ROLES)[number];

export const SENSITIVITIES = ['standard', 'sensitive', 'restricted'] as const;
export type Sensitivity = (typeof SENSITIVITIES)[number];

export interface AudienceEntry {
  agency: Agency;
  /** When present, only these roles in the agency may see the event. */
  roles?: Role[];
}

export interface SharingDecision {
  basis: {
    lawfulBasis: LawfulBasis;
    regime: Regime;
    /** Special category data (health, sex life, ...) needs a condition as well as a basis. */
    specialCategory: boolean;
    /** E.g. `dpa-2018-sch1-para18` (safeguarding of children) or `dpa-2018-sch8-para4`. */
    condition?: string;
  };
  consent: {
    status: ConsentStatus;
    /** Required whenever sharing goes ahead without consent. */
    reason?: string;
  };
  purposes: Purpose[];
  audience: AudienceEntry[];
  sensitivity: Sensitivity;
  /** Protective markers (shielding), e.g. `concealed-address`, `adoption`. */
  markers?: string[];
  /** When sharing ends (retention); after it only the owner sees the event. */
  until?: string;
  decidedBy: { role: string; organisation: string; name?: string };
}

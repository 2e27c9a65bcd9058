import type { Contract } from '../../contract.js';

export const PERMANENT_EXCLUSION_RECORDED = 'education.permanent-exclusion-recorded';

export const permanentExclusionRecorded = {
  type: PERMANENT_EXCLUSION_RECORDED,
  source: 'education',
  schema: 'schemas/education/permanent-exclusion-recorded/v1.json',
  /**
   * The council must provide education from the sixth day, so it sees everything; a school asked to admit
   * the child sees the reason code. Police and health need only that the child is out of school.
   */
  audience: {
    council: ['school', 'effectiveDate', 'reasonCode', 'summary'],
    police: ['school', 'effectiveDate'],
    health: ['school', 'effectiveDate'],
    education: ['school', 'effectiveDate', 'reasonCode'],
  },
  personalData: ['summary'],
  kept: ['school.name'],
  label: 'Permanent exclusion',
  view: { at: ['effectiveDate'], concern: false },
} satisfies Contract<typeof PERMANENT_EXCLUSION_RECORDED>;

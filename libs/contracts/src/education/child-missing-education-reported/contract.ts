import type { Contract } from '../../contract.js';

export const CHILD_MISSING_EDUCATION_REPORTED = 'education.child-missing-education-reported';

export const childMissingEducationReported = {
  type: CHILD_MISSING_EDUCATION_REPORTED,
  source: 'education',
  schema: 'schemas/education/child-missing-education-reported/v1.json',
  /**
   * The council's children missing education team tries to find the child, and police and health may know
   * where they are: all see when the child was last seen at school and why they are missing. Only the
   * council sees the school's account of its enquiries.
   */
  audience: {
    council: ['school', 'lastAttendedOn', 'reportedOn', 'reason', 'summary'],
    police: ['school', 'lastAttendedOn', 'reportedOn', 'reason'],
    health: ['school', 'lastAttendedOn', 'reportedOn'],
    education: ['school', 'lastAttendedOn', 'reportedOn', 'reason'],
  },
  personalData: ['summary'],
  kept: ['school.name'],
  label: 'Reported missing from education',
  view: { at: ['reportedOn', 'lastAttendedOn'], concern: true },
} satisfies Contract<typeof CHILD_MISSING_EDUCATION_REPORTED>;

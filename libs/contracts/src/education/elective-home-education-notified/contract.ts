import type { Contract } from '../../contract.js';

export const ELECTIVE_HOME_EDUCATION_NOTIFIED = 'education.elective-home-education-notified';

export const electiveHomeEducationNotified = {
  type: ELECTIVE_HOME_EDUCATION_NOTIFIED,
  source: 'education',
  schema: 'schemas/education/elective-home-education-notified/v1.json',
  /**
   * A home-educated child is no longer seen by school staff. The council's home education team needs the
   * parents' stated reason; police and health need only that the school no longer sees the child (and
   * police then send Operation Encompass to the council, not a school).
   */
  audience: {
    council: ['school', 'notifiedOn', 'offRollOn', 'reasonGiven'],
    police: ['notifiedOn', 'offRollOn'],
    health: ['notifiedOn', 'offRollOn'],
    education: ['school', 'notifiedOn', 'offRollOn'],
  },
  personalData: ['reasonGiven'],
  kept: ['school.name'],
  label: 'Elective home education',
  view: { at: ['offRollOn', 'notifiedOn'], concern: false },
} satisfies Contract<typeof ELECTIVE_HOME_EDUCATION_NOTIFIED>;

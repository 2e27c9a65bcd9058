import { allowFields, type FieldAllowList } from './field-allow-list.js';
import { registerRedaction } from './redaction.js';

export const ELECTIVE_HOME_EDUCATION_NOTIFIED = 'education.elective-home-education-notified';

/**
 * A home-educated child is no longer seen by school staff. The council's home education team needs the
 * parents' stated reason; police and health need only that the school no longer sees the child (and
 * police then send Operation Encompass to the council, not a school).
 */
export const ELECTIVE_HOME_EDUCATION_FIELDS: FieldAllowList = {
  council: ['school', 'notifiedOn', 'offRollOn', 'reasonGiven'],
  police: ['notifiedOn', 'offRollOn'],
  health: ['notifiedOn', 'offRollOn'],
  education: ['school', 'notifiedOn', 'offRollOn'],
};

export const electiveHomeEducationRedaction = allowFields(ELECTIVE_HOME_EDUCATION_FIELDS);
registerRedaction(ELECTIVE_HOME_EDUCATION_NOTIFIED, electiveHomeEducationRedaction);

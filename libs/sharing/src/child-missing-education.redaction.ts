import { allowFields, type FieldAllowList } from './field-allow-list.js';
import { registerRedaction } from './redaction.js';

export const CHILD_MISSING_EDUCATION_REPORTED = 'education.child-missing-education-reported';

/**
 * The council's children missing education team tries to find the child, and police and health may know
 * where they are: all see when the child was last seen at school and why they are missing. Only the
 * council sees the school's account of its enquiries.
 */
export const CHILD_MISSING_EDUCATION_FIELDS: FieldAllowList = {
  council: ['school', 'lastAttendedOn', 'reportedOn', 'reason', 'summary'],
  police: ['school', 'lastAttendedOn', 'reportedOn', 'reason'],
  health: ['school', 'lastAttendedOn', 'reportedOn'],
  education: ['school', 'lastAttendedOn', 'reportedOn', 'reason'],
};

export const childMissingEducationRedaction = allowFields(CHILD_MISSING_EDUCATION_FIELDS);
registerRedaction(CHILD_MISSING_EDUCATION_REPORTED, childMissingEducationRedaction);

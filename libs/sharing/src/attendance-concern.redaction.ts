import { allowFields, type FieldAllowList } from './field-allow-list.js';
import { registerRedaction } from './redaction.js';

export const ATTENDANCE_CONCERN_RAISED = 'education.attendance-concern-raised';

/**
 * Absence is a risk indicator for everyone; the council's attendance and social care teams also need
 * the school's account of it. Others see the figure and the period, not the narrative about the family.
 */
export const ATTENDANCE_CONCERN_FIELDS: FieldAllowList = {
  council: ['school', 'attendancePercent', 'period', 'summary'],
  police: ['school', 'attendancePercent', 'period'],
  health: ['school', 'attendancePercent', 'period'],
  education: ['school', 'attendancePercent', 'period', 'summary'],
};

export const attendanceConcernRedaction = allowFields(ATTENDANCE_CONCERN_FIELDS);
registerRedaction(ATTENDANCE_CONCERN_RAISED, attendanceConcernRedaction);

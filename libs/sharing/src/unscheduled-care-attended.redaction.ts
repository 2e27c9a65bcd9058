import { allowFields, type FieldAllowList } from './field-allow-list.js';
import { registerRedaction } from './redaction.js';

export const UNSCHEDULED_CARE_ATTENDED = 'health.unscheduled-care-attended';

/**
 * CP-IS tells the council that a child on a plan or looked after attended, where and when. The council
 * here also gets the coded reason and the outcome: an injury type is what tells a social worker whether
 * to call the department now, and Sch 1 para 18 covers that. Another health professional caring for
 * the child sees everything. Schools and police get nothing: an attendance is clinical detail they do
 * not need; if it matters, the council's strategy discussion shares what is necessary.
 */
export const UNSCHEDULED_CARE_ATTENDED_FIELDS: FieldAllowList = {
  council: ['setting', 'arrivedAt', 'reason', 'site', 'outcome'],
  health: ['setting', 'arrivedAt', 'reason', 'site', 'outcome'],
};

export const unscheduledCareAttendedRedaction = allowFields(UNSCHEDULED_CARE_ATTENDED_FIELDS);
registerRedaction(UNSCHEDULED_CARE_ATTENDED, unscheduledCareAttendedRedaction);

import { allowFields, type FieldAllowList } from './field-allow-list.js';
import { registerRedaction } from './redaction.js';

export const SAFEGUARDING_CONCERN_RECORDED = 'education.safeguarding-concern-recorded';

/**
 * Children's social care decides on referrals, so it sees the concern, what the school did and the role
 * of who recorded it (not their name). Police see the concern but not the school's internal actions;
 * health sees its category only, enough to ask. A receiving school gets the file as KCSIE requires on
 * transfer. The school's own label for the category stays with the school.
 */
export const SAFEGUARDING_CONCERN_FIELDS: FieldAllowList = {
  council: ['concernReference', 'occurredAt', 'category', 'summary', 'actions', 'recordedBy.role', 'school'],
  police: ['occurredAt', 'category', 'summary', 'school'],
  health: ['occurredAt', 'category', 'school'],
  education: ['occurredAt', 'category', 'summary', 'actions', 'school'],
};

export const safeguardingConcernRedaction = allowFields(SAFEGUARDING_CONCERN_FIELDS);
registerRedaction(SAFEGUARDING_CONCERN_RECORDED, safeguardingConcernRedaction);

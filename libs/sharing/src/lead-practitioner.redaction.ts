import { allowFields, type FieldAllowList } from './field-allow-list.js';
import { registerRedaction } from './redaction.js';

export const LEAD_PRACTITIONER_ASSIGNED = 'council.lead-practitioner-assigned';

/** The whole point of this event is that partners can reach the practitioner: everyone gets all of it. */
const ALL = ['assignedDate', 'name', 'role', 'team', 'phone', 'secureEmail'];
export const LEAD_PRACTITIONER_FIELDS: FieldAllowList = {
  council: ALL,
  police: ALL,
  health: ALL,
  education: ALL,
};

export const leadPractitionerRedaction = allowFields(LEAD_PRACTITIONER_FIELDS);
registerRedaction(LEAD_PRACTITIONER_ASSIGNED, leadPractitionerRedaction);

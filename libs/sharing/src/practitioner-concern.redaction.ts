import { allowFields, type FieldAllowList } from './field-allow-list.js';
import { registerRedaction } from './redaction.js';

export const PRACTITIONER_CONCERN_RAISED = 'health.practitioner-concern-raised';

/**
 * The council gets the whole concern: that is whom it is raised with. A school's safeguarding lead works
 * beside the school nurse, so learns that a concern was raised, by whom and of what kind, to talk to them,
 * not the clinical summary. Police learn the kind only, to recognise it when their own picture overlaps.
 */
export const PRACTITIONER_CONCERN_FIELDS: FieldAllowList = {
  council: ['raisedAt', 'role', 'category', 'summary'],
  health: ['raisedAt', 'role', 'category', 'summary'],
  education: ['raisedAt', 'role', 'category'],
  police: ['raisedAt', 'category'],
};

export const practitionerConcernRedaction = allowFields(PRACTITIONER_CONCERN_FIELDS);
registerRedaction(PRACTITIONER_CONCERN_RAISED, practitionerConcernRedaction);

import { allowFields, type FieldAllowList } from './field-allow-list.js';
import { registerRedaction } from './redaction.js';

export const PERMANENT_EXCLUSION_RECORDED = 'education.permanent-exclusion-recorded';

/**
 * The council must provide education from the sixth day, so it sees everything; a school asked to admit
 * the child sees the reason code. Police and health need only that the child is out of school.
 */
export const PERMANENT_EXCLUSION_FIELDS: FieldAllowList = {
  council: ['school', 'effectiveDate', 'reasonCode', 'summary'],
  police: ['school', 'effectiveDate'],
  health: ['school', 'effectiveDate'],
  education: ['school', 'effectiveDate', 'reasonCode'],
};

export const permanentExclusionRedaction = allowFields(PERMANENT_EXCLUSION_FIELDS);
registerRedaction(PERMANENT_EXCLUSION_RECORDED, permanentExclusionRedaction);

import { allowFields, type FieldAllowList } from './field-allow-list.js';
import { registerRedaction } from './redaction.js';

export const SUSPENSION_RECORDED = 'education.suspension-recorded';

/**
 * A suspended child is out of school and more exposed (exploitation, harm at home), which police and
 * health need to know: when and for how long, not why. The council (and a receiving school) also get
 * the DfE reason; the narrative stays with the council.
 */
export const SUSPENSION_FIELDS: FieldAllowList = {
  council: ['school', 'startDate', 'days', 'reasonCode', 'summary'],
  police: ['school', 'startDate', 'days'],
  health: ['school', 'startDate', 'days'],
  education: ['school', 'startDate', 'days', 'reasonCode'],
};

export const suspensionRedaction = allowFields(SUSPENSION_FIELDS);
registerRedaction(SUSPENSION_RECORDED, suspensionRedaction);

import { allowFields, type FieldAllowList } from './field-allow-list.js';
import { registerRedaction } from './redaction.js';

export const KEY_ADULT_REGISTERED = 'education.key-adult-registered';

/**
 * The key adult exists to be contacted: police for Operation Encompass, the council and health for
 * safeguarding. All see the contact details, and only them.
 */
export const KEY_ADULT_REGISTERED_FIELDS: FieldAllowList = {
  council: ['school', 'keyAdult'],
  police: ['school', 'keyAdult'],
  health: ['school', 'keyAdult'],
  education: ['school', 'keyAdult'],
};

export const keyAdultRegisteredRedaction = allowFields(KEY_ADULT_REGISTERED_FIELDS);
registerRedaction(KEY_ADULT_REGISTERED, keyAdultRegisteredRedaction);

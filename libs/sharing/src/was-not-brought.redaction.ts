import { allowFields, type FieldAllowList } from './field-allow-list.js';
import { registerRedaction } from './redaction.js';

export const WAS_NOT_BROUGHT = 'health.was-not-brought';

/**
 * Repeated missed appointments are a sign of neglect the council should see, with the kind of appointment
 * and service (a missed dental check is not a missed oncology review). Schools and police: nothing.
 */
export const WAS_NOT_BROUGHT_FIELDS: FieldAllowList = {
  council: ['appointmentAt', 'appointmentType', 'service'],
  health: ['appointmentAt', 'appointmentType', 'service'],
};

export const wasNotBroughtRedaction = allowFields(WAS_NOT_BROUGHT_FIELDS);
registerRedaction(WAS_NOT_BROUGHT, wasNotBroughtRedaction);

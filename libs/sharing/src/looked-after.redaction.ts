import { allowFields, type FieldAllowList } from './field-allow-list.js';
import { registerRedaction } from './redaction.js';

export const LOOKED_AFTER_STARTED = 'council.looked-after-started';
export const LOOKED_AFTER_ENDED = 'council.looked-after-ended';

/**
 * Everyone sees the legal status: it says who holds parental responsibility, which a clinician needs
 * before treatment and a school before a trip (a care order and a voluntary section 20 arrangement
 * differ). Placement details are not in the event at all. The reason care ended stays with councils.
 */
export const LOOKED_AFTER_STARTED_FIELDS: FieldAllowList = {
  council: ['startDate', 'legalStatus'],
  police: ['startDate', 'legalStatus'],
  health: ['startDate', 'legalStatus'],
  education: ['startDate', 'legalStatus'],
};

export const LOOKED_AFTER_ENDED_FIELDS: FieldAllowList = {
  council: ['startDate', 'endDate', 'reasonCode'],
  police: ['startDate', 'endDate'],
  health: ['startDate', 'endDate'],
  education: ['startDate', 'endDate'],
};

export const lookedAfterStartedRedaction = allowFields(LOOKED_AFTER_STARTED_FIELDS);
export const lookedAfterEndedRedaction = allowFields(LOOKED_AFTER_ENDED_FIELDS);
registerRedaction(LOOKED_AFTER_STARTED, lookedAfterStartedRedaction);
registerRedaction(LOOKED_AFTER_ENDED, lookedAfterEndedRedaction);

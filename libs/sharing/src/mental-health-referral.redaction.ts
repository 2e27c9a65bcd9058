import { allowFields, type FieldAllowList } from './field-allow-list.js';
import { registerRedaction } from './redaction.js';

export const MENTAL_HEALTH_REFERRAL_MADE = 'health.mental-health-referral-made';

/**
 * The council learns that a referral was made, to which service and how urgently, to coordinate; the
 * clinical summary stays in health. Schools and police: nothing, since the young person's own
 * confidence matters here and the council or the school nurse shares what a school needs.
 */
export const MENTAL_HEALTH_REFERRAL_FIELDS: FieldAllowList = {
  council: ['referredAt', 'service', 'urgency'],
  health: ['referredAt', 'service', 'urgency', 'summary'],
};

export const mentalHealthReferralRedaction = allowFields(MENTAL_HEALTH_REFERRAL_FIELDS);
registerRedaction(MENTAL_HEALTH_REFERRAL_MADE, mentalHealthReferralRedaction);

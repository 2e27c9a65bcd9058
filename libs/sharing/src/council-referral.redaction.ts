import { allowFields, type FieldAllowList } from './field-allow-list.js';
import { registerRedaction } from './redaction.js';

export const REFERRAL_RECEIVED = 'council.referral-received';
export const REFERRAL_DECIDED = 'council.referral-decided';

/**
 * Another council (the child moved) gets the whole referral. Police sit in the MASH and check what they
 * hold against the referral's source and need, so they see the codes and the summary. A school or a health
 * professional is often the referrer and is owed feedback (Working Together), so they learn that a referral
 * was received and from which kind of source, not the need it was coded with.
 */
export const REFERRAL_RECEIVED_FIELDS: FieldAllowList = {
  council: ['receivedAt', 'referralSource', 'primaryNeedCode', 'summary'],
  police: ['receivedAt', 'referralSource', 'primaryNeedCode', 'summary'],
  health: ['receivedAt', 'referralSource'],
  education: ['receivedAt', 'referralSource'],
};

/** The outcome is what every partner needs to plan its own part; the council's reasoning stays with it. */
export const REFERRAL_DECIDED_FIELDS: FieldAllowList = {
  council: ['receivedAt', 'decidedAt', 'decision', 'summary'],
  police: ['receivedAt', 'decidedAt', 'decision'],
  health: ['decidedAt', 'decision'],
  education: ['decidedAt', 'decision'],
};

export const referralReceivedRedaction = allowFields(REFERRAL_RECEIVED_FIELDS);
export const referralDecidedRedaction = allowFields(REFERRAL_DECIDED_FIELDS);
registerRedaction(REFERRAL_RECEIVED, referralReceivedRedaction);
registerRedaction(REFERRAL_DECIDED, referralDecidedRedaction);

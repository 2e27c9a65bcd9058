import type { Contract } from '../../contract.js';

export const REFERRAL_RECEIVED = 'council.referral-received';

export const referralReceived = {
  type: REFERRAL_RECEIVED,
  source: 'council',
  schema: 'schemas/council/referral-received/v1.json',
  /**
   * Another council (the child moved) gets the whole referral. Police sit in the MASH and check what they
   * hold against the referral's source and need, so they see the codes and the summary. A school or a health
   * professional is often the referrer and is owed feedback (Working Together), so they learn that a referral
   * was received and from which kind of source, not the need it was coded with.
   */
  audience: {
    council: ['receivedAt', 'referralSource', 'primaryNeedCode', 'summary'],
    police: ['receivedAt', 'referralSource', 'primaryNeedCode', 'summary'],
    health: ['receivedAt', 'referralSource'],
    education: ['receivedAt', 'referralSource'],
  },
  personalData: ['summary'],
  kept: [],
  label: 'Referral received',
  view: { at: ['receivedAt'], concern: true },
} satisfies Contract<typeof REFERRAL_RECEIVED>;

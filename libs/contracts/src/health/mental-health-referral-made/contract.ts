import type { Contract } from '../../contract.js';

export const MENTAL_HEALTH_REFERRAL_MADE = 'health.mental-health-referral-made';

export const mentalHealthReferralMade = {
  type: MENTAL_HEALTH_REFERRAL_MADE,
  source: 'health',
  schema: 'schemas/health/mental-health-referral-made/v1.json',
  /**
   * The council learns that a referral was made, to which service and how urgently, to coordinate; the
   * clinical summary stays in health. Schools and police: nothing, since the young person's own
   * confidence matters here and the council or the school nurse shares what a school needs.
   */
  audience: {
    council: ['referredAt', 'service', 'urgency'],
    health: ['referredAt', 'service', 'urgency', 'summary'],
  },
  personalData: ['summary'],
  kept: ['service'],
  label: 'Mental health referral',
  view: { at: ['referredAt'], concern: false },
} satisfies Contract<typeof MENTAL_HEALTH_REFERRAL_MADE>;

import type { Contract } from '../../contract.js';

export const REFERRAL_DECIDED = 'council.referral-decided';

export const referralDecided = {
  type: REFERRAL_DECIDED,
  source: 'council',
  schema: 'schemas/council/referral-decided/v1.json',
  /** The outcome is what every partner needs to plan its own part; the council's reasoning stays with it. */
  audience: {
    council: ['receivedAt', 'decidedAt', 'decision', 'summary'],
    police: ['receivedAt', 'decidedAt', 'decision'],
    health: ['decidedAt', 'decision'],
    education: ['decidedAt', 'decision'],
  },
  personalData: ['summary'],
  kept: [],
  label: 'Referral decided',
  view: { at: ['decidedAt'], concern: false },
} satisfies Contract<typeof REFERRAL_DECIDED>;

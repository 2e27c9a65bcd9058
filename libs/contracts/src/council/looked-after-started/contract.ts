import type { Contract } from '../../contract.js';

export const LOOKED_AFTER_STARTED = 'council.looked-after-started';

export const lookedAfterStarted = {
  type: LOOKED_AFTER_STARTED,
  source: 'council',
  schema: 'schemas/council/looked-after-started/v1.json',
  /**
   * Everyone sees the legal status: it says who holds parental responsibility, which a clinician needs
   * before treatment and a school before a trip (a care order and a voluntary section 20 arrangement
   * differ). Placement details are not in the event at all. The reason care ended stays with councils.
   */
  audience: {
    council: ['startDate', 'legalStatus'],
    police: ['startDate', 'legalStatus'],
    health: ['startDate', 'legalStatus'],
    education: ['startDate', 'legalStatus'],
  },
  personalData: [],
  kept: [],
  label: 'Started to be looked after',
  view: { at: ['startDate'], concern: false },
} satisfies Contract<typeof LOOKED_AFTER_STARTED>;

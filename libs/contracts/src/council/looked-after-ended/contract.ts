import type { Contract } from '../../contract.js';

export const LOOKED_AFTER_ENDED = 'council.looked-after-ended';

export const lookedAfterEnded = {
  type: LOOKED_AFTER_ENDED,
  source: 'council',
  schema: 'schemas/council/looked-after-ended/v1.json',
  /** Everyone learns that care ended and when (see looked-after-started); the reason stays with councils. */
  audience: {
    council: ['startDate', 'endDate', 'reasonCode'],
    police: ['startDate', 'endDate'],
    health: ['startDate', 'endDate'],
    education: ['startDate', 'endDate'],
  },
  personalData: [],
  kept: [],
  label: 'Stopped being looked after',
  view: { at: ['endDate'], concern: false },
} satisfies Contract<typeof LOOKED_AFTER_ENDED>;

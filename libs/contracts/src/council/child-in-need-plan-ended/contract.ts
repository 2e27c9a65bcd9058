import type { Contract } from '../../contract.js';

export const CHILD_IN_NEED_PLAN_ENDED = 'council.child-in-need-plan-ended';

export const childInNeedPlanEnded = {
  type: CHILD_IN_NEED_PLAN_ENDED,
  source: 'council',
  schema: 'schemas/council/child-in-need-plan-ended/v1.json',
  /** Partners deliver parts of a child in need plan: all of them need its dates, and the event holds no more. */
  audience: {
    council: ['startDate', 'endDate'],
    police: ['startDate', 'endDate'],
    health: ['startDate', 'endDate'],
    education: ['startDate', 'endDate'],
  },
  personalData: [],
  kept: [],
  label: 'Child in need plan ended',
  view: { at: ['endDate'], concern: false },
} satisfies Contract<typeof CHILD_IN_NEED_PLAN_ENDED>;

import type { Contract } from '../../contract.js';

export const CHILD_IN_NEED_PLAN_STARTED = 'council.child-in-need-plan-started';

export const childInNeedPlanStarted = {
  type: CHILD_IN_NEED_PLAN_STARTED,
  source: 'council',
  schema: 'schemas/council/child-in-need-plan-started/v1.json',
  /** Partners deliver parts of a child in need plan: all of them need its dates, and the event holds no more. */
  audience: {
    council: ['startDate'],
    police: ['startDate'],
    health: ['startDate'],
    education: ['startDate'],
  },
  personalData: [],
  kept: [],
  label: 'Child in need plan started',
  view: { at: ['startDate'], concern: false },
} satisfies Contract<typeof CHILD_IN_NEED_PLAN_STARTED>;

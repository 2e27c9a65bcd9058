import type { Contract } from '../../contract.js';

export const CHILD_PROTECTION_PLAN_ENDED = 'council.child-protection-plan-ended';

export const childProtectionPlanEnded = {
  type: CHILD_PROTECTION_PLAN_ENDED,
  source: 'council',
  schema: 'schemas/council/child-protection-plan-ended/v1.json',
  /** CP-IS keeps showing a plan for a time after it ends; the end date is what lets a reader judge that. */
  audience: {
    council: ['startDate', 'endDate', 'reason', 'latestCategory'],
    police: ['startDate', 'endDate', 'reason', 'latestCategory'],
    health: ['startDate', 'endDate'],
    education: ['startDate', 'endDate'],
  },
  personalData: ['reason'],
  kept: [],
  label: 'Child protection plan ended',
  view: { at: ['endDate'], concern: false },
} satisfies Contract<typeof CHILD_PROTECTION_PLAN_ENDED>;

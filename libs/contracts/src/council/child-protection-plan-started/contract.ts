import type { Contract } from '../../contract.js';

export const CHILD_PROTECTION_PLAN_STARTED = 'council.child-protection-plan-started';

export const childProtectionPlanStarted = {
  type: CHILD_PROTECTION_PLAN_STARTED,
  source: 'council',
  schema: 'schemas/council/child-protection-plan-started/v1.json',
  /**
   * CP-IS shows a clinician only that the child is on a plan, since when, and whom to call, day and night:
   * the category is not shared, because in an emergency department it adds suspicion without context. A
   * school's designated safeguarding lead gets the same: the category is discussed at conference, where
   * the school sits, not read from a feed. Police are statutory partners in every plan and weigh the
   * category in their own risk assessments, so they see it, as does another council taking over.
   */
  audience: {
    council: ['startDate', 'category', 'contact'],
    police: ['startDate', 'category', 'contact'],
    health: ['startDate', 'contact'],
    education: ['startDate', 'contact'],
  },
  personalData: [],
  kept: ['contact.team'],
  label: 'Child protection plan started',
  view: { at: ['startDate'], concern: false },
} satisfies Contract<typeof CHILD_PROTECTION_PLAN_STARTED>;

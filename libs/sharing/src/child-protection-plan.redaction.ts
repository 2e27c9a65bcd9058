import { allowFields, type FieldAllowList } from './field-allow-list.js';
import { registerRedaction } from './redaction.js';

export const CHILD_PROTECTION_PLAN_STARTED = 'council.child-protection-plan-started';
export const CHILD_PROTECTION_PLAN_ENDED = 'council.child-protection-plan-ended';

/**
 * CP-IS shows a clinician only that the child is on a plan, since when, and whom to call, day and night:
 * the category is not shared, because in an emergency department it adds suspicion without context. A
 * school's designated safeguarding lead gets the same: the category is discussed at conference, where
 * the school sits, not read from a feed. Police are statutory partners in every plan and weigh the
 * category in their own risk assessments, so they see it, as does another council taking over.
 */
export const CHILD_PROTECTION_PLAN_STARTED_FIELDS: FieldAllowList = {
  council: ['startDate', 'category', 'contact'],
  police: ['startDate', 'category', 'contact'],
  health: ['startDate', 'contact'],
  education: ['startDate', 'contact'],
};

/** CP-IS keeps showing a plan for a time after it ends; the end date is what lets a reader judge that. */
export const CHILD_PROTECTION_PLAN_ENDED_FIELDS: FieldAllowList = {
  council: ['startDate', 'endDate', 'reason', 'latestCategory'],
  police: ['startDate', 'endDate', 'reason', 'latestCategory'],
  health: ['startDate', 'endDate'],
  education: ['startDate', 'endDate'],
};

export const childProtectionPlanStartedRedaction = allowFields(CHILD_PROTECTION_PLAN_STARTED_FIELDS);
export const childProtectionPlanEndedRedaction = allowFields(CHILD_PROTECTION_PLAN_ENDED_FIELDS);
registerRedaction(CHILD_PROTECTION_PLAN_STARTED, childProtectionPlanStartedRedaction);
registerRedaction(CHILD_PROTECTION_PLAN_ENDED, childProtectionPlanEndedRedaction);

import { allowFields, type FieldAllowList } from './field-allow-list.js';
import { registerRedaction } from './redaction.js';

export const CHILD_IN_NEED_PLAN_STARTED = 'council.child-in-need-plan-started';
export const CHILD_IN_NEED_PLAN_ENDED = 'council.child-in-need-plan-ended';

/** Partners deliver parts of a child in need plan: all of them need its dates, and the events hold no more. */
const PLAN_DATES: FieldAllowList = {
  council: ['startDate', 'endDate'],
  police: ['startDate', 'endDate'],
  health: ['startDate', 'endDate'],
  education: ['startDate', 'endDate'],
};

export const CHILD_IN_NEED_PLAN_FIELDS = PLAN_DATES;
export const childInNeedPlanRedaction = allowFields(PLAN_DATES);
registerRedaction(CHILD_IN_NEED_PLAN_STARTED, childInNeedPlanRedaction);
registerRedaction(CHILD_IN_NEED_PLAN_ENDED, childInNeedPlanRedaction);

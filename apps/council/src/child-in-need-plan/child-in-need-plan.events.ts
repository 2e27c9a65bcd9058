import { IsDateString } from 'class-validator';
import type { EventTypeDefinition } from '@jigsaw/ingest';
import { episodeEndRules, episodeStartRules } from '../episode.rules.js';

export const CHILD_IN_NEED_PLAN_STARTED = 'council.child-in-need-plan-started';
export const CHILD_IN_NEED_PLAN_ENDED = 'council.child-in-need-plan-ended';

export class ChildInNeedPlanStartedData {
  @IsDateString({ strict: true }, { message: 'startDate must be a real date (YYYY-MM-DD)' })
  startDate!: string;
}

export class ChildInNeedPlanEndedData {
  @IsDateString({ strict: true }, { message: 'startDate must be a real date (YYYY-MM-DD)' })
  startDate!: string;
  @IsDateString({ strict: true }, { message: 'endDate must be a real date (YYYY-MM-DD)' }) endDate!: string;
}

const kind = { kind: 'child in need plan' };
const started = episodeStartRules(CHILD_IN_NEED_PLAN_STARTED, CHILD_IN_NEED_PLAN_ENDED, {
  ...kind,
  exclusive: true,
});
const ended = episodeEndRules(CHILD_IN_NEED_PLAN_STARTED, CHILD_IN_NEED_PLAN_ENDED, kind);

export const childInNeedPlanStarted: EventTypeDefinition<ChildInNeedPlanStartedData> = {
  type: CHILD_IN_NEED_PLAN_STARTED,
  version: 1,
  dataDto: ChildInNeedPlanStartedData,
  rules: ({ data }, context) => started(data, context),
};

export const childInNeedPlanEnded: EventTypeDefinition<ChildInNeedPlanEndedData> = {
  type: CHILD_IN_NEED_PLAN_ENDED,
  version: 1,
  dataDto: ChildInNeedPlanEndedData,
  rules: ({ data }, context) => ended(data, context),
};

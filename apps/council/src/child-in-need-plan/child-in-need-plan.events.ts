import { CHILD_IN_NEED_PLAN_ENDED, CHILD_IN_NEED_PLAN_STARTED } from '@jigsaw/contracts';
import type { EventTypeDefinition } from '@jigsaw/ingest';
import { episodeEndRules, episodeStartRules } from '../episode.rules.js';

const kind = { kind: 'child in need plan' };
const started = episodeStartRules(CHILD_IN_NEED_PLAN_STARTED, CHILD_IN_NEED_PLAN_ENDED, {
  ...kind,
  exclusive: true,
});
const ended = episodeEndRules(CHILD_IN_NEED_PLAN_STARTED, CHILD_IN_NEED_PLAN_ENDED, kind);

export const childInNeedPlanStarted: EventTypeDefinition<typeof CHILD_IN_NEED_PLAN_STARTED> = {
  type: CHILD_IN_NEED_PLAN_STARTED,
  version: 1,
  rules: ({ data }, context) => started(data, context),
};

export const childInNeedPlanEnded: EventTypeDefinition<typeof CHILD_IN_NEED_PLAN_ENDED> = {
  type: CHILD_IN_NEED_PLAN_ENDED,
  version: 1,
  rules: ({ data }, context) => ended(data, context),
};

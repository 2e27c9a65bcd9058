import { CHILD_PROTECTION_PLAN_ENDED, CHILD_PROTECTION_PLAN_STARTED } from '@jigsaw/contracts';
import type { EventTypeDefinition } from '@jigsaw/ingest';
import { episodeEndRules, episodeStartRules } from '../episode.rules.js';

/** Category of abuse, as in the CIN census: neglect, physical, sexual, emotional, multiple. */
export const CP_CATEGORIES = ['NEG', 'PHY', 'SAB', 'EMO', 'MUL'] as const;

const kind = { kind: 'child protection plan' };
const started = episodeStartRules(CHILD_PROTECTION_PLAN_STARTED, CHILD_PROTECTION_PLAN_ENDED, {
  ...kind,
  exclusive: true,
});
const ended = episodeEndRules(CHILD_PROTECTION_PLAN_STARTED, CHILD_PROTECTION_PLAN_ENDED, kind);

export const childProtectionPlanStarted: EventTypeDefinition<typeof CHILD_PROTECTION_PLAN_STARTED> = {
  type: CHILD_PROTECTION_PLAN_STARTED,
  version: 1,
  rules: ({ data }, context) => started(data, context),
};

export const childProtectionPlanEnded: EventTypeDefinition<typeof CHILD_PROTECTION_PLAN_ENDED> = {
  type: CHILD_PROTECTION_PLAN_ENDED,
  version: 1,
  rules: ({ data }, context) => ended(data, context),
};

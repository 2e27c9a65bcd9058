import { ASSESSMENT_COMPLETED, ASSESSMENT_STARTED } from '@jigsaw/contracts';
import type { EventTypeDefinition } from '@jigsaw/ingest';
import { episodeEndRules, episodeStartRules } from '../episode.rules.js';

export const ASSESSMENT_OUTCOMES = [
  'no-further-action',
  'early-help',
  'child-in-need-plan',
  'section-47',
  'looked-after',
] as const;

const started = episodeStartRules(ASSESSMENT_STARTED, ASSESSMENT_COMPLETED, {
  exclusive: false,
  kind: 'assessment',
});
const completed = episodeEndRules(ASSESSMENT_STARTED, ASSESSMENT_COMPLETED, { kind: 'assessment' });

export const assessmentStarted: EventTypeDefinition<typeof ASSESSMENT_STARTED> = {
  type: ASSESSMENT_STARTED,
  version: 1,
  rules: ({ data }, context) => started(data, context),
};

export const assessmentCompleted: EventTypeDefinition<typeof ASSESSMENT_COMPLETED> = {
  type: ASSESSMENT_COMPLETED,
  version: 1,
  rules: ({ data }, context) => completed(data, context),
};

import { MISSING_EPISODE_STARTED } from '@jigsaw/contracts';
import type { FieldProblem } from '@jigsaw/errors';
import { notInFuture, type EventTypeDefinition } from '@jigsaw/ingest';
import { openEpisodes } from './missing-episodes.js';

/**
 * A child reported missing: the start of an episode that police grade for risk (the College of Policing's
 * missing persons guidance, 2023) and close on return. Its shape is
 * schemas/police/missing-episode-started/v1.json.
 */
export const missingEpisodeStarted: EventTypeDefinition<typeof MISSING_EPISODE_STARTED> = {
  type: MISSING_EPISODE_STARTED,
  version: 1,
  rules: ({ source, data }, { now, state }) => {
    const problems: FieldProblem[] = [
      ...notInFuture('data.missingSince', data.missingSince, now),
      ...notInFuture('data.reportedAt', data.reportedAt, now),
    ];
    if (Date.parse(data.reportedAt) < Date.parse(data.missingSince)) {
      problems.push({ field: 'data.reportedAt', reason: 'must not be before missingSince' });
    }
    if (openEpisodes(state.records, source).has(data.episodeReference)) {
      problems.push({
        field: 'data.episodeReference',
        reason: 'names a missing episode that is already open',
      });
    }
    return problems;
  },
};

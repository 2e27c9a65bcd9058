import { MISSING_EPISODE_ENDED } from '@jigsaw/contracts';
import type { FieldProblem } from '@jigsaw/errors';
import { notInFuture, type EventTypeDefinition } from '@jigsaw/ingest';
import { openEpisodes } from './missing-episodes.js';

/**
 * The child is safe and well again; the council offers a return home interview within 72 hours. Its shape
 * is schemas/police/missing-episode-ended/v1.json.
 */
export const missingEpisodeEnded: EventTypeDefinition<typeof MISSING_EPISODE_ENDED> = {
  type: MISSING_EPISODE_ENDED,
  version: 1,
  rules: ({ source, data }, { now, state }) => {
    const problems: FieldProblem[] = notInFuture('data.foundAt', data.foundAt, now);
    const episode = openEpisodes(state.records, source).get(data.episodeReference);
    if (!episode) {
      problems.push({
        field: 'data.episodeReference',
        reason: 'names no open missing episode for this child from this source',
      });
    } else if (Date.parse(data.foundAt) < Date.parse(episode.missingSince)) {
      problems.push({ field: 'data.foundAt', reason: 'must not be before the episode started' });
    }
    return problems;
  },
};

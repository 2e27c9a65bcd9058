import { allowFields, type FieldAllowList } from './field-allow-list.js';
import { registerRedaction } from './redaction.js';

export const MISSING_EPISODE_ENDED = 'police.missing-episode-ended';

/**
 * The council offers the return home interview, so it needs how the episode ended and whether one was
 * offered. A school and health need only that the child is back, and when; the circumstances of how the
 * child was found stay with police and the council.
 */
export const MISSING_EPISODE_ENDED_FIELDS: FieldAllowList = {
  council: ['episodeReference', 'foundAt', 'howEnded', 'returnInterviewOffered', 'summary', 'contact'],
  education: ['foundAt', 'contact'],
  health: ['foundAt'],
  police: ['episodeReference', 'foundAt', 'howEnded', 'returnInterviewOffered', 'summary', 'contact'],
};

export const missingEpisodeEndedRedaction = allowFields(MISSING_EPISODE_ENDED_FIELDS);
registerRedaction(MISSING_EPISODE_ENDED, missingEpisodeEndedRedaction);

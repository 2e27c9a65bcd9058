import { allowFields, type FieldAllowList } from './field-allow-list.js';
import { registerRedaction } from './redaction.js';

export const MISSING_EPISODE_STARTED = 'police.missing-episode-started';

/**
 * Children's social care leads on children who go missing (it arranges the return home interview and
 * any strategy discussion), so it gets the whole episode. A school needs to know the child is missing
 * and how worried to be, and whom to call with anything it learns; health only that the child is missing.
 */
export const MISSING_EPISODE_STARTED_FIELDS: FieldAllowList = {
  council: [
    'episodeReference',
    'missingSince',
    'reportedAt',
    'riskLevel',
    'missingFrom',
    'summary',
    'contact',
  ],
  education: ['missingSince', 'riskLevel', 'contact'],
  health: ['missingSince', 'riskLevel'],
  police: [
    'episodeReference',
    'missingSince',
    'reportedAt',
    'riskLevel',
    'missingFrom',
    'summary',
    'contact',
  ],
};

export const missingEpisodeStartedRedaction = allowFields(MISSING_EPISODE_STARTED_FIELDS);
registerRedaction(MISSING_EPISODE_STARTED, missingEpisodeStartedRedaction);

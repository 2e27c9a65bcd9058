import type { Contract } from '../../contract.js';

export const MISSING_EPISODE_STARTED = 'police.missing-episode-started';

export const missingEpisodeStarted = {
  type: MISSING_EPISODE_STARTED,
  source: 'police',
  schema: 'schemas/police/missing-episode-started/v1.json',
  /**
   * Children's social care leads on children who go missing (it arranges the return home interview and
   * any strategy discussion), so it gets the whole episode. A school needs to know the child is missing
   * and how worried to be, and whom to call with anything it learns; health only that the child is missing.
   */
  audience: {
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
  },
  personalData: ['summary'],
  kept: ['episodeReference', 'contact.name', 'contact.role'],
  label: 'Reported missing',
  view: { at: ['missingSince', 'reportedAt'], concern: true },
} satisfies Contract<typeof MISSING_EPISODE_STARTED>;

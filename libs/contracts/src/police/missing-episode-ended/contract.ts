import type { Contract } from '../../contract.js';

export const MISSING_EPISODE_ENDED = 'police.missing-episode-ended';

export const missingEpisodeEnded = {
  type: MISSING_EPISODE_ENDED,
  source: 'police',
  schema: 'schemas/police/missing-episode-ended/v1.json',
  /**
   * The council offers the return home interview, so it needs how the episode ended and whether one was
   * offered. A school and health need only that the child is back, and when; the circumstances of how the
   * child was found stay with police and the council.
   */
  audience: {
    council: ['episodeReference', 'foundAt', 'howEnded', 'returnInterviewOffered', 'summary', 'contact'],
    education: ['foundAt', 'contact'],
    health: ['foundAt'],
    police: ['episodeReference', 'foundAt', 'howEnded', 'returnInterviewOffered', 'summary', 'contact'],
  },
  personalData: ['summary'],
  kept: ['episodeReference', 'contact.name', 'contact.role'],
  label: 'Found after being missing',
  view: { at: ['foundAt'], concern: false },
} satisfies Contract<typeof MISSING_EPISODE_ENDED>;

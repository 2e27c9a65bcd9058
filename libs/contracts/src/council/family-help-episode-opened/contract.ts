import type { Contract } from '../../contract.js';

export const FAMILY_HELP_EPISODE_OPENED = 'council.family-help-episode-opened';

export const familyHelpEpisodeOpened = {
  type: FAMILY_HELP_EPISODE_OPENED,
  source: 'council',
  schema: 'schemas/council/family-help-episode-opened/v1.json',
  /**
   * Family help is voluntary support: partners need to know it is in place (so they do not start a
   * parallel offer), not why the family asked for it.
   */
  audience: {
    council: ['startDate', 'summary'],
    police: ['startDate'],
    health: ['startDate'],
    education: ['startDate'],
  },
  personalData: ['summary'],
  kept: [],
  label: 'Family help started',
  view: { at: ['startDate'], concern: false },
} satisfies Contract<typeof FAMILY_HELP_EPISODE_OPENED>;

import type { Contract } from '../../contract.js';

export const FAMILY_HELP_EPISODE_CLOSED = 'council.family-help-episode-closed';

export const familyHelpEpisodeClosed = {
  type: FAMILY_HELP_EPISODE_CLOSED,
  source: 'council',
  schema: 'schemas/council/family-help-episode-closed/v1.json',
  /** Partners need to know when family help ended (see family-help-episode-opened); why stays with councils. */
  audience: {
    council: ['startDate', 'endDate', 'reason'],
    police: ['startDate', 'endDate'],
    health: ['startDate', 'endDate'],
    education: ['startDate', 'endDate'],
  },
  personalData: ['reason'],
  kept: [],
  label: 'Family help ended',
  view: { at: ['endDate'], concern: false },
} satisfies Contract<typeof FAMILY_HELP_EPISODE_CLOSED>;

import { allowFields, type FieldAllowList } from './field-allow-list.js';
import { registerRedaction } from './redaction.js';

export const FAMILY_HELP_EPISODE_OPENED = 'council.family-help-episode-opened';
export const FAMILY_HELP_EPISODE_CLOSED = 'council.family-help-episode-closed';

/**
 * Family help is voluntary support: partners need to know it is in place (so they do not start a
 * parallel offer) and when it ends, not why the family asked for it.
 */
export const FAMILY_HELP_EPISODE_FIELDS: FieldAllowList = {
  council: ['startDate', 'endDate', 'summary', 'reason'],
  police: ['startDate', 'endDate'],
  health: ['startDate', 'endDate'],
  education: ['startDate', 'endDate'],
};

export const familyHelpEpisodeRedaction = allowFields(FAMILY_HELP_EPISODE_FIELDS);
registerRedaction(FAMILY_HELP_EPISODE_OPENED, familyHelpEpisodeRedaction);
registerRedaction(FAMILY_HELP_EPISODE_CLOSED, familyHelpEpisodeRedaction);

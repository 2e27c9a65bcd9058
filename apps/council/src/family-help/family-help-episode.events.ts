import { FAMILY_HELP_EPISODE_CLOSED, FAMILY_HELP_EPISODE_OPENED } from '@jigsaw/contracts';
import type { EventTypeDefinition } from '@jigsaw/ingest';
import { episodeEndRules, episodeStartRules } from '../episode.rules.js';

const kind = { kind: 'family help episode' };
const opened = episodeStartRules(FAMILY_HELP_EPISODE_OPENED, FAMILY_HELP_EPISODE_CLOSED, {
  ...kind,
  exclusive: true,
});
const closed = episodeEndRules(FAMILY_HELP_EPISODE_OPENED, FAMILY_HELP_EPISODE_CLOSED, kind);

export const familyHelpEpisodeOpened: EventTypeDefinition<typeof FAMILY_HELP_EPISODE_OPENED> = {
  type: FAMILY_HELP_EPISODE_OPENED,
  version: 1,
  rules: ({ data }, context) => opened(data, context),
};

export const familyHelpEpisodeClosed: EventTypeDefinition<typeof FAMILY_HELP_EPISODE_CLOSED> = {
  type: FAMILY_HELP_EPISODE_CLOSED,
  version: 1,
  rules: ({ data }, context) => closed(data, context),
};

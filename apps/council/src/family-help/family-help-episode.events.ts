import { IsDateString, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import type { EventTypeDefinition } from '@jigsaw/ingest';
import { episodeEndRules, episodeStartRules } from '../episode.rules.js';

export const FAMILY_HELP_EPISODE_OPENED = 'council.family-help-episode-opened';
export const FAMILY_HELP_EPISODE_CLOSED = 'council.family-help-episode-closed';

export class FamilyHelpEpisodeOpenedData {
  @IsDateString({ strict: true }, { message: 'startDate must be a real date (YYYY-MM-DD)' })
  startDate!: string;
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(500) summary?: string;
}

export class FamilyHelpEpisodeClosedData {
  @IsDateString({ strict: true }, { message: 'startDate must be a real date (YYYY-MM-DD)' })
  startDate!: string;
  @IsDateString({ strict: true }, { message: 'endDate must be a real date (YYYY-MM-DD)' }) endDate!: string;
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(200) reason?: string;
}

const kind = { kind: 'family help episode' };
const opened = episodeStartRules(FAMILY_HELP_EPISODE_OPENED, FAMILY_HELP_EPISODE_CLOSED, {
  ...kind,
  exclusive: true,
});
const closed = episodeEndRules(FAMILY_HELP_EPISODE_OPENED, FAMILY_HELP_EPISODE_CLOSED, kind);

export const familyHelpEpisodeOpened: EventTypeDefinition<FamilyHelpEpisodeOpenedData> = {
  type: FAMILY_HELP_EPISODE_OPENED,
  version: 1,
  dataDto: FamilyHelpEpisodeOpenedData,
  rules: ({ data }, context) => opened(data, context),
};

export const familyHelpEpisodeClosed: EventTypeDefinition<FamilyHelpEpisodeClosedData> = {
  type: FAMILY_HELP_EPISODE_CLOSED,
  version: 1,
  dataDto: FamilyHelpEpisodeClosedData,
  rules: ({ data }, context) => closed(data, context),
};

import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsISO8601,
  IsNotEmpty,
  IsOptional,
  IsString,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import type { FieldProblem } from '@jigsaw/errors';
import { notInFuture, type EventTypeDefinition } from '@jigsaw/ingest';
import { ContactDto } from '../domestic-abuse/domestic-abuse-incident-notified.event.js';
import { openEpisodes } from './missing-episodes.js';

export const MISSING_EPISODE_ENDED = 'police.missing-episode-ended';

export const MISSING_EPISODE_ENDINGS = ['returned', 'found-by-police', 'found-by-others', 'other'] as const;

/** The child is safe and well again; the council offers a return home interview within 72 hours. */
export class MissingEpisodeEndedData {
  @IsString() @IsNotEmpty() @MaxLength(50) episodeReference!: string;
  @IsISO8601({ strict: true }, { message: 'foundAt must be a real date and time (RFC 3339)' })
  foundAt!: string;
  @IsIn(MISSING_EPISODE_ENDINGS) howEnded!: string;
  @IsOptional() @IsBoolean() returnInterviewOffered?: boolean;
  @IsString() @IsNotEmpty() @MaxLength(500) summary!: string;
  @IsOptional() @ValidateNested() @Type(() => ContactDto) contact?: ContactDto;
}

export const missingEpisodeEnded: EventTypeDefinition<MissingEpisodeEndedData> = {
  type: MISSING_EPISODE_ENDED,
  version: 1,
  dataDto: MissingEpisodeEndedData,
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

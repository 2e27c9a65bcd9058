import { Type } from 'class-transformer';
import {
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

export const MISSING_EPISODE_STARTED = 'police.missing-episode-started';

/** The risk grades of the College of Policing's missing persons guidance (2023). */
export const MISSING_RISK_LEVELS = ['no-apparent-risk', 'low', 'medium', 'high'] as const;
export const MISSING_FROM = ['home', 'care-placement', 'school', 'hospital', 'other'] as const;

/** A child reported missing: the start of an episode that police grade for risk and close on return. */
export class MissingEpisodeStartedData {
  @IsString() @IsNotEmpty() @MaxLength(50) episodeReference!: string;
  @IsISO8601({ strict: true }, { message: 'missingSince must be a real date and time (RFC 3339)' })
  missingSince!: string;
  @IsISO8601({ strict: true }, { message: 'reportedAt must be a real date and time (RFC 3339)' })
  reportedAt!: string;
  @IsIn(MISSING_RISK_LEVELS) riskLevel!: string;
  @IsOptional() @IsIn(MISSING_FROM) missingFrom?: string;
  @IsString() @IsNotEmpty() @MaxLength(500) summary!: string;
  @IsOptional() @ValidateNested() @Type(() => ContactDto) contact?: ContactDto;
}

export const missingEpisodeStarted: EventTypeDefinition<MissingEpisodeStartedData> = {
  type: MISSING_EPISODE_STARTED,
  version: 1,
  dataDto: MissingEpisodeStartedData,
  rules: ({ source, data }, { now, state }) => {
    const problems: FieldProblem[] = [
      ...notInFuture('data.missingSince', data.missingSince, now),
      ...notInFuture('data.reportedAt', data.reportedAt, now),
    ];
    if (Date.parse(data.reportedAt) < Date.parse(data.missingSince)) {
      problems.push({ field: 'data.reportedAt', reason: 'must not be before missingSince' });
    }
    if (openEpisodes(state.records, source).has(data.episodeReference)) {
      problems.push({
        field: 'data.episodeReference',
        reason: 'names a missing episode that is already open',
      });
    }
    return problems;
  },
};

import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsISO8601,
  IsNotEmpty,
  IsOptional,
  IsString,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { notInFuture, type EventTypeDefinition } from '@jigsaw/ingest';
import { SchoolDto } from '../pupil/school.dto.js';

export const SAFEGUARDING_CONCERN_RECORDED = 'education.safeguarding-concern-recorded';

/** The categories Keeping Children Safe in Education names; schools' own labels map onto them. */
export const CONCERN_CATEGORIES = [
  'physical-abuse',
  'emotional-abuse',
  'sexual-abuse',
  'neglect',
  'domestic-abuse',
  'child-on-child-abuse',
  'online-safety',
  'mental-health',
  'self-harm',
  'criminal-exploitation',
  'sexual-exploitation',
  'radicalisation',
  'fgm',
  'missing-education',
  'attendance',
  'behaviour',
  'other',
] as const;
export type ConcernCategory = (typeof CONCERN_CATEGORIES)[number];

export class RecordedByDto {
  @IsOptional() @IsString() @MaxLength(100) name?: string;
  @IsString() @IsNotEmpty() @MaxLength(100) role!: string;
}

export class SafeguardingConcernRecordedData {
  @IsString() @IsNotEmpty() @MaxLength(100) concernReference!: string;
  @IsISO8601({ strict: true }, { message: 'occurredAt must be a real date and time (RFC 3339)' })
  occurredAt!: string;
  @IsIn(CONCERN_CATEGORIES) category!: string;
  /** The school's own label, kept where it mapped to `other` or differs from ours. */
  @IsOptional() @IsString() @MaxLength(100) categoryLabel?: string;
  @IsString() @IsNotEmpty() @MaxLength(2000) summary!: string;
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @IsNotEmpty({ each: true })
  @MaxLength(500, { each: true })
  actions!: string[];
  @ValidateNested() @Type(() => RecordedByDto) recordedBy!: RecordedByDto;
  @IsOptional() @ValidateNested() @Type(() => SchoolDto) school?: SchoolDto;
}

export const safeguardingConcernRecorded: EventTypeDefinition<SafeguardingConcernRecordedData> = {
  type: SAFEGUARDING_CONCERN_RECORDED,
  version: 1,
  dataDto: SafeguardingConcernRecordedData,
  rules: ({ data }, { now }) => notInFuture('data.occurredAt', data.occurredAt, now),
};

import { Type } from 'class-transformer';
import {
  IsDateString,
  IsIn,
  IsNumber,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import type { EventTypeDefinition } from '@jigsaw/ingest';
import { SchoolDto } from '../pupil/school.dto.js';
import { EXCLUSION_REASON_CODES } from './exclusion-reasons.js';

export const SUSPENSION_RECORDED = 'education.suspension-recorded';

/** A suspension: in half-day sessions, at most 45 school days in a school year. */
export class SuspensionRecordedData {
  @IsOptional() @ValidateNested() @Type(() => SchoolDto) school?: SchoolDto;
  @IsDateString({ strict: true }, { message: 'startDate must be a real date (YYYY-MM-DD)' })
  startDate!: string;
  @IsNumber() @Min(0.5) @Max(45) days!: number;
  @IsIn(EXCLUSION_REASON_CODES) reasonCode!: string;
  @IsOptional() @IsString() @MaxLength(1000) summary?: string;
}

export const suspensionRecorded: EventTypeDefinition<SuspensionRecordedData> = {
  type: SUSPENSION_RECORDED,
  version: 1,
  dataDto: SuspensionRecordedData,
  rules: ({ data }) =>
    Number.isInteger(data.days * 2)
      ? []
      : [{ field: 'data.days', reason: 'must be a whole number of half days' }],
};

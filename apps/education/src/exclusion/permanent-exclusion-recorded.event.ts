import { Type } from 'class-transformer';
import { IsDateString, IsIn, IsOptional, IsString, MaxLength, ValidateNested } from 'class-validator';
import type { EventTypeDefinition } from '@jigsaw/ingest';
import { SchoolDto } from '../pupil/school.dto.js';
import { EXCLUSION_REASON_CODES } from './exclusion-reasons.js';

export const PERMANENT_EXCLUSION_RECORDED = 'education.permanent-exclusion-recorded';

/** The council must arrange full-time education from the sixth school day after a permanent exclusion. */
export class PermanentExclusionRecordedData {
  @IsOptional() @ValidateNested() @Type(() => SchoolDto) school?: SchoolDto;
  @IsDateString({ strict: true }, { message: 'effectiveDate must be a real date (YYYY-MM-DD)' })
  effectiveDate!: string;
  @IsIn(EXCLUSION_REASON_CODES) reasonCode!: string;
  @IsOptional() @IsString() @MaxLength(1000) summary?: string;
}

export const permanentExclusionRecorded: EventTypeDefinition<PermanentExclusionRecordedData> = {
  type: PERMANENT_EXCLUSION_RECORDED,
  version: 1,
  dataDto: PermanentExclusionRecordedData,
};

import { Type } from 'class-transformer';
import { IsDateString, IsOptional, IsString, MaxLength, ValidateNested } from 'class-validator';
import { notInFuture, type EventTypeDefinition } from '@jigsaw/ingest';
import { SchoolDto } from '../pupil/school.dto.js';

export const ELECTIVE_HOME_EDUCATION_NOTIFIED = 'education.elective-home-education-notified';

/** Parents will educate at home; the school takes the pupil off roll and must tell the council. */
export class ElectiveHomeEducationNotifiedData {
  @IsOptional() @ValidateNested() @Type(() => SchoolDto) school?: SchoolDto;
  @IsDateString({ strict: true }, { message: 'notifiedOn must be a real date (YYYY-MM-DD)' })
  notifiedOn!: string;
  @IsDateString({ strict: true }, { message: 'offRollOn must be a real date (YYYY-MM-DD)' })
  offRollOn!: string;
  @IsOptional() @IsString() @MaxLength(500) reasonGiven?: string;
}

export const electiveHomeEducationNotified: EventTypeDefinition<ElectiveHomeEducationNotifiedData> = {
  type: ELECTIVE_HOME_EDUCATION_NOTIFIED,
  version: 1,
  dataDto: ElectiveHomeEducationNotifiedData,
  rules: ({ data }, { now }) => notInFuture('data.notifiedOn', data.notifiedOn, now),
};

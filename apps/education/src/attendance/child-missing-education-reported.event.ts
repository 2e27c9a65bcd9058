import { Type } from 'class-transformer';
import {
  IsDateString,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import type { FieldProblem } from '@jigsaw/errors';
import { notInFuture, type EventTypeDefinition } from '@jigsaw/ingest';
import { SchoolDto } from '../pupil/school.dto.js';

export const CHILD_MISSING_EDUCATION_REPORTED = 'education.child-missing-education-reported';

export const CME_REASONS = [
  'left-without-destination',
  'not-returned-after-holiday',
  'moved-away-unknown',
  'not-on-roll-anywhere',
  'other',
] as const;

/** A school tells the council it has lost sight of a pupil (the statutory children missing education duty). */
export class ChildMissingEducationReportedData {
  @IsOptional() @ValidateNested() @Type(() => SchoolDto) school?: SchoolDto;
  @IsOptional()
  @IsDateString({ strict: true }, { message: 'lastAttendedOn must be a real date (YYYY-MM-DD)' })
  lastAttendedOn?: string;
  @IsDateString({ strict: true }, { message: 'reportedOn must be a real date (YYYY-MM-DD)' })
  reportedOn!: string;
  @IsIn(CME_REASONS) reason!: string;
  @IsString() @IsNotEmpty() @MaxLength(1000) summary!: string;
}

export const childMissingEducationReported: EventTypeDefinition<ChildMissingEducationReportedData> = {
  type: CHILD_MISSING_EDUCATION_REPORTED,
  version: 1,
  dataDto: ChildMissingEducationReportedData,
  rules: ({ data }, { now }) => {
    const problems: FieldProblem[] = notInFuture('data.reportedOn', data.reportedOn, now);
    if (data.lastAttendedOn && data.lastAttendedOn > data.reportedOn) {
      problems.push({ field: 'data.lastAttendedOn', reason: 'must not be after reportedOn' });
    }
    return problems;
  },
};

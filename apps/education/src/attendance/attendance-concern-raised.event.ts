import { Type } from 'class-transformer';
import {
  IsDateString,
  IsNumber,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import type { FieldProblem } from '@jigsaw/errors';
import { notInFuture, type EventTypeDefinition } from '@jigsaw/ingest';
import { SchoolDto } from '../pupil/school.dto.js';

export const ATTENDANCE_CONCERN_RAISED = 'education.attendance-concern-raised';

export class PeriodDto {
  @IsDateString({ strict: true }, { message: 'from must be a real date (YYYY-MM-DD)' }) from!: string;
  @IsDateString({ strict: true }, { message: 'to must be a real date (YYYY-MM-DD)' }) to!: string;
}

/** Persistent absence is below 90% attendance, severe below 50% (DfE "Working together to improve school attendance"). */
export class AttendanceConcernRaisedData {
  @IsOptional() @ValidateNested() @Type(() => SchoolDto) school?: SchoolDto;
  @IsNumber() @Min(0) @Max(100) attendancePercent!: number;
  @ValidateNested() @Type(() => PeriodDto) period!: PeriodDto;
  @IsOptional() @IsString() @MaxLength(1000) summary?: string;
}

export const attendanceConcernRaised: EventTypeDefinition<AttendanceConcernRaisedData> = {
  type: ATTENDANCE_CONCERN_RAISED,
  version: 1,
  dataDto: AttendanceConcernRaisedData,
  rules: ({ data }, { now }) => {
    const problems: FieldProblem[] = notInFuture('data.period.to', data.period.to, now);
    if (data.period.to < data.period.from) {
      problems.push({ field: 'data.period.to', reason: 'must not be before period.from' });
    }
    return problems;
  },
};

import { Type } from 'class-transformer';
import { IsDateString, IsIn, IsOptional, ValidateNested } from 'class-validator';
import type { EventTypeDefinition } from '@jigsaw/ingest';
import { DslContactDto, SchoolDto } from './school.dto.js';

export const PUPIL_ON_ROLL = 'education.pupil-on-roll';

/** National curriculum year groups as the school census codes them. */
export const YEAR_GROUPS = ['N1', 'N2', 'R', ...Array.from({ length: 14 }, (_, i) => String(i + 1))] as const;

/** A pupil on a school's roll: links the UPN in `subject` to the school and whom to call there. */
export class PupilOnRollData {
  @ValidateNested() @Type(() => SchoolDto) school!: SchoolDto;
  @IsDateString({ strict: true }, { message: 'onRollFrom must be a real date (YYYY-MM-DD)' })
  onRollFrom!: string;
  @IsOptional() @IsIn(YEAR_GROUPS) yearGroup?: string;
  @IsOptional() @ValidateNested() @Type(() => DslContactDto) dsl?: DslContactDto;
}

export const pupilOnRoll: EventTypeDefinition<PupilOnRollData> = {
  type: PUPIL_ON_ROLL,
  version: 1,
  dataDto: PupilOnRollData,
  rules: ({ subject }) =>
    subject.upn
      ? []
      : [{ field: 'subject.upn', reason: 'is required: pupil-on-roll links a UPN to a school' }],
};

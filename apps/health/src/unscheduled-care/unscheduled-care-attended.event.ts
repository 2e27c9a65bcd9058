import { Type } from 'class-transformer';
import {
  IsIn,
  IsISO8601,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { notInFuture, type EventTypeDefinition } from '@jigsaw/ingest';
import { specialCategoryRequired } from '../special-category.rule.js';

export const UNSCHEDULED_CARE_ATTENDED = 'health.unscheduled-care-attended';

/** The settings where CP-IS shows clinicians a child's plan or looked-after status. */
export const CARE_SETTINGS = [
  'emergency-department',
  'minor-injury-unit',
  'urgent-treatment-centre',
  'maternity',
] as const;

export const ATTENDANCE_OUTCOMES = [
  'discharged',
  'admitted',
  'transferred',
  'left-before-treatment',
  'died',
  'other',
] as const;

export const SNOMED_CT = 'http://snomed.info/sct';

export class CodedReasonDto {
  @IsUrl({ require_tld: false, require_protocol: true }, { message: 'system must be a code system URI' })
  @MaxLength(200)
  system!: string;
  @IsString() @IsNotEmpty() @MaxLength(50) code!: string;
  @IsString() @IsNotEmpty() @MaxLength(200) display!: string;
}

export class CareSiteDto {
  @IsString() @IsNotEmpty() @MaxLength(200) name!: string;
  @IsOptional()
  @Matches(/^[A-Z0-9]{3,10}$/, { message: 'odsCode must be an ODS organisation code' })
  odsCode?: string;
}

export class UnscheduledCareAttendedData {
  @IsIn(CARE_SETTINGS) setting!: string;
  @IsISO8601({ strict: true }, { message: 'arrivedAt must be a real date and time (RFC 3339)' })
  arrivedAt!: string;
  @ValidateNested() @Type(() => CodedReasonDto) reason!: CodedReasonDto;
  @ValidateNested() @Type(() => CareSiteDto) site!: CareSiteDto;
  @IsOptional() @IsIn(ATTENDANCE_OUTCOMES) outcome?: string;
}

export const unscheduledCareAttended: EventTypeDefinition<UnscheduledCareAttendedData> = {
  type: UNSCHEDULED_CARE_ATTENDED,
  version: 1,
  dataDto: UnscheduledCareAttendedData,
  rules: (envelope, { now }) => [
    ...specialCategoryRequired(envelope),
    ...notInFuture('data.arrivedAt', envelope.data.arrivedAt, now),
  ],
};

import { Type } from 'class-transformer';
import {
  IsDateString,
  IsEmail,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import type { EventTypeDefinition } from '@jigsaw/ingest';
import { PHONE, SchoolDto } from './school.dto.js';

export const KEY_ADULT_REGISTERED = 'education.key-adult-registered';

export const KEY_ADULT_ROLES = [
  'designated-safeguarding-lead',
  'deputy-designated-safeguarding-lead',
  'headteacher',
] as const;

export class KeyAdultDto {
  @IsString() @IsNotEmpty() @MaxLength(100) name!: string;
  @IsIn(KEY_ADULT_ROLES) role!: string;
  @Matches(PHONE, { message: 'phone must be a telephone number' }) phone!: string;
  /** Operation Encompass content goes only to a secure mailbox, never a shared office address. */
  @IsEmail({}, { message: 'secureEmail must be an email address' }) secureEmail!: string;
}

/** The trained key adult who receives Operation Encompass notifications about this pupil before school. */
export class KeyAdultRegisteredData {
  @ValidateNested() @Type(() => SchoolDto) school!: SchoolDto;
  @ValidateNested() @Type(() => KeyAdultDto) keyAdult!: KeyAdultDto;
  @IsOptional()
  @IsDateString({ strict: true }, { message: 'from must be a real date (YYYY-MM-DD)' })
  from?: string;
}

export const keyAdultRegistered: EventTypeDefinition<KeyAdultRegisteredData> = {
  type: KEY_ADULT_REGISTERED,
  version: 1,
  dataDto: KeyAdultRegisteredData,
};

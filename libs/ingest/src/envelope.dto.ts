import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  Equals,
  IsArray,
  IsBoolean,
  IsDateString,
  IsIn,
  IsISO8601,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { AGENCIES, CONSENT_STATUSES, LAWFUL_BASES, PURPOSES, REGIMES, SENSITIVITIES } from '@jigsaw/envelope';
import { IsNhsNumber, IsUpn } from '@jigsaw/identity';

export class LocalIdDto {
  @IsString() @IsNotEmpty() @MaxLength(100) system!: string;
  @IsString() @IsNotEmpty() @MaxLength(100) value!: string;
}

export class NameDto {
  @IsOptional() @IsString() @MaxLength(100) given?: string;
  @IsOptional() @IsString() @MaxLength(100) family?: string;
}

export class SubjectDto {
  @IsOptional() @IsNhsNumber() nhsNumber?: string;
  @IsOptional() @IsUpn() upn?: string;
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => LocalIdDto)
  localIds?: LocalIdDto[];
  @IsOptional() @ValidateNested() @Type(() => NameDto) name?: NameDto;
  @IsOptional()
  @IsDateString({ strict: true }, { message: 'birthDate must be a real date (YYYY-MM-DD)' })
  birthDate?: string;
  @IsOptional() @IsString() @MaxLength(10) postcode?: string;
}

export class BasisDto {
  @IsIn(LAWFUL_BASES) lawfulBasis!: string;
  @IsIn(REGIMES) regime!: string;
  @IsBoolean() specialCategory!: boolean;
  @ValidateIf((basis: BasisDto) => basis.specialCategory === true || basis.condition !== undefined)
  @IsString({ message: 'condition is required for special category data (e.g. dpa-2018-sch1-para18)' })
  @IsNotEmpty()
  condition?: string;
}

export class ConsentDto {
  @IsIn(CONSENT_STATUSES) status!: string;
  @ValidateIf((consent: ConsentDto) => consent.status !== 'given' || consent.reason !== undefined)
  @IsString({ message: 'reason is required whenever sharing goes ahead without consent' })
  @IsNotEmpty({ message: 'reason is required whenever sharing goes ahead without consent' })
  @MaxLength(1000)
  reason?: string;
}

export class AudienceDto {
  @IsIn(AGENCIES) agency!: string;
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  roles?: string[];
}

export class DecidedByDto {
  @IsString() @IsNotEmpty() @MaxLength(100) role!: string;
  @IsString() @IsNotEmpty() @MaxLength(200) organisation!: string;
  @IsOptional() @IsString() @MaxLength(200) name?: string;
}

export class SharingDto {
  @ValidateNested() @Type(() => BasisDto) basis!: BasisDto;
  @ValidateNested() @Type(() => ConsentDto) consent!: ConsentDto;
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(10) @IsIn(PURPOSES, { each: true }) purposes!: string[];
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => AudienceDto)
  audience!: AudienceDto[];
  @IsIn(SENSITIVITIES) sensitivity!: string;
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(50, { each: true })
  markers?: string[];
  @IsOptional() @IsISO8601({ strict: true }) until?: string;
  @ValidateNested() @Type(() => DecidedByDto) decidedBy!: DecidedByDto;
}

/**
 * The envelope an agency system posts, as the hub reads its CloudEvent (`data.child` as `subject`,
 * `data.sharing` as `sharing`, `data.record` as `data`); the record is validated by its type's own DTO.
 */
export class EnvelopeDto {
  @Equals('1.0') specversion!: string;
  @IsString()
  @Matches(/^[A-Za-z0-9._:/-]{1,200}$/, { message: 'id must be 1 to 200 of A-Z a-z 0-9 . _ : / -' })
  id!: string;
  @IsString() source!: string;
  @IsString() type!: string;
  @IsISO8601({ strict: true }, { message: 'time must be a real date and time (RFC 3339)' }) time!: string;
  @IsString() dataschema!: string;
  @IsOptional() @Equals('application/json') datacontenttype?: string;
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(200) reference?: string;
  @IsObject() @ValidateNested() @Type(() => SubjectDto) subject!: SubjectDto;
  @IsObject() @ValidateNested() @Type(() => SharingDto) sharing!: SharingDto;
  @IsObject() data!: Record<string, unknown>;
}

import { IsEmail, IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';

export const PHONE = /^[0-9 +()-]{6,20}$/;

/** A school by its DfE unique reference number (URN, 6 digits, from Get Information About Schools). */
export class SchoolDto {
  @Matches(/^\d{6}$/, { message: 'urn must be a 6-digit school URN' }) urn!: string;
  @IsString() @IsNotEmpty() @MaxLength(200) name!: string;
}

export class DslContactDto {
  @IsString() @IsNotEmpty() @MaxLength(100) name!: string;
  @Matches(PHONE, { message: 'phone must be a telephone number' }) phone!: string;
  @IsOptional() @IsEmail({}, { message: 'secureEmail must be an email address' }) secureEmail?: string;
}

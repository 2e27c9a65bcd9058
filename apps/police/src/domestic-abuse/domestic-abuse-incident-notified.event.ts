import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsEmail,
  IsIn,
  IsISO8601,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { notInFuture, type EventTypeDefinition } from '@jigsaw/ingest';

export const DOMESTIC_ABUSE_INCIDENT_NOTIFIED = 'police.domestic-abuse-incident-notified';

export class ForceDto {
  @IsString() @IsNotEmpty() @MaxLength(100) name!: string;
  @IsOptional() @IsString() @MaxLength(10) code?: string;
}

export class ContactDto {
  @IsString() @IsNotEmpty() @MaxLength(100) name!: string;
  @IsOptional() @IsString() @MaxLength(100) role?: string;
  @IsString() @Matches(/^[0-9 +()-]{6,20}$/, { message: 'phone must be a telephone number' }) phone!: string;
  @IsOptional() @IsEmail() email?: string;
}

/** Operation Encompass: what the school's key adult needs before the next school day. */
export class DomesticAbuseIncidentNotifiedData {
  @IsString() @IsNotEmpty() @MaxLength(50) incidentReference!: string;
  @IsISO8601({ strict: true }, { message: 'occurredAt must be a real date and time (RFC 3339)' })
  occurredAt!: string;
  @IsBoolean() childPresent!: boolean;
  @IsOptional() @IsBoolean() childInHousehold?: boolean;
  @ValidateNested() @Type(() => ForceDto) force!: ForceDto;
  @ValidateNested() @Type(() => ContactDto) contact!: ContactDto;
  @IsString() @IsNotEmpty() @MaxLength(500) summary!: string;
  @IsOptional() @IsString() @MaxLength(10_000) narrative?: string;
  @IsOptional() @IsIn(['standard', 'medium', 'high']) riskLevel?: string;
  /** The child's school (its 6-digit URN) where the force knows it: whom the notification is for. */
  @IsOptional() @Matches(/^\d{6}$/, { message: 'schoolUrn must be a 6-digit school URN' }) schoolUrn?: string;
}

export const domesticAbuseIncidentNotified: EventTypeDefinition<DomesticAbuseIncidentNotifiedData> = {
  type: DOMESTIC_ABUSE_INCIDENT_NOTIFIED,
  version: 1,
  dataDto: DomesticAbuseIncidentNotifiedData,
  rules: (envelope, { now }) => notInFuture('data.occurredAt', envelope.data.occurredAt, now),
};

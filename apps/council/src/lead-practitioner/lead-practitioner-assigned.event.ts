import { IsDateString, IsEmail, IsNotEmpty, IsString, Matches, MaxLength } from 'class-validator';
import { notInFuture, type EventTypeDefinition } from '@jigsaw/ingest';
import { PHONE } from '../episode.rules.js';

export const LEAD_PRACTITIONER_ASSIGNED = 'council.lead-practitioner-assigned';

/** The one person partners call about the child: the point of sharing it is that they can be reached. */
export class LeadPractitionerAssignedData {
  @IsDateString({ strict: true }, { message: 'assignedDate must be a real date (YYYY-MM-DD)' })
  assignedDate!: string;
  @IsString() @IsNotEmpty() @MaxLength(100) name!: string;
  @IsString() @IsNotEmpty() @MaxLength(100) role!: string;
  @IsString() @IsNotEmpty() @MaxLength(100) team!: string;
  @IsString() @Matches(PHONE, { message: 'phone must be a telephone number' }) phone!: string;
  @IsEmail({}, { message: 'secureEmail must be an email address' }) @MaxLength(200) secureEmail!: string;
}

export const leadPractitionerAssigned: EventTypeDefinition<LeadPractitionerAssignedData> = {
  type: LEAD_PRACTITIONER_ASSIGNED,
  version: 1,
  dataDto: LeadPractitionerAssignedData,
  rules: ({ data }, { now }) => notInFuture('data.assignedDate', data.assignedDate, now),
};

import { IsIn, IsISO8601, IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { notInFuture, type EventTypeDefinition } from '@jigsaw/ingest';
import { specialCategoryRequired } from '../special-category.rule.js';

export const PRACTITIONER_CONCERN_RAISED = 'health.practitioner-concern-raised';

export const CONCERN_ROLES = ['health-visitor', 'school-nurse', 'midwife', 'gp', 'clinician'] as const;
export const CONCERN_CATEGORIES = [
  'neglect',
  'physical-abuse',
  'sexual-abuse',
  'emotional-abuse',
  'domestic-abuse',
  'self-harm',
  'exploitation',
  'other',
] as const;

export class PractitionerConcernRaisedData {
  @IsISO8601({ strict: true }, { message: 'raisedAt must be a real date and time (RFC 3339)' })
  raisedAt!: string;
  @IsIn(CONCERN_ROLES) role!: string;
  @IsIn(CONCERN_CATEGORIES) category!: string;
  @IsString() @IsNotEmpty() @MaxLength(500) summary!: string;
}

export const practitionerConcernRaised: EventTypeDefinition<PractitionerConcernRaisedData> = {
  type: PRACTITIONER_CONCERN_RAISED,
  version: 1,
  dataDto: PractitionerConcernRaisedData,
  rules: (envelope, { now }) => [
    ...specialCategoryRequired(envelope),
    ...notInFuture('data.raisedAt', envelope.data.raisedAt, now),
  ],
};

import { PRACTITIONER_CONCERN_RAISED } from '@jigsaw/contracts';
import { notInFuture, type EventTypeDefinition } from '@jigsaw/ingest';
import { specialCategoryRequired } from '../special-category.rule.js';

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

export const practitionerConcernRaised: EventTypeDefinition<typeof PRACTITIONER_CONCERN_RAISED> = {
  type: PRACTITIONER_CONCERN_RAISED,
  version: 1,
  rules: (envelope, { now }) => [
    ...specialCategoryRequired(envelope),
    ...notInFuture('data.raisedAt', envelope.data.raisedAt, now),
  ],
};

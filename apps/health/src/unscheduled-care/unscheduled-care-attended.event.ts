import { UNSCHEDULED_CARE_ATTENDED } from '@jigsaw/contracts';
import { notInFuture, type EventTypeDefinition } from '@jigsaw/ingest';
import { specialCategoryRequired } from '../special-category.rule.js';

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

export const unscheduledCareAttended: EventTypeDefinition<typeof UNSCHEDULED_CARE_ATTENDED> = {
  type: UNSCHEDULED_CARE_ATTENDED,
  version: 1,
  rules: (envelope, { now }) => [
    ...specialCategoryRequired(envelope),
    ...notInFuture('data.arrivedAt', envelope.data.arrivedAt, now),
  ],
};

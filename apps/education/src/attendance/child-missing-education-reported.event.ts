import { CHILD_MISSING_EDUCATION_REPORTED } from '@jigsaw/contracts';
import type { FieldProblem } from '@jigsaw/errors';
import { notInFuture, type EventTypeDefinition } from '@jigsaw/ingest';

export const CME_REASONS = [
  'left-without-destination',
  'not-returned-after-holiday',
  'moved-away-unknown',
  'not-on-roll-anywhere',
  'other',
] as const;

export const childMissingEducationReported: EventTypeDefinition<typeof CHILD_MISSING_EDUCATION_REPORTED> = {
  type: CHILD_MISSING_EDUCATION_REPORTED,
  version: 1,
  rules: ({ data }, { now }) => {
    const problems: FieldProblem[] = notInFuture('data.reportedOn', data.reportedOn, now);
    if (data.lastAttendedOn && data.lastAttendedOn > data.reportedOn) {
      problems.push({ field: 'data.lastAttendedOn', reason: 'must not be after reportedOn' });
    }
    return problems;
  },
};

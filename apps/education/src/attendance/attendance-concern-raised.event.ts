import { ATTENDANCE_CONCERN_RAISED } from '@jigsaw/contracts';
import type { FieldProblem } from '@jigsaw/errors';
import { notInFuture, type EventTypeDefinition } from '@jigsaw/ingest';

export const attendanceConcernRaised: EventTypeDefinition<typeof ATTENDANCE_CONCERN_RAISED> = {
  type: ATTENDANCE_CONCERN_RAISED,
  version: 1,
  rules: ({ data }, { now }) => {
    const problems: FieldProblem[] = notInFuture('data.period.to', data.period.to, now);
    if (data.period.to < data.period.from) {
      problems.push({ field: 'data.period.to', reason: 'must not be before period.from' });
    }
    return problems;
  },
};

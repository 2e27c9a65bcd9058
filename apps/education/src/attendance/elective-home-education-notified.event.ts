import { ELECTIVE_HOME_EDUCATION_NOTIFIED } from '@jigsaw/contracts';
import { notInFuture, type EventTypeDefinition } from '@jigsaw/ingest';

export const electiveHomeEducationNotified: EventTypeDefinition<typeof ELECTIVE_HOME_EDUCATION_NOTIFIED> = {
  type: ELECTIVE_HOME_EDUCATION_NOTIFIED,
  version: 1,
  rules: ({ data }, { now }) => notInFuture('data.notifiedOn', data.notifiedOn, now),
};

import { notInFuture, type EventTypeDefinition } from '@jigsaw/ingest';

export const ELECTIVE_HOME_EDUCATION_NOTIFIED = 'education.elective-home-education-notified';

export const electiveHomeEducationNotified: EventTypeDefinition<typeof ELECTIVE_HOME_EDUCATION_NOTIFIED> = {
  type: ELECTIVE_HOME_EDUCATION_NOTIFIED,
  version: 1,
  rules: ({ data }, { now }) => notInFuture('data.notifiedOn', data.notifiedOn, now),
};

import { LEAD_PRACTITIONER_ASSIGNED } from '@jigsaw/contracts';
import { notInFuture, type EventTypeDefinition } from '@jigsaw/ingest';

export const leadPractitionerAssigned: EventTypeDefinition<typeof LEAD_PRACTITIONER_ASSIGNED> = {
  type: LEAD_PRACTITIONER_ASSIGNED,
  version: 1,
  rules: ({ data }, { now }) => notInFuture('data.assignedDate', data.assignedDate, now),
};

import { DOMESTIC_ABUSE_INCIDENT_NOTIFIED, type DataOf } from '@jigsaw/contracts';
import { notInFuture, type EventTypeDefinition } from '@jigsaw/ingest';

/**
 * Operation Encompass: what the school's key adult needs before the next school day. Its shape is
 * schemas/police/domestic-abuse-incident-notified/v1.json.
 */
export type DomesticAbuseIncidentNotifiedData = DataOf<typeof DOMESTIC_ABUSE_INCIDENT_NOTIFIED>;

export const domesticAbuseIncidentNotified: EventTypeDefinition<typeof DOMESTIC_ABUSE_INCIDENT_NOTIFIED> = {
  type: DOMESTIC_ABUSE_INCIDENT_NOTIFIED,
  version: 1,
  rules: (envelope, { now }) => notInFuture('data.occurredAt', envelope.data.occurredAt, now),
};

import type { AgencyCatalogue } from '@jigsaw/ingest';
import { domesticAbuseIncidentNotified } from './domestic-abuse/domestic-abuse-incident-notified.event.js';

export const policeCatalogue: AgencyCatalogue = {
  agency: 'police',
  types: [domesticAbuseIncidentNotified],
};

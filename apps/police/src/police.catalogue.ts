import type { AgencyCatalogue } from '@jigsaw/ingest';
import { domesticAbuseIncidentNotified } from './domestic-abuse/domestic-abuse-incident-notified.event.js';
import { exploitationConcernRaised } from './exploitation/exploitation-concern-raised.event.js';
import { missingEpisodeEnded } from './missing-episode/missing-episode-ended.event.js';
import { missingEpisodeStarted } from './missing-episode/missing-episode-started.event.js';
import { protectiveMarkerLifted, protectiveMarkerSet } from './protective-marker/protective-marker.events.js';

/** Control events (correct, retract, restrict, ...) are added for every agency by AgencyIngestModule. */
export const policeCatalogue: AgencyCatalogue = {
  agency: 'police',
  types: [
    domesticAbuseIncidentNotified,
    missingEpisodeStarted,
    missingEpisodeEnded,
    exploitationConcernRaised,
    protectiveMarkerSet,
    protectiveMarkerLifted,
  ],
};

import type { AgencyCatalogue } from '@jigsaw/ingest';
import { attendanceConcernRaised } from './attendance/attendance-concern-raised.event.js';
import { childMissingEducationReported } from './attendance/child-missing-education-reported.event.js';
import { electiveHomeEducationNotified } from './attendance/elective-home-education-notified.event.js';
import { permanentExclusionRecorded } from './exclusion/permanent-exclusion-recorded.event.js';
import { suspensionRecorded } from './exclusion/suspension-recorded.event.js';
import { keyAdultRegistered } from './pupil/key-adult-registered.event.js';
import { pupilOnRoll } from './pupil/pupil-on-roll.event.js';
import { safeguardingConcernRecorded } from './safeguarding-concern/safeguarding-concern-recorded.event.js';

/** Control events (correct, retract, restrict, ...) are added for every agency by AgencyIngestModule. */
export const educationCatalogue: AgencyCatalogue = {
  agency: 'education',
  types: [
    pupilOnRoll,
    keyAdultRegistered,
    safeguardingConcernRecorded,
    attendanceConcernRaised,
    suspensionRecorded,
    permanentExclusionRecorded,
    childMissingEducationReported,
    electiveHomeEducationNotified,
  ],
};

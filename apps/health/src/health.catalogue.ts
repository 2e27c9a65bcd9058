import type { AgencyCatalogue } from '@jigsaw/ingest';
import { mentalHealthReferralMade } from './mental-health/mental-health-referral-made.event.js';
import { practitionerConcernRaised } from './practitioner-concern/practitioner-concern-raised.event.js';
import { birthLinked, preBirthConcernRaised } from './pre-birth/pre-birth.events.js';
import { unscheduledCareAttended } from './unscheduled-care/unscheduled-care-attended.event.js';
import { wasNotBrought } from './was-not-brought/was-not-brought.event.js';

export const healthCatalogue: AgencyCatalogue = {
  agency: 'health',
  types: [
    unscheduledCareAttended,
    wasNotBrought,
    practitionerConcernRaised,
    preBirthConcernRaised,
    birthLinked,
    mentalHealthReferralMade,
  ],
};

import type { AgencyCatalogue } from '@jigsaw/ingest';
import { assessmentCompleted, assessmentStarted } from './assessment/assessment.events.js';
import {
  childInNeedPlanEnded,
  childInNeedPlanStarted,
} from './child-in-need-plan/child-in-need-plan.events.js';
import {
  childProtectionPlanEnded,
  childProtectionPlanStarted,
} from './child-protection-plan/child-protection-plan.events.js';
import {
  familyHelpEpisodeClosed,
  familyHelpEpisodeOpened,
} from './family-help/family-help-episode.events.js';
import { leadPractitionerAssigned } from './lead-practitioner/lead-practitioner-assigned.event.js';
import { lookedAfterEnded, lookedAfterStarted } from './looked-after/looked-after.events.js';
import { referralDecided, referralReceived } from './referral/referral.events.js';

export const councilCatalogue: AgencyCatalogue = {
  agency: 'council',
  types: [
    referralReceived,
    referralDecided,
    assessmentStarted,
    assessmentCompleted,
    childInNeedPlanStarted,
    childInNeedPlanEnded,
    childProtectionPlanStarted,
    childProtectionPlanEnded,
    lookedAfterStarted,
    lookedAfterEnded,
    familyHelpEpisodeOpened,
    familyHelpEpisodeClosed,
    leadPractitionerAssigned,
  ],
};

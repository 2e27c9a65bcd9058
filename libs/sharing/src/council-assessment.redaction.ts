import { allowFields, type FieldAllowList } from './field-allow-list.js';
import { registerRedaction } from './redaction.js';

export const ASSESSMENT_STARTED = 'council.assessment-started';
export const ASSESSMENT_COMPLETED = 'council.assessment-completed';

/**
 * Partners contribute to an assessment, so they see that it runs and how it ended. The factors (parental
 * mental health, substance misuse, domestic abuse...) are mostly about adults and special category:
 * only another council taking over the case gets them.
 */
export const ASSESSMENT_STARTED_FIELDS: FieldAllowList = {
  council: ['startDate', 'summary'],
  police: ['startDate'],
  health: ['startDate'],
  education: ['startDate'],
};

export const ASSESSMENT_COMPLETED_FIELDS: FieldAllowList = {
  council: ['startDate', 'endDate', 'outcome', 'factors', 'summary'],
  police: ['startDate', 'endDate', 'outcome'],
  health: ['startDate', 'endDate', 'outcome'],
  education: ['startDate', 'endDate', 'outcome'],
};

export const assessmentStartedRedaction = allowFields(ASSESSMENT_STARTED_FIELDS);
export const assessmentCompletedRedaction = allowFields(ASSESSMENT_COMPLETED_FIELDS);
registerRedaction(ASSESSMENT_STARTED, assessmentStartedRedaction);
registerRedaction(ASSESSMENT_COMPLETED, assessmentCompletedRedaction);

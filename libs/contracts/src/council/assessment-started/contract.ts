import type { Contract } from '../../contract.js';

export const ASSESSMENT_STARTED = 'council.assessment-started';

export const assessmentStarted = {
  type: ASSESSMENT_STARTED,
  source: 'council',
  schema: 'schemas/council/assessment-started/v1.json',
  /**
   * Partners contribute to an assessment, so they see that it runs and how it ended. The factors (parental
   * mental health, substance misuse, domestic abuse...) are mostly about adults and special category:
   * only another council taking over the case gets them.
   */
  audience: {
    council: ['startDate', 'summary'],
    police: ['startDate'],
    health: ['startDate'],
    education: ['startDate'],
  },
  personalData: ['summary'],
  kept: [],
  label: 'Assessment started',
  view: { at: ['startDate'], concern: false },
} satisfies Contract<typeof ASSESSMENT_STARTED>;

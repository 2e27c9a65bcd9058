import type { Contract } from '../../contract.js';

export const ASSESSMENT_COMPLETED = 'council.assessment-completed';

export const assessmentCompleted = {
  type: ASSESSMENT_COMPLETED,
  source: 'council',
  schema: 'schemas/council/assessment-completed/v1.json',
  /**
   * Partners contributed, so they learn how the assessment ended. The factors are mostly about adults and
   * special category (see assessment-started): only another council taking over the case gets them.
   */
  audience: {
    council: ['startDate', 'endDate', 'outcome', 'factors', 'summary'],
    police: ['startDate', 'endDate', 'outcome'],
    health: ['startDate', 'endDate', 'outcome'],
    education: ['startDate', 'endDate', 'outcome'],
  },
  personalData: ['summary'],
  kept: [],
  label: 'Assessment completed',
  view: { at: ['endDate'], concern: false },
} satisfies Contract<typeof ASSESSMENT_COMPLETED>;

import type { Contract } from '../../contract.js';

export const PRACTITIONER_CONCERN_RAISED = 'health.practitioner-concern-raised';

export const practitionerConcernRaised = {
  type: PRACTITIONER_CONCERN_RAISED,
  source: 'health',
  schema: 'schemas/health/practitioner-concern-raised/v1.json',
  /**
   * The council gets the whole concern: that is whom it is raised with. A school's safeguarding lead works
   * beside the school nurse, so learns that a concern was raised, by whom and of what kind, to talk to them,
   * not the clinical summary. Police learn the kind only, to recognise it when their own picture overlaps.
   */
  audience: {
    council: ['raisedAt', 'role', 'category', 'summary'],
    health: ['raisedAt', 'role', 'category', 'summary'],
    education: ['raisedAt', 'role', 'category'],
    police: ['raisedAt', 'category'],
  },
  personalData: ['summary'],
  kept: [],
  label: 'Health practitioner concern',
  view: { at: ['raisedAt'], concern: true },
} satisfies Contract<typeof PRACTITIONER_CONCERN_RAISED>;

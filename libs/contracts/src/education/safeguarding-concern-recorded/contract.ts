import type { Contract } from '../../contract.js';

export const SAFEGUARDING_CONCERN_RECORDED = 'education.safeguarding-concern-recorded';

export const safeguardingConcernRecorded = {
  type: SAFEGUARDING_CONCERN_RECORDED,
  source: 'education',
  schema: 'schemas/education/safeguarding-concern-recorded/v1.json',
  /**
   * Children's social care decides on referrals, so it sees the concern, what the school did and the role
   * of who recorded it (not their name). Police see the concern but not the school's internal actions;
   * health sees its category only, enough to ask. A receiving school gets the file as KCSIE requires on
   * transfer. The school's own label for the category stays with the school.
   */
  audience: {
    council: [
      'concernReference',
      'occurredAt',
      'category',
      'summary',
      'actions',
      'recordedBy.role',
      'school',
    ],
    police: ['occurredAt', 'category', 'summary', 'school'],
    health: ['occurredAt', 'category', 'school'],
    education: ['occurredAt', 'category', 'summary', 'actions', 'school'],
  },
  personalData: ['summary', 'actions', 'categoryLabel'],
  kept: ['school.name', 'concernReference', 'recordedBy.name', 'recordedBy.role'],
  label: 'School safeguarding concern',
  view: { at: ['occurredAt'], concern: true },
} satisfies Contract<typeof SAFEGUARDING_CONCERN_RECORDED>;

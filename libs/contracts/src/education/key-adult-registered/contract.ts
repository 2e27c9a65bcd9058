import type { Contract } from '../../contract.js';

export const KEY_ADULT_REGISTERED = 'education.key-adult-registered';

export const keyAdultRegistered = {
  type: KEY_ADULT_REGISTERED,
  source: 'education',
  schema: 'schemas/education/key-adult-registered/v1.json',
  /**
   * The key adult exists to be contacted: police for Operation Encompass, the council and health for
   * safeguarding. All see the contact details, and only them.
   */
  audience: {
    council: ['school', 'keyAdult'],
    police: ['school', 'keyAdult'],
    health: ['school', 'keyAdult'],
    education: ['school', 'keyAdult'],
  },
  personalData: [],
  kept: ['school.name', 'keyAdult.name'],
  label: 'Key adult registered',
  view: { at: ['from'], concern: false },
} satisfies Contract<typeof KEY_ADULT_REGISTERED>;

import type { Contract } from '../../contract.js';

export const PRE_BIRTH_CONCERN_RAISED = 'health.pre-birth-concern-raised';

export const preBirthConcernRaised = {
  type: PRE_BIRTH_CONCERN_RAISED,
  source: 'health',
  schema: 'schemas/health/pre-birth-concern-raised/v1.json',
  /**
   * A pre-birth concern is about the mother's health as much as the baby's: only the council (which holds
   * the pre-birth assessment) and health see it.
   */
  audience: {
    council: ['raisedAt', 'expectedDeliveryDate', 'role', 'summary'],
    health: ['raisedAt', 'expectedDeliveryDate', 'role', 'summary'],
  },
  personalData: ['summary'],
  kept: [],
  label: 'Pre-birth concern',
  view: { at: ['raisedAt'], concern: true },
} satisfies Contract<typeof PRE_BIRTH_CONCERN_RAISED>;

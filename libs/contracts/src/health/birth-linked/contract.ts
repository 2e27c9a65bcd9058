import type { Contract } from '../../contract.js';

export const BIRTH_LINKED = 'health.birth-linked';

export const birthLinked = {
  type: BIRTH_LINKED,
  source: 'health',
  schema: 'schemas/health/birth-linked/v1.json',
  /**
   * The birth link tells the council the baby is born and when; the pregnancy's local id means nothing
   * outside health, and the hub follows the link itself.
   */
  audience: {
    council: ['birthDate'],
    health: ['birthDate', 'unbornRef'],
  },
  // The pregnancy's local id is the mother's record.
  personalData: ['unbornRef'],
  kept: [],
  label: 'Birth linked to pre-birth records',
  view: { at: ['birthDate'], concern: false },
} satisfies Contract<typeof BIRTH_LINKED>;

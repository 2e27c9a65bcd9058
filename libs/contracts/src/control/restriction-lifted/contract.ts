import type { Contract } from '../../contract.js';

export const RESTRICTION_LIFTED = 'restriction-lifted';

export const restrictionLifted = {
  type: RESTRICTION_LIFTED,
  source: 'control',
  schema: 'schemas/control/restriction-lifted/v1.json',
  audience: null,
  personalData: ['reason'],
  kept: [],
  label: null,
  view: null,
} satisfies Contract<typeof RESTRICTION_LIFTED>;

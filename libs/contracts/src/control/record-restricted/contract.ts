import type { Contract } from '../../contract.js';

export const RECORD_RESTRICTED = 'record-restricted';

export const recordRestricted = {
  type: RECORD_RESTRICTED,
  source: 'control',
  schema: 'schemas/control/record-restricted/v1.json',
  audience: null,
  personalData: ['reason'],
  kept: [],
  label: null,
  view: null,
} satisfies Contract<typeof RECORD_RESTRICTED>;

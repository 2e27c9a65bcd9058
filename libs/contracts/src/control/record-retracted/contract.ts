import type { Contract } from '../../contract.js';

export const RECORD_RETRACTED = 'record-retracted';

export const recordRetracted = {
  type: RECORD_RETRACTED,
  source: 'control',
  schema: 'schemas/control/record-retracted/v1.json',
  audience: null,
  personalData: ['reason'],
  kept: [],
  label: null,
  view: null,
} satisfies Contract<typeof RECORD_RETRACTED>;

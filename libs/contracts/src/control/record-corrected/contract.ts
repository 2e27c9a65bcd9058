import type { Contract } from '../../contract.js';

export const RECORD_CORRECTED = 'record-corrected';

export const recordCorrected = {
  type: RECORD_CORRECTED,
  source: 'control',
  schema: 'schemas/control/record-corrected/v1.json',
  audience: null,
  personalData: ['reason'],
  // `corrections` is sealed field by field, as the fields it replaces are (see personalPathsOf).
  kept: ['corrections'],
  label: null,
  view: null,
} satisfies Contract<typeof RECORD_CORRECTED>;

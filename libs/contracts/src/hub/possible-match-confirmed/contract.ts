import type { Contract } from '../../contract.js';

export const POSSIBLE_MATCH_CONFIRMED = 'hub.possible-match-confirmed';

export const possibleMatchConfirmed = {
  type: POSSIBLE_MATCH_CONFIRMED,
  source: 'hub',
  schema: 'schemas/hub/possible-match-confirmed/v1.json',
  audience: null,
  personalData: [],
  kept: ['decidedBy.sub', 'decidedBy.role', 'reason'],
  label: null,
  view: null,
} satisfies Contract<typeof POSSIBLE_MATCH_CONFIRMED>;

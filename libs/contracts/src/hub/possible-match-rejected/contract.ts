import type { Contract } from '../../contract.js';

export const POSSIBLE_MATCH_REJECTED = 'hub.possible-match-rejected';

export const possibleMatchRejected = {
  type: POSSIBLE_MATCH_REJECTED,
  source: 'hub',
  schema: 'schemas/hub/possible-match-rejected/v1.json',
  audience: null,
  personalData: [],
  kept: ['decidedBy.sub', 'decidedBy.role', 'reason'],
  label: null,
  view: null,
} satisfies Contract<typeof POSSIBLE_MATCH_REJECTED>;

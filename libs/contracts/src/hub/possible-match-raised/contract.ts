import type { Contract } from '../../contract.js';

export const POSSIBLE_MATCH_RAISED = 'hub.possible-match-raised';

export const possibleMatchRaised = {
  type: POSSIBLE_MATCH_RAISED,
  source: 'hub',
  schema: 'schemas/hub/possible-match-raised/v1.json',
  audience: null,
  personalData: [],
  kept: [],
  label: null,
  view: null,
} satisfies Contract<typeof POSSIBLE_MATCH_RAISED>;

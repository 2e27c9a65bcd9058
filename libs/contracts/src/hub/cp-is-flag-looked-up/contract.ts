import type { Contract } from '../../contract.js';

export const CP_IS_FLAG_LOOKED_UP = 'hub.cp-is-flag-looked-up';

export const cpIsFlagLookedUp = {
  type: CP_IS_FLAG_LOOKED_UP,
  source: 'hub',
  schema: 'schemas/hub/cp-is-flag-looked-up/v1.json',
  audience: null,
  personalData: [],
  // The child is its hub child id and the records their keys; what it adds is whom the council's
  // notification tells to call, the team its plan names.
  kept: ['careStatuses.contact.team'],
  label: null,
  view: null,
} satisfies Contract<typeof CP_IS_FLAG_LOOKED_UP>;

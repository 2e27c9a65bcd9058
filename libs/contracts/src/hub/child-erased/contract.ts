import type { Contract } from '../../contract.js';

export const CHILD_ERASED = 'hub.child-erased';

export const childErased = {
  type: CHILD_ERASED,
  source: 'hub',
  schema: 'schemas/hub/child-erased/v1.json',
  audience: null,
  personalData: [],
  kept: ['erasedBy.sub', 'erasedBy.role', 'erasedBy.organisation', 'reason'],
  label: null,
  view: null,
} satisfies Contract<typeof CHILD_ERASED>;

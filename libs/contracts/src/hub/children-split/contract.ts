import type { Contract } from '../../contract.js';

export const CHILDREN_SPLIT = 'hub.children-split';

export const childrenSplit = {
  type: CHILDREN_SPLIT,
  source: 'hub',
  schema: 'schemas/hub/children-split/v1.json',
  audience: null,
  personalData: [],
  kept: ['decidedBy.sub', 'decidedBy.role', 'reason'],
  label: null,
  view: null,
} satisfies Contract<typeof CHILDREN_SPLIT>;

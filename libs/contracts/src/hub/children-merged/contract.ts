import type { Contract } from '../../contract.js';

export const CHILDREN_MERGED = 'hub.children-merged';

export const childrenMerged = {
  type: CHILDREN_MERGED,
  source: 'hub',
  schema: 'schemas/hub/children-merged/v1.json',
  audience: null,
  personalData: [],
  kept: ['decidedBy.sub', 'decidedBy.role', 'reason'],
  label: null,
  view: null,
} satisfies Contract<typeof CHILDREN_MERGED>;

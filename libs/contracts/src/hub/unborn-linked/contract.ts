import type { Contract } from '../../contract.js';

export const UNBORN_LINKED = 'hub.unborn-linked';

export const unbornLinked = {
  type: UNBORN_LINKED,
  source: 'hub',
  schema: 'schemas/hub/unborn-linked/v1.json',
  audience: null,
  personalData: [],
  kept: ['birthEvent', 'decidedBy.sub', 'decidedBy.role', 'reason'],
  label: null,
  view: null,
} satisfies Contract<typeof UNBORN_LINKED>;

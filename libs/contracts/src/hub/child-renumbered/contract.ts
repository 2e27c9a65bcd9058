import type { Contract } from '../../contract.js';

export const CHILD_RENUMBERED = 'hub.child-renumbered';

export const childRenumbered = {
  type: CHILD_RENUMBERED,
  source: 'hub',
  schema: 'schemas/hub/child-renumbered/v1.json',
  audience: null,
  personalData: [],
  // Identity decisions name children only by hub child id; who decided and why is the record of the link.
  kept: ['decidedBy.sub', 'decidedBy.role', 'reason'],
  label: null,
  view: null,
} satisfies Contract<typeof CHILD_RENUMBERED>;

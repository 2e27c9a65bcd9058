import type { Contract } from '../../contract.js';

export const ACCESS_CLAIMED = 'hub.access-claimed';

export const accessClaimed = {
  type: ACCESS_CLAIMED,
  source: 'hub',
  schema: 'schemas/hub/access-claimed/v1.json',
  audience: null,
  personalData: [],
  // A self-claim's reason is refused when it holds an NHS number or UPN; it is the claim's own account.
  kept: ['claimant.sub', 'claimant.role', 'reason'],
  label: null,
  view: null,
} satisfies Contract<typeof ACCESS_CLAIMED>;

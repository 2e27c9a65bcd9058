import type { Contract } from '../../contract.js';

export const PROTECTIVE_MARKER_LIFTED = 'police.protective-marker-lifted';

export const protectiveMarkerLifted = {
  type: PROTECTIVE_MARKER_LIFTED,
  source: 'police',
  schema: 'schemas/police/protective-marker-lifted/v1.json',
  audience: null,
  personalData: ['reason'],
  kept: [],
  label: null,
  view: null,
} satisfies Contract<typeof PROTECTIVE_MARKER_LIFTED>;

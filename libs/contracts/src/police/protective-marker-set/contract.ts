import type { Contract } from '../../contract.js';

export const PROTECTIVE_MARKER_SET = 'police.protective-marker-set';

export const protectiveMarkerSet = {
  type: PROTECTIVE_MARKER_SET,
  source: 'police',
  schema: 'schemas/police/protective-marker-set/v1.json',
  audience: null,
  personalData: ['reason'],
  kept: [],
  label: null,
  view: null,
} satisfies Contract<typeof PROTECTIVE_MARKER_SET>;

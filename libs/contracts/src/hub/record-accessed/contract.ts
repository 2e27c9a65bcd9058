import type { Contract } from '../../contract.js';

export const RECORD_ACCESSED = 'hub.record-accessed';

export const recordAccessed = {
  type: RECORD_ACCESSED,
  source: 'hub',
  schema: 'schemas/hub/record-accessed/v1.json',
  audience: null,
  personalData: [],
  kept: ['viewer.sub', 'viewer.role', 'shown.event', 'asKnownAt.viewer.role'],
  label: null,
  view: null,
} satisfies Contract<typeof RECORD_ACCESSED>;

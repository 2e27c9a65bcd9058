import type { Contract } from '../../contract.js';

export const REVIEW_OPENED = 'hub.review-opened';

export const reviewOpened = {
  type: REVIEW_OPENED,
  source: 'hub',
  schema: 'schemas/hub/review-opened/v1.json',
  audience: null,
  personalData: [],
  kept: ['openedBy.sub', 'openedBy.role'],
  label: null,
  view: null,
} satisfies Contract<typeof REVIEW_OPENED>;

import type { Contract } from '../../contract.js';

export const REVIEW_CLOSED = 'hub.review-closed';

export const reviewClosed = {
  type: REVIEW_CLOSED,
  source: 'hub',
  schema: 'schemas/hub/review-closed/v1.json',
  audience: null,
  personalData: [],
  kept: ['closedBy.sub', 'closedBy.role'],
  label: null,
  view: null,
} satisfies Contract<typeof REVIEW_CLOSED>;

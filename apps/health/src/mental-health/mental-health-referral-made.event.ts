import { MENTAL_HEALTH_REFERRAL_MADE } from '@jigsaw/contracts';
import { notInFuture, type EventTypeDefinition } from '@jigsaw/ingest';
import { specialCategoryRequired } from '../special-category.rule.js';

export const mentalHealthReferralMade: EventTypeDefinition<typeof MENTAL_HEALTH_REFERRAL_MADE> = {
  type: MENTAL_HEALTH_REFERRAL_MADE,
  version: 1,
  rules: (envelope, { now }) => [
    ...specialCategoryRequired(envelope),
    ...notInFuture('data.referredAt', envelope.data.referredAt, now),
  ],
};

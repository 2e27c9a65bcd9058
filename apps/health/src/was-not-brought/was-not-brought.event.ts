import { WAS_NOT_BROUGHT } from '@jigsaw/contracts';
import { notInFuture, type EventTypeDefinition } from '@jigsaw/ingest';
import { specialCategoryRequired } from '../special-category.rule.js';

export const wasNotBrought: EventTypeDefinition<typeof WAS_NOT_BROUGHT> = {
  type: WAS_NOT_BROUGHT,
  version: 1,
  rules: (envelope, { now }) => [
    ...specialCategoryRequired(envelope),
    ...notInFuture('data.appointmentAt', envelope.data.appointmentAt, now),
  ],
};

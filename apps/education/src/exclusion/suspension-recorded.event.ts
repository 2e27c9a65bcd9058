import { SUSPENSION_RECORDED } from '@jigsaw/contracts';
import type { EventTypeDefinition } from '@jigsaw/ingest';

export const suspensionRecorded: EventTypeDefinition<typeof SUSPENSION_RECORDED> = {
  type: SUSPENSION_RECORDED,
  version: 1,
  rules: ({ data }) =>
    Number.isInteger(data.days * 2)
      ? []
      : [{ field: 'data.days', reason: 'must be a whole number of half days' }],
};

import { PERMANENT_EXCLUSION_RECORDED } from '@jigsaw/contracts';
import type { EventTypeDefinition } from '@jigsaw/ingest';

export const permanentExclusionRecorded: EventTypeDefinition<typeof PERMANENT_EXCLUSION_RECORDED> = {
  type: PERMANENT_EXCLUSION_RECORDED,
  version: 1,
};

import type { EventTypeDefinition } from '@jigsaw/ingest';

export const PERMANENT_EXCLUSION_RECORDED = 'education.permanent-exclusion-recorded';

export const permanentExclusionRecorded: EventTypeDefinition<typeof PERMANENT_EXCLUSION_RECORDED> = {
  type: PERMANENT_EXCLUSION_RECORDED,
  version: 1,
};

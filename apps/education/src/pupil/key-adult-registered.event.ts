import { KEY_ADULT_REGISTERED } from '@jigsaw/contracts';
import type { EventTypeDefinition } from '@jigsaw/ingest';

export const KEY_ADULT_ROLES = [
  'designated-safeguarding-lead',
  'deputy-designated-safeguarding-lead',
  'headteacher',
] as const;

export const keyAdultRegistered: EventTypeDefinition<typeof KEY_ADULT_REGISTERED> = {
  type: KEY_ADULT_REGISTERED,
  version: 1,
};

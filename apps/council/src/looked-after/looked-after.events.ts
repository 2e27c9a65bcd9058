import { LOOKED_AFTER_ENDED, LOOKED_AFTER_STARTED } from '@jigsaw/contracts';
import type { EventTypeDefinition } from '@jigsaw/ingest';
import { episodeEndRules, episodeStartRules } from '../episode.rules.js';

/**
 * Legal status, as in the SSDA903 return. It says who holds parental responsibility, which a school or
 * clinician needs to know before asking anyone to consent.
 */
export const LEGAL_STATUSES = [
  'C1',
  'C2',
  'D1',
  'E1',
  'J1',
  'J2',
  'J3',
  'L1',
  'L2',
  'L3',
  'V2',
  'V3',
  'V4',
] as const;

const kind = { kind: 'period of care' };
const started = episodeStartRules(LOOKED_AFTER_STARTED, LOOKED_AFTER_ENDED, { ...kind, exclusive: true });
const ended = episodeEndRules(LOOKED_AFTER_STARTED, LOOKED_AFTER_ENDED, kind);

export const lookedAfterStarted: EventTypeDefinition<typeof LOOKED_AFTER_STARTED> = {
  type: LOOKED_AFTER_STARTED,
  version: 1,
  rules: ({ data }, context) => started(data, context),
};

export const lookedAfterEnded: EventTypeDefinition<typeof LOOKED_AFTER_ENDED> = {
  type: LOOKED_AFTER_ENDED,
  version: 1,
  rules: ({ data }, context) => ended(data, context),
};

import { PUPIL_ON_ROLL } from '@jigsaw/contracts';
import type { EventTypeDefinition } from '@jigsaw/ingest';

/** National curriculum year groups as the school census codes them. */
export const YEAR_GROUPS = ['N1', 'N2', 'R', ...Array.from({ length: 14 }, (_, i) => String(i + 1))] as const;

export const pupilOnRoll: EventTypeDefinition<typeof PUPIL_ON_ROLL> = {
  type: PUPIL_ON_ROLL,
  version: 1,
  rules: ({ subject }) =>
    subject.upn
      ? []
      : [{ field: 'subject.upn', reason: 'is required: pupil-on-roll links a UPN to a school' }],
};

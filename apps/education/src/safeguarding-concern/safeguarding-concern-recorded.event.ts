import { SAFEGUARDING_CONCERN_RECORDED, type DataOf } from '@jigsaw/contracts';
import { notInFuture, type EventTypeDefinition } from '@jigsaw/ingest';

/** The categories Keeping Children Safe in Education names; schools' own labels map onto them. */
export const CONCERN_CATEGORIES = [
  'physical-abuse',
  'emotional-abuse',
  'sexual-abuse',
  'neglect',
  'domestic-abuse',
  'child-on-child-abuse',
  'online-safety',
  'mental-health',
  'self-harm',
  'criminal-exploitation',
  'sexual-exploitation',
  'radicalisation',
  'fgm',
  'missing-education',
  'attendance',
  'behaviour',
  'other',
] as const;
export type ConcernCategory = (typeof CONCERN_CATEGORIES)[number];

/** Its shape is schemas/education/safeguarding-concern-recorded/v1.json. */
export type SafeguardingConcernRecordedData = DataOf<typeof SAFEGUARDING_CONCERN_RECORDED>;

export const safeguardingConcernRecorded: EventTypeDefinition<typeof SAFEGUARDING_CONCERN_RECORDED> = {
  type: SAFEGUARDING_CONCERN_RECORDED,
  version: 1,
  rules: ({ data }, { now }) => notInFuture('data.occurredAt', data.occurredAt, now),
};

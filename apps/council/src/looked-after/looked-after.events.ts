import { IsDateString, IsIn, IsOptional, Matches } from 'class-validator';
import type { EventTypeDefinition } from '@jigsaw/ingest';
import { episodeEndRules, episodeStartRules } from '../episode.rules.js';

export const LOOKED_AFTER_STARTED = 'council.looked-after-started';
export const LOOKED_AFTER_ENDED = 'council.looked-after-ended';

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

export class LookedAfterStartedData {
  @IsDateString({ strict: true }, { message: 'startDate must be a real date (YYYY-MM-DD)' })
  startDate!: string;
  @IsIn(LEGAL_STATUSES) legalStatus!: string;
}

export class LookedAfterEndedData {
  @IsDateString({ strict: true }, { message: 'startDate must be a real date (YYYY-MM-DD)' })
  startDate!: string;
  @IsDateString({ strict: true }, { message: 'endDate must be a real date (YYYY-MM-DD)' }) endDate!: string;
  /** Reason episode ceased, as in the SSDA903 return (e.g. E11, E13, E4A, X1). */
  @IsOptional()
  @Matches(/^(E[0-9]{1,2}[A-Z]?|X1)$/, {
    message: 'reasonCode must be an SSDA903 reason episode ceased code',
  })
  reasonCode?: string;
}

const kind = { kind: 'period of care' };
const started = episodeStartRules(LOOKED_AFTER_STARTED, LOOKED_AFTER_ENDED, { ...kind, exclusive: true });
const ended = episodeEndRules(LOOKED_AFTER_STARTED, LOOKED_AFTER_ENDED, kind);

export const lookedAfterStarted: EventTypeDefinition<LookedAfterStartedData> = {
  type: LOOKED_AFTER_STARTED,
  version: 1,
  dataDto: LookedAfterStartedData,
  rules: ({ data }, context) => started(data, context),
};

export const lookedAfterEnded: EventTypeDefinition<LookedAfterEndedData> = {
  type: LOOKED_AFTER_ENDED,
  version: 1,
  dataDto: LookedAfterEndedData,
  rules: ({ data }, context) => ended(data, context),
};

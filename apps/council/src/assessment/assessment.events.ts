import {
  ArrayMaxSize,
  IsArray,
  IsDateString,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
} from 'class-validator';
import type { EventTypeDefinition } from '@jigsaw/ingest';
import { episodeEndRules, episodeStartRules } from '../episode.rules.js';

export const ASSESSMENT_STARTED = 'council.assessment-started';
export const ASSESSMENT_COMPLETED = 'council.assessment-completed';

export const ASSESSMENT_OUTCOMES = [
  'no-further-action',
  'early-help',
  'child-in-need-plan',
  'section-47',
  'looked-after',
] as const;

export class AssessmentStartedData {
  @IsDateString({ strict: true }, { message: 'startDate must be a real date (YYYY-MM-DD)' })
  startDate!: string;
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(500) summary?: string;
}

export class AssessmentCompletedData {
  @IsDateString({ strict: true }, { message: 'startDate must be a real date (YYYY-MM-DD)' })
  startDate!: string;
  @IsDateString({ strict: true }, { message: 'endDate must be a real date (YYYY-MM-DD)' }) endDate!: string;
  @IsIn(ASSESSMENT_OUTCOMES) outcome!: string;
  /** Factors identified at the end of assessment, coded as in the CIN census (e.g. 2A, 3A, 21). */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(40)
  @Matches(/^[0-9]{1,2}[A-Z]?$/, {
    each: true,
    message: 'factors must be CIN census assessment factor codes',
  })
  factors?: string[];
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(500) summary?: string;
}

const started = episodeStartRules(ASSESSMENT_STARTED, ASSESSMENT_COMPLETED, {
  exclusive: false,
  kind: 'assessment',
});
const completed = episodeEndRules(ASSESSMENT_STARTED, ASSESSMENT_COMPLETED, { kind: 'assessment' });

export const assessmentStarted: EventTypeDefinition<AssessmentStartedData> = {
  type: ASSESSMENT_STARTED,
  version: 1,
  dataDto: AssessmentStartedData,
  rules: ({ data }, context) => started(data, context),
};

export const assessmentCompleted: EventTypeDefinition<AssessmentCompletedData> = {
  type: ASSESSMENT_COMPLETED,
  version: 1,
  dataDto: AssessmentCompletedData,
  rules: ({ data }, context) => completed(data, context),
};

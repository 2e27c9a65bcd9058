import { Type } from 'class-transformer';
import {
  IsDateString,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import type { EventTypeDefinition } from '@jigsaw/ingest';
import { episodeEndRules, episodeStartRules, PHONE } from '../episode.rules.js';

export const CHILD_PROTECTION_PLAN_STARTED = 'council.child-protection-plan-started';
export const CHILD_PROTECTION_PLAN_ENDED = 'council.child-protection-plan-ended';

/** Category of abuse, as in the CIN census: neglect, physical, sexual, emotional, multiple. */
export const CP_CATEGORIES = ['NEG', 'PHY', 'SAB', 'EMO', 'MUL'] as const;

/** Whom a clinician or school calls about the plan, day and night (CP-IS shows these numbers). */
export class CouncilContactDto {
  @IsString() @IsNotEmpty() @MaxLength(100) team!: string;
  @IsString() @Matches(PHONE, { message: 'phone must be a telephone number' }) phone!: string;
  @IsString()
  @Matches(PHONE, { message: 'outOfHoursPhone must be a telephone number' })
  outOfHoursPhone!: string;
}

export class ChildProtectionPlanStartedData {
  @IsDateString({ strict: true }, { message: 'startDate must be a real date (YYYY-MM-DD)' })
  startDate!: string;
  @IsIn(CP_CATEGORIES) category!: string;
  @ValidateNested() @Type(() => CouncilContactDto) contact!: CouncilContactDto;
}

export class ChildProtectionPlanEndedData {
  @IsDateString({ strict: true }, { message: 'startDate must be a real date (YYYY-MM-DD)' })
  startDate!: string;
  @IsDateString({ strict: true }, { message: 'endDate must be a real date (YYYY-MM-DD)' }) endDate!: string;
  @IsString() @IsNotEmpty() @MaxLength(200) reason!: string;
  /** The category when the plan ended, which may differ from the one it started with. */
  @IsOptional() @IsIn(CP_CATEGORIES) latestCategory?: string;
}

const kind = { kind: 'child protection plan' };
const started = episodeStartRules(CHILD_PROTECTION_PLAN_STARTED, CHILD_PROTECTION_PLAN_ENDED, {
  ...kind,
  exclusive: true,
});
const ended = episodeEndRules(CHILD_PROTECTION_PLAN_STARTED, CHILD_PROTECTION_PLAN_ENDED, kind);

export const childProtectionPlanStarted: EventTypeDefinition<ChildProtectionPlanStartedData> = {
  type: CHILD_PROTECTION_PLAN_STARTED,
  version: 1,
  dataDto: ChildProtectionPlanStartedData,
  rules: ({ data }, context) => started(data, context),
};

export const childProtectionPlanEnded: EventTypeDefinition<ChildProtectionPlanEndedData> = {
  type: CHILD_PROTECTION_PLAN_ENDED,
  version: 1,
  dataDto: ChildProtectionPlanEndedData,
  rules: ({ data }, context) => ended(data, context),
};

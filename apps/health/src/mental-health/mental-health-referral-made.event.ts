import { IsIn, IsISO8601, IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { notInFuture, type EventTypeDefinition } from '@jigsaw/ingest';
import { specialCategoryRequired } from '../special-category.rule.js';

export const MENTAL_HEALTH_REFERRAL_MADE = 'health.mental-health-referral-made';

export class MentalHealthReferralMadeData {
  @IsISO8601({ strict: true }, { message: 'referredAt must be a real date and time (RFC 3339)' })
  referredAt!: string;
  @IsString() @IsNotEmpty() @MaxLength(200) service!: string;
  @IsIn(['routine', 'urgent', 'emergency']) urgency!: string;
  @IsString() @IsNotEmpty() @MaxLength(500) summary!: string;
}

export const mentalHealthReferralMade: EventTypeDefinition<MentalHealthReferralMadeData> = {
  type: MENTAL_HEALTH_REFERRAL_MADE,
  version: 1,
  dataDto: MentalHealthReferralMadeData,
  rules: (envelope, { now }) => [
    ...specialCategoryRequired(envelope),
    ...notInFuture('data.referredAt', envelope.data.referredAt, now),
  ],
};

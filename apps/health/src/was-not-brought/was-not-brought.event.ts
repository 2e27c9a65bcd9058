import { IsISO8601, IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { notInFuture, type EventTypeDefinition } from '@jigsaw/ingest';
import { specialCategoryRequired } from '../special-category.rule.js';

export const WAS_NOT_BROUGHT = 'health.was-not-brought';

/** "Was not brought", not "did not attend": a child depends on an adult to get there. */
export class WasNotBroughtData {
  @IsISO8601({ strict: true }, { message: 'appointmentAt must be a real date and time (RFC 3339)' })
  appointmentAt!: string;
  @IsString() @IsNotEmpty() @MaxLength(100) appointmentType!: string;
  @IsString() @IsNotEmpty() @MaxLength(200) service!: string;
}

export const wasNotBrought: EventTypeDefinition<WasNotBroughtData> = {
  type: WAS_NOT_BROUGHT,
  version: 1,
  dataDto: WasNotBroughtData,
  rules: (envelope, { now }) => [
    ...specialCategoryRequired(envelope),
    ...notInFuture('data.appointmentAt', envelope.data.appointmentAt, now),
  ],
};

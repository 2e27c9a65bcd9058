import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { DOMESTIC_ABUSE_INCIDENT_NOTIFIED } from '@jigsaw/contracts';
import { AGENCIES, PURPOSES, type Agency, type Purpose } from '@jigsaw/envelope';
import { ErrorCode, JigsawError } from '@jigsaw/errors';

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 200;

const EVENT_TYPE = /^(council|police|health|education)\.[a-z][a-z0-9-]{0,99}$/;
const DATE_OR_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2}))?$/;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** `a,b` and `x=a&x=b` both give `[a, b]`. */
const listOf = ({ value }: { value: unknown }): unknown =>
  value === undefined
    ? undefined
    : [value]
        .flat()
        .flatMap((item) => (typeof item === 'string' ? item.split(',').map((s) => s.trim()) : [item]));

/** The chronology's query string, validated by the global ValidationPipe (unknown parameters are refused). */
export class ChronologyQueryDto {
  @ApiProperty({
    enum: PURPOSES,
    example: 'safeguarding',
    description: 'Why you are reading; your token must grant it.',
  })
  @IsIn(PURPOSES)
  purpose!: Purpose;

  @ApiPropertyOptional({
    description:
      'The `nextCursor` of the previous page, as given: opaque, and good only for the same child, viewer and filters.',
    example: 'q1mC0m6tJ2yS8x3fXb1c9kR0uQ5aVzLw7nT4pE2dHgY6oI8jF3sK1lA',
  })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  cursor?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_LIMIT, default: DEFAULT_LIMIT, example: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_LIMIT)
  limit?: number;

  @ApiPropertyOptional({
    description: 'Only entries from these agencies: comma separated, or the parameter repeated.',
    enum: AGENCIES,
    isArray: true,
    example: ['police', 'education'],
  })
  @IsOptional()
  @Transform(listOf)
  @IsIn(AGENCIES, { each: true })
  agency?: Agency[];

  @ApiPropertyOptional({
    description: 'Only entries of these event types: comma separated, or the parameter repeated.',
    type: [String],
    example: [DOMESTIC_ABUSE_INCIDENT_NOTIFIED],
  })
  @IsOptional()
  @Transform(listOf)
  @Matches(EVENT_TYPE, {
    each: true,
    message: 'type must be event types such as police.missing-episode-started',
  })
  type?: string[];

  @ApiPropertyOptional({
    description: 'Only entries that happened at or after this date (start of day, UTC) or date and time.',
    example: '2026-01-01',
  })
  @IsOptional()
  @Matches(DATE_OR_TIME, { message: 'from must be a date (YYYY-MM-DD) or a date and time (RFC 3339)' })
  @IsISO8601({ strict: true }, { message: 'from must be a real date' })
  from?: string;

  @ApiPropertyOptional({
    description: 'Only entries that happened on or before this date (the whole day, UTC) or date and time.',
    example: '2026-11-30',
  })
  @IsOptional()
  @Matches(DATE_OR_TIME, { message: 'to must be a date (YYYY-MM-DD) or a date and time (RFC 3339)' })
  @IsISO8601({ strict: true }, { message: 'to must be a real date' })
  to?: string;
}

/** A position in the chronology's order: after the entry that occurred `at` (microseconds), with this event key. */
export interface ChronologyCursor {
  at: string;
  key: string;
}

export interface ChronologyPageRequest {
  limit: number;
  after?: ChronologyCursor;
  agencies?: Agency[];
  types?: string[];
  /** Occurred at or after: an RFC 3339 time with its zone. */
  from?: string;
  /** Occurred before (or, when `inclusive`, at) this RFC 3339 time with its zone. */
  to?: { at: string; inclusive: boolean };
}

const DAY_MS = 24 * 3600_000;

/**
 * The page a validated query asks for, without its position (the cursor is opened against the child and
 * viewer it was issued for, see ChronologyCursors); refuses a range that ends before it starts.
 */
export function pageRequestOf(query: ChronologyQueryDto): ChronologyPageRequest {
  // A date alone is a whole day in UTC, never the database session's zone.
  const from =
    query.from === undefined
      ? undefined
      : DATE_ONLY.test(query.from)
        ? `${query.from}T00:00:00Z`
        : query.from;
  const to =
    query.to === undefined
      ? undefined
      : DATE_ONLY.test(query.to)
        ? { at: new Date(Date.parse(query.to) + DAY_MS).toISOString(), inclusive: false }
        : { at: query.to, inclusive: true };
  const gap = from && to ? Date.parse(to.at) - Date.parse(from) : undefined;
  if (gap !== undefined && (gap < 0 || (gap === 0 && !to!.inclusive))) {
    throw new JigsawError(ErrorCode.ValidationFailed, 'invalid input: to', [
      { field: 'to', reason: 'must not be before from' },
    ]);
  }
  return {
    limit: query.limit ?? DEFAULT_LIMIT,
    ...(query.agency ? { agencies: [...new Set(query.agency)] } : {}),
    ...(query.type ? { types: [...new Set(query.type)] } : {}),
    ...(from ? { from } : {}),
    ...(to ? { to } : {}),
  };
}

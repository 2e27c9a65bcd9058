/** A child's record: nobody older than this is a child for the hub, so an older birth date is a typo. */
export const MAX_CHILD_AGE_YEARS = 25;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The calendar date (UTC) of an instant, as YYYY-MM-DD. */
const dayOf = (instant: Date): string => instant.toISOString().slice(0, 10);

/**
 * Why a birth date cannot be a child's, or undefined when it can: one rule for the events API, every
 * adapter and every field that holds a birth date. A real calendar date (YYYY-MM-DD), not after today,
 * and no more than `maxAgeYears` ago.
 */
export function birthDateProblem(
  value: string,
  now: Date,
  maxAgeYears: number = MAX_CHILD_AGE_YEARS,
): string | undefined {
  const parts = ISO_DATE.exec(value);
  const [year, month, day] = parts ? [Number(parts[1]), Number(parts[2]), Number(parts[3])] : [0, 0, 0];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (!parts || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    return 'must be a real calendar date (YYYY-MM-DD)';
  }
  if (value > dayOf(now)) return 'must not be in the future';
  const oldest = new Date(now);
  oldest.setUTCFullYear(oldest.getUTCFullYear() - maxAgeYears);
  if (value < dayOf(oldest)) return `must be within the last ${maxAgeYears} years for a child's record`;
  return undefined;
}

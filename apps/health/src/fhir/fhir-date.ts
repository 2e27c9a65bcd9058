/**
 * FHIR R4 `date` and `dateTime` at every precision they allow: `YYYY`, `YYYY-MM`, `YYYY-MM-DD`, or a date and
 * time with a zone (seconds and fractions optional here, as integration engines send them). A date without
 * a time is the start of that year, month or day in England (Europe/London).
 */
const FHIR_DATE_TIME =
  /^(\d{4})(?:-(0[1-9]|1[0-2])(?:-(0[1-9]|[12]\d|3[01])(T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2}))?)?)?$/;

const LONDON_OFFSET = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  timeZoneName: 'longOffset',
});

/** Minutes London is ahead of UTC at that instant (0 or 60). */
function londonOffsetMinutes(at: Date): number {
  const name = LONDON_OFFSET.formatToParts(at).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const match = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  return match ? (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3])) : 0;
}

/**
 * The instant a FHIR date or dateTime starts, or undefined when it is not one. A date and time is kept as
 * sent, so a Bundle sent again maps to the very same event.
 */
export function fhirInstant(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const match = FHIR_DATE_TIME.exec(value);
  if (!match) return undefined;
  const [, year, month = '01', day = '01', time] = match;
  if (time) {
    return Number.isNaN(Date.parse(value)) ? undefined : value;
  }
  const utcMidnight = Date.UTC(Number(year), Number(month) - 1, Number(day));
  // A day that does not exist (2026-02-30) rolls over in Date.UTC: refuse it.
  if (new Date(utcMidnight).getUTCDate() !== Number(day)) return undefined;
  // Clocks change at 01:00 UTC, so London's midnight is never ambiguous.
  return new Date(utcMidnight - londonOffsetMinutes(new Date(utcMidnight)) * 60_000).toISOString();
}

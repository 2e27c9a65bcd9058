/** School days and times are English school days and times: Europe/London, GMT in winter, BST in summer. */
export const SCHOOL_TIME_ZONE = 'Europe/London';

/** Operation Encompass: the key adult must know before the school day starts. */
export const SCHOOL_DAY_STARTS = '08:30';

const DAY_MS = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

const londonParts = new Intl.DateTimeFormat('en-GB', {
  timeZone: SCHOOL_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

const HOUR_MS = 3_600_000;

/**
 * London's offset from UTC at an instant, in milliseconds (0 in GMT, 3 600 000 in BST). The clocks change
 * on the hour (01:00 UTC), so the offset is the same through each UTC hour; formatting through Intl is the
 * slow part, so each hour's answer is kept.
 */
function offsetAt(epochMs: number): number {
  const hour = Math.floor(epochMs / HOUR_MS);
  let offset = offsets.get(hour);
  if (offset === undefined) {
    const parts: Record<string, number> = {};
    for (const part of londonParts.formatToParts(new Date(hour * HOUR_MS))) {
      if (part.type !== 'literal') parts[part.type] = Number(part.value);
    }
    const { year = 0, month = 1, day = 1, hour: h = 0, minute = 0, second = 0 } = parts;
    offset = Date.UTC(year, month - 1, day, h, minute, second) - hour * HOUR_MS;
    if (offsets.size >= 100_000) offsets.clear();
    offsets.set(hour, offset);
  }
  return offset;
}

const offsets = new Map<number, number>();

/** The instant shifted to London wall-clock time, read back through the UTC getters. */
function wallClock(instant: Date): Date {
  return new Date(instant.getTime() + offsetAt(instant.getTime()));
}

/** Whether a string is a real calendar date written YYYY-MM-DD. */
export function isIsoDate(value: string): boolean {
  const match = ISO_DATE.exec(value);
  if (!match) return false;
  const [, y, m, d] = match.map(Number) as [number, number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** The London calendar date of an instant, YYYY-MM-DD. */
export function londonDateOf(instant: Date): string {
  return wallClock(instant).toISOString().slice(0, 10);
}

/** The London wall-clock time of an instant, HH:MM. */
export function londonTimeOf(instant: Date): string {
  return wallClock(instant).toISOString().slice(11, 16);
}

/**
 * The instant London's clocks show `time` on `date`. Only for times the clocks never skip or repeat:
 * the changes happen at 01:00 and 02:00, so 08:30 is always there, once.
 */
export function londonInstant(date: string, time: string): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const [hh, mm] = time.split(':').map(Number) as [number, number];
  const wall = Date.UTC(y, m - 1, d, hh, mm);
  return new Date(wall - offsetAt(wall - offsetAt(wall)));
}

export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d) + days * DAY_MS).toISOString().slice(0, 10);
}

/** 0 Sunday ... 6 Saturday. */
export function weekdayOf(date: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d)).getUTCDay();
}

/** A run of days off, both ends included. */
export interface Holiday {
  from: string;
  to: string;
}

/**
 * Reads `2026-12-21/2027-01-01,2027-04-06` (ISO 8601 dates and date intervals, comma separated; both ends
 * of an interval are days off). Throws naming the first entry it cannot read.
 */
export function parseHolidays(text: string): Holiday[] {
  return text
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0)
    .map((entry): Holiday => {
      const [from = '', to = from, extra] = entry.split('/').map((s) => s.trim());
      if (extra !== undefined || !isIsoDate(from) || !isIsoDate(to)) {
        throw new Error(`"${entry}" is not a date (YYYY-MM-DD) or a date interval (YYYY-MM-DD/YYYY-MM-DD)`);
      }
      if (to < from) throw new Error(`"${entry}" ends before it starts`);
      return { from, to };
    });
}

/** Longer than any run of holidays a real school year has; a calendar with none is misconfigured. */
const SEARCH_LIMIT_DAYS = 400;

/** Which days are school days: Monday to Friday, except the configured holidays. */
export class SchoolCalendar {
  private readonly holidays: readonly Holiday[];

  constructor(holidays: readonly Holiday[] = []) {
    this.holidays = [...holidays];
  }

  static fromConfig(text: string): SchoolCalendar {
    return new SchoolCalendar(parseHolidays(text));
  }

  isSchoolDay(date: string): boolean {
    const weekday = weekdayOf(date);
    if (weekday === 0 || weekday === 6) return false;
    return !this.holidays.some((h) => h.from <= date && date <= h.to);
  }

  /**
   * The first start of a school day (08:30 in London) strictly after `after`. An incident on Friday night is
   * due on Monday at 08:30; one at 08:00 on a school day is due at 08:30 the same morning.
   */
  nextSchoolDayStart(after: Date, time: string = SCHOOL_DAY_STARTS): Date {
    let date = londonDateOf(after);
    for (let i = 0; i <= SEARCH_LIMIT_DAYS; i++) {
      if (this.isSchoolDay(date)) {
        const start = londonInstant(date, time);
        if (start.getTime() > after.getTime()) return start;
      }
      date = addDays(date, 1);
    }
    throw new Error(`no school day within ${SEARCH_LIMIT_DAYS} days of ${after.toISOString()}`);
  }
}

import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  addDays,
  londonDateOf,
  londonInstant,
  londonTimeOf,
  parseHolidays,
  SchoolCalendar,
  weekdayOf,
  type Holiday,
} from './school-calendar.js';

const due = (calendar: SchoolCalendar, at: string): string =>
  calendar.nextSchoolDayStart(new Date(at)).toISOString();

/**
 * What the answer must be, stated without the implementation's search: due is 08:30 London time on a
 * school day, strictly after the incident, and no school day's 08:30 lies between the two.
 */
function problemWith(calendar: SchoolCalendar, incident: Date, dueAt: Date): string | undefined {
  const at = `incident ${incident.toISOString()}, due ${dueAt.toISOString()}`;
  if (dueAt.getTime() <= incident.getTime()) return `${at}: not after the incident`;
  if (londonTimeOf(dueAt) !== '08:30') return `${at}: not 08:30 in London`;
  const dueDate = londonDateOf(dueAt);
  if (!calendar.isSchoolDay(dueDate)) return `${at}: not a school day`;
  for (let date = londonDateOf(incident); date < dueDate; date = addDays(date, 1)) {
    if (calendar.isSchoolDay(date) && londonInstant(date, '08:30').getTime() > incident.getTime()) {
      return `${at}: ${date} starts earlier`;
    }
  }
  return undefined;
}

describe('London time', () => {
  it('puts 08:30 at 08:30Z in winter and 07:30Z in summer, on the days the clocks change too', () => {
    expect(londonInstant('2026-01-15', '08:30').toISOString()).toBe('2026-01-15T08:30:00.000Z');
    expect(londonInstant('2026-07-15', '08:30').toISOString()).toBe('2026-07-15T07:30:00.000Z');
    // Clocks go forward at 01:00Z on Sunday 29 March 2026 and back at 01:00Z on Sunday 25 October 2026.
    expect(londonInstant('2026-03-29', '08:30').toISOString()).toBe('2026-03-29T07:30:00.000Z');
    expect(londonInstant('2026-03-28', '08:30').toISOString()).toBe('2026-03-28T08:30:00.000Z');
    expect(londonInstant('2026-10-25', '08:30').toISOString()).toBe('2026-10-25T08:30:00.000Z');
    expect(londonInstant('2026-10-24', '08:30').toISOString()).toBe('2026-10-24T07:30:00.000Z');
  });

  it('reads the London date of an instant, which in summer starts at 23:00Z the evening before', () => {
    expect(londonDateOf(new Date('2026-07-14T23:30:00Z'))).toBe('2026-07-15');
    expect(londonDateOf(new Date('2026-01-14T23:30:00Z'))).toBe('2026-01-14');
    expect(weekdayOf('2026-11-20')).toBe(5);
  });
});

describe('parseHolidays', () => {
  it('reads dates and intervals, comma separated, with spaces', () => {
    expect(parseHolidays(' 2026-12-21/2027-01-01 , 2027-04-06,')).toEqual([
      { from: '2026-12-21', to: '2027-01-01' },
      { from: '2027-04-06', to: '2027-04-06' },
    ]);
    expect(parseHolidays('')).toEqual([]);
  });

  it('refuses what is not a real date or interval, naming the entry', () => {
    expect(() => parseHolidays('2026-02-30')).toThrow('"2026-02-30" is not a date');
    expect(() => parseHolidays('2026-12-21..2027-01-01')).toThrow('"2026-12-21..2027-01-01" is not a date');
    expect(() => parseHolidays('2026-01-02/2026-01-01')).toThrow(
      '"2026-01-02/2026-01-01" ends before it starts',
    );
    expect(() => parseHolidays('2026-01-01/2026-01-02/2026-01-03')).toThrow('is not a date');
  });
});

describe('the next school day start (Operation Encompass deadline)', () => {
  const plain = new SchoolCalendar();

  it('makes an incident on Friday night due on Monday at 08:30', () => {
    expect(due(plain, '2026-11-20T22:40:00Z')).toBe('2026-11-23T08:30:00.000Z');
    // In summer, Monday 08:30 BST is 07:30Z.
    expect(due(plain, '2026-06-19T21:40:00Z')).toBe('2026-06-22T07:30:00.000Z');
  });

  it('makes weekend incidents due on Monday, and weekday night ones the next morning', () => {
    expect(due(plain, '2026-11-21T12:00:00Z')).toBe('2026-11-23T08:30:00.000Z');
    expect(due(plain, '2026-11-22T23:59:00Z')).toBe('2026-11-23T08:30:00.000Z');
    expect(due(plain, '2026-11-24T19:00:00Z')).toBe('2026-11-25T08:30:00.000Z');
  });

  it('makes an incident before 08:30 on a school day due that morning, and one at 08:30 the next', () => {
    expect(due(plain, '2026-11-24T06:15:00Z')).toBe('2026-11-24T08:30:00.000Z');
    expect(due(plain, '2026-11-24T08:29:59Z')).toBe('2026-11-24T08:30:00.000Z');
    expect(due(plain, '2026-11-24T08:30:00Z')).toBe('2026-11-25T08:30:00.000Z');
    expect(due(plain, '2026-11-24T14:00:00Z')).toBe('2026-11-25T08:30:00.000Z');
  });

  it('rolls an incident the night before a holiday past it, weekends included', () => {
    const christmas = new SchoolCalendar(parseHolidays('2026-12-21/2027-01-01'));
    // Friday 18 December, the last day of term: due on Monday 4 January.
    expect(due(christmas, '2026-12-18T21:00:00Z')).toBe('2027-01-04T08:30:00.000Z');
    const inset = new SchoolCalendar(parseHolidays('2026-11-24'));
    // Monday night before an inset day on Tuesday: due Wednesday.
    expect(due(inset, '2026-11-23T20:00:00Z')).toBe('2026-11-25T08:30:00.000Z');
    // Easter: Good Friday and Easter Monday off; the Thursday night incident is due on Tuesday.
    const easter = new SchoolCalendar(parseHolidays('2027-03-26,2027-03-29'));
    expect(due(easter, '2027-03-25T22:00:00Z')).toBe('2027-03-30T07:30:00.000Z');
  });

  it('follows the clocks across the change to BST and back to GMT', () => {
    // Friday 27 March 2026, GMT; Monday 30 March is BST: 08:30 there is 07:30Z.
    expect(due(plain, '2026-03-27T22:00:00Z')).toBe('2026-03-30T07:30:00.000Z');
    // Saturday night 28 March at 23:30 GMT, and Sunday 29 March at 00:30 GMT = 01:30 BST.
    expect(due(plain, '2026-03-28T23:30:00Z')).toBe('2026-03-30T07:30:00.000Z');
    expect(due(plain, '2026-03-29T01:30:00Z')).toBe('2026-03-30T07:30:00.000Z');
    // Friday 23 October 2026, BST; Monday 26 October is GMT.
    expect(due(plain, '2026-10-23T21:00:00Z')).toBe('2026-10-26T08:30:00.000Z');
    // Sunday 25 October, during the repeated hour (01:30 BST, then 01:30 GMT).
    expect(due(plain, '2026-10-25T00:30:00Z')).toBe('2026-10-26T08:30:00.000Z');
    expect(due(plain, '2026-10-25T01:30:00Z')).toBe('2026-10-26T08:30:00.000Z');
    // Monday 26 October at 08:00 GMT: still due that morning at 08:30 GMT.
    expect(due(plain, '2026-10-26T08:00:00Z')).toBe('2026-10-26T08:30:00.000Z');
    // Monday 30 March at 07:15Z is 08:15 BST: due at 07:30Z; at 07:45Z it is 08:45 BST: Tuesday.
    expect(due(plain, '2026-03-30T07:15:00Z')).toBe('2026-03-30T07:30:00.000Z');
    expect(due(plain, '2026-03-30T07:45:00Z')).toBe('2026-03-31T07:30:00.000Z');
  });

  it('holds for every quarter hour of 2026 and early 2027, with a year of English school holidays', () => {
    const calendar = new SchoolCalendar(
      parseHolidays(
        '2026-02-16/2026-02-20,2026-03-30/2026-04-10,2026-05-04,2026-05-25/2026-05-29,' +
          '2026-07-22/2026-09-02,2026-10-26/2026-10-30,2026-12-21/2027-01-01',
      ),
    );
    const start = Date.parse('2026-01-01T00:00:00Z');
    const end = Date.parse('2027-01-08T00:00:00Z');
    const problems: string[] = [];
    let checked = 0;
    for (let t = start; t < end; t += 15 * 60_000) {
      const incident = new Date(t);
      const problem = problemWith(calendar, incident, calendar.nextSchoolDayStart(incident));
      if (problem) problems.push(problem);
      checked++;
    }
    expect(problems).toEqual([]);
    expect(checked).toBe(35_712);
  });

  it('holds for any instant and any holidays (property)', () => {
    const date = fc
      .integer({ min: Date.parse('2024-01-01T00:00:00Z'), max: Date.parse('2030-12-31T00:00:00Z') })
      .map((ms) => new Date(ms));
    const holiday = fc.tuple(date, fc.integer({ min: 0, max: 45 })).map(([from, length]): Holiday => {
      const day = londonDateOf(from);
      return { from: day, to: addDays(day, length) };
    });
    fc.assert(
      fc.property(date, fc.array(holiday, { maxLength: 8 }), (incident, holidays) => {
        const calendar = new SchoolCalendar(holidays);
        expect(problemWith(calendar, incident, calendar.nextSchoolDayStart(incident))).toBeUndefined();
      }),
      { numRuns: 2000 },
    );
  });

  it('never brings a deadline forward when the incident is later (property)', () => {
    const instant = fc.integer({
      min: Date.parse('2025-01-01T00:00:00Z'),
      max: Date.parse('2028-01-01T00:00:00Z'),
    });
    fc.assert(
      fc.property(instant, fc.integer({ min: 0, max: 10 * 86_400_000 }), (t, later) => {
        const first = plain.nextSchoolDayStart(new Date(t)).getTime();
        const second = plain.nextSchoolDayStart(new Date(t + later)).getTime();
        expect(second).toBeGreaterThanOrEqual(first);
      }),
      { numRuns: 1000 },
    );
  });

  it('fails rather than answering when the configured holidays leave no school day', () => {
    const never = new SchoolCalendar([{ from: '2026-01-01', to: '2028-01-01' }]);
    expect(() => never.nextSchoolDayStart(new Date('2026-06-01T12:00:00Z'))).toThrow('no school day within');
  });
});

import {
  CHILD_PROTECTION_PLAN_ENDED,
  CHILD_PROTECTION_PLAN_STARTED,
  LOOKED_AFTER_ENDED,
  LOOKED_AFTER_STARTED,
} from '@jigsaw/contracts';
import type { RecordedEvent } from '@jigsaw/envelope';
import { isRecord } from './is-record.js';

/**
 * Episodes whose records stay shared for a fixed time after the episode ends, then only their owner sees
 * them: CP-IS shows health staff that a child is on a child protection plan or looked after, and for 12
 * months after it ends. The start and end events of one episode share its `startDate`.
 */
export const RETAINED_EPISODES: readonly { start: string; end: string; months: number }[] = [
  { start: CHILD_PROTECTION_PLAN_STARTED, end: CHILD_PROTECTION_PLAN_ENDED, months: 12 },
  { start: LOOKED_AFTER_STARTED, end: LOOKED_AFTER_ENDED, months: 12 },
];

const DATE = /^(\d{4})-(\d{2})-(\d{2})/;

/** Midnight at the start of a calendar day in England (GMT or BST), as an instant. */
function englishMidnight(year: number, month: number, day: number): Date {
  const utcMidnight = Date.UTC(year, month - 1, day);
  // London is at 00:00 (GMT) or 01:00 (BST) when it is 00:00 UTC; clocks change at 01:00 UTC, never at midnight.
  const londonHour = Number(
    new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hour: '2-digit', hourCycle: 'h23' }).format(
      utcMidnight,
    ),
  );
  return new Date(utcMidnight - londonHour * 3_600_000);
}

/**
 * When sharing ends: the start of the day `months` after `endDate` (a 29 February lands on the 28th). An
 * unreadable date ends sharing at once, so a mistake fails closed.
 */
export function sharingEndsAfter(endDate: string, months: number): string {
  const match = DATE.exec(endDate);
  const [year, month, day] = [Number(match?.[1]), Number(match?.[2]), Number(match?.[3])];
  const real = new Date(Date.UTC(year, month - 1, day));
  if (!match || real.getUTCMonth() !== month - 1 || real.getUTCDate() !== day)
    return new Date(0).toISOString();
  const total = month - 1 + months;
  const targetYear = year + Math.floor(total / 12);
  const targetMonth = (total % 12) + 1;
  const lastDay = new Date(Date.UTC(targetYear, targetMonth, 0)).getUTCDate();
  return englishMidnight(targetYear, targetMonth, Math.min(day, lastDay)).toISOString();
}

export interface EpisodeFacts {
  rule: (typeof RETAINED_EPISODES)[number];
  /** `YYYY-MM-DD` of the episode's start, which ties its start and end events together. */
  startDate: string;
  /** Set on the end event: when sharing of the episode's events ends. */
  sharingEndsAt?: string;
}

/** What a start or end event of a retained episode says about it; undefined for any other event. */
export function episodeOf(event: Pick<RecordedEvent, 'type' | 'data'>): EpisodeFacts | undefined {
  const rule = RETAINED_EPISODES.find((r) => r.start === event.type || r.end === event.type);
  if (!rule || !isRecord(event.data)) return undefined;
  const { startDate, endDate } = event.data;
  if (typeof startDate !== 'string') return undefined;
  const start = startDate.slice(0, 10);
  if (event.type !== rule.end) return { rule, startDate: start };
  return {
    rule,
    startDate: start,
    // Stryker disable next-line StringLiteral: any text that is not a date ends the sharing at once, as '' does: equivalent
    sharingEndsAt: sharingEndsAfter(typeof endDate === 'string' ? endDate : '', rule.months),
  };
}

import type { FieldProblem } from '@jigsaw/errors';
import type { RecordedEvent } from '@jigsaw/envelope';
import { notInFuture, type IngestContext } from '@jigsaw/ingest';

export const CALENDAR_DATE_MESSAGE = 'must be a real date (YYYY-MM-DD)';

/** An episode (plan, assessment, looked-after period...) is named by its start date, as the CIN census does. */
export interface EpisodeStartData {
  startDate: string;
}

export interface EpisodeEndData extends EpisodeStartData {
  endDate: string;
}

const withArticle = (kind: string): string => `${/^[aeiou]/.test(kind) ? 'an' : 'a'} ${kind}`;

function sameDay(a: unknown, b: string): boolean {
  return typeof a === 'string' && Date.parse(a) === Date.parse(b);
}

function startDateOf(event: RecordedEvent): unknown {
  return (event.data as { startDate?: unknown } | undefined)?.startDate;
}

/**
 * Start dates of the episodes of one kind that began and have not ended, in the child's records as they
 * stand (a retracted start or end is no longer there; a corrected one carries its corrected dates).
 */
export function openEpisodes(
  records: readonly RecordedEvent[],
  startType: string,
  endType: string,
): string[] {
  const open: string[] = [];
  for (const event of records) {
    const start = startDateOf(event);
    if (typeof start !== 'string') continue;
    // Paired by start date as the read side pairs them: two starts of one date (a correction can make
    // them) are one episode, and one end closes it.
    if (event.type === startType && !open.some((s) => sameDay(s, start))) open.push(start);
    if (event.type === endType) {
      const at = open.findIndex((s) => sameDay(s, start));
      if (at >= 0) open.splice(at, 1);
    }
  }
  return open;
}

/**
 * A start may not repeat an open episode of the same date; an exclusive kind (a child has one child
 * protection plan, or one period of care, at a time) may not start while another is open.
 */
export function episodeStartRules(
  startType: string,
  endType: string,
  options: { exclusive: boolean; kind: string },
) {
  return (data: EpisodeStartData, { state, now }: IngestContext): FieldProblem[] => {
    const problems = notInFuture('data.startDate', data.startDate, now);
    const open = openEpisodes(state.records, startType, endType);
    if (open.some((s) => sameDay(s, data.startDate))) {
      problems.push({
        field: 'data.startDate',
        reason: `${withArticle(options.kind)} starting on this date is already open`,
      });
    } else if (options.exclusive && open.length > 0) {
      problems.push({
        field: 'data.startDate',
        reason: `${withArticle(options.kind)} is already open for this child; end it before starting another`,
      });
    }
    return problems;
  };
}

/** An end must name an open episode of its kind by its start date, and not come before it. */
export function episodeEndRules(startType: string, endType: string, options: { kind: string }) {
  return (data: EpisodeEndData, { state, now }: IngestContext): FieldProblem[] => {
    const problems = notInFuture('data.endDate', data.endDate, now);
    if (Date.parse(data.endDate) < Date.parse(data.startDate)) {
      problems.push({ field: 'data.endDate', reason: 'must not be before data.startDate' });
    }
    if (!openEpisodes(state.records, startType, endType).some((s) => sameDay(s, data.startDate))) {
      problems.push({
        field: 'data.startDate',
        reason: `must be the start date of an open ${options.kind} (${startType}) in this child's history`,
      });
    }
    return problems;
  };
}

import { ErrorCode, JigsawError } from '@jigsaw/errors';
import type { EventStore } from '@jigsaw/event-store';
import { notificationAsKnownAt, notificationStreamOf, type NotificationHistory } from '@jigsaw/view-model';
import { momentOf } from '../as-known-at/as-known-at.js';
import { audited, UUID, type AuditReads, type ChildRefs } from '../audit-reads.js';
import type { AuditCaller } from '../auth/audit-caller.js';
import type { ChildHistory } from '../history/child-history.js';

function invalid(field: string, reason: string): JigsawError {
  return new JigsawError(ErrorCode.ValidationFailed, `invalid input: ${field}`, [{ field, reason }]);
}

/** The same answer for a notification that does not exist and one outside the caller's case. */
function notHeld(): JigsawError {
  return new JigsawError(ErrorCode.NotFound, 'no such notification is known to the hub', [
    { field: 'id', reason: 'names no notification you may audit' },
  ]);
}

/** `asKnownAt`: a date-time not in the future; now when absent. */
export function parseAsKnownAt(query: Readonly<Record<string, unknown>>, now: Date): Date {
  const value = query['asKnownAt'];
  if (value === undefined) return now;
  const moment = typeof value === 'string' ? momentOf(value) : NaN;
  if (Number.isNaN(moment)) {
    throw invalid('asKnownAt', 'must be a date-time with its offset, e.g. 2026-11-23T08:05:00Z');
  }
  if (moment > now.getTime()) throw invalid('asKnownAt', 'must not be in the future');
  return new Date(moment);
}

/**
 * For one notification: who was told, when, whether the delivery reached them, whether and when (and by
 * whom) it was acknowledged, and when it escalated, as its stream told it at `asKnownAt`. Scoped like every
 * audit read, by the child it is about, and recorded in that child's access stream before it answers.
 */
export class NotificationHistoryReads {
  constructor(
    private readonly store: EventStore,
    private readonly reads: AuditReads,
    private readonly children: ChildRefs,
    private readonly history: ChildHistory,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async read(
    caller: AuditCaller,
    id: string,
    query: Readonly<Record<string, unknown>>,
  ): Promise<NotificationHistory> {
    const now = this.clock();
    if (!UUID.test(id)) throw invalid('id', 'must be a notification id (UUID)');
    const at = parseAsKnownAt(query, now);
    const stored = await this.store.readStream(notificationStreamOf(id));
    const everything = notificationAsKnownAt(
      stored.map((s) => s.event),
      now,
    );
    if (!everything) throw notHeld();
    const childId = await this.children.resolve(everything.childId);
    const members = await this.children.membersOf(childId);
    const records = await this.history.records(members);
    if (records.length === 0) throw notHeld();
    const view = 'notification-history';
    // Outside the caller's case (the refusal is recorded): the answer is the unknown notification's.
    const scope = await this.reads
      .scope(caller, { childId, members, ref: childId, view }, records, now)
      .catch((error: unknown) => {
        throw error instanceof JigsawError && error.code === ErrorCode.ChildNotFound ? notHeld() : error;
      });
    const answer = notificationAsKnownAt(
      stored.map((s) => s.event),
      at,
    );
    const shown = audited(stored.filter(({ event }) => Date.parse(event.recordedtime) <= at.getTime()));
    await this.reads.record(
      {
        caller,
        now,
        view,
        childId,
        ref: childId,
        ...(scope.kind === 'partnership' ? { reportedTo: scope.reportTo } : {}),
      },
      shown,
    );
    // Not raised yet at that moment: the answer says so rather than pretending it never was.
    if (!answer) {
      throw new JigsawError(ErrorCode.NotFound, 'the notification had not been raised by then', [
        { field: 'asKnownAt', reason: `is before it was raised at ${everything.raisedAt}` },
      ]);
    }
    return answer;
  }
}

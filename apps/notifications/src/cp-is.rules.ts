import type { RecordedEvent } from '@jigsaw/envelope';
import { eventKeyOf } from '@jigsaw/projection';
import { type LooseData, UNSCHEDULED_CARE_ATTENDED } from '@jigsaw/contracts';
import {
  CARE_STATUS_TYPES,
  careStatuses,
  standingOn,
  londonDateOf,
  type CareStatus,
  type ChildHistory,
  type NewNotification,
} from '@jigsaw/view-model';
import { mayReceive, recipientOf, recordedBefore } from './recipients.js';

/** Events that can complete a CP-IS match, whichever of the two the hub hears of first. */
export const CP_IS_TYPES: ReadonlySet<string> = new Set([UNSCHEDULED_CARE_ATTENDED, ...CARE_STATUS_TYPES]);

/** When the child arrived, from the attendance's own time, else the envelope's. */
export function arrivedAtOf(
  event: RecordedEvent,
  data: LooseData<typeof UNSCHEDULED_CARE_ATTENDED>,
): Date | undefined {
  const value = typeof data.arrivedAt === 'string' ? data.arrivedAt : event.time;
  const at = new Date(value);
  return Number.isNaN(at.getTime()) ? undefined : at;
}

/**
 * CP-IS: every standing unscheduled care attendance by a child who was, on the day, on a child protection
 * plan or looked after (or had been within 12 months) becomes a notification to each council that recorded
 * such a status, when that council may see the attendance. Deciding from the whole history makes the
 * answer the same whichever of the attendance and the status the hub heard of first.
 */
export function decideCpIs(
  history: ChildHistory,
  now: Date,
  options: { notBefore: Date; attendanceKeys?: ReadonlySet<string> },
): NewNotification[] {
  const statuses = careStatuses(history);
  if (statuses.length === 0) return [];
  const notifications: NewNotification[] = [];
  for (const { event, data } of history.standing(UNSCHEDULED_CARE_ATTENDED)) {
    const key = eventKeyOf(event);
    if (options.attendanceKeys && !options.attendanceKeys.has(key)) continue;
    const arrivedAt = arrivedAtOf(event, data);
    if (!arrivedAt || recordedBefore(event, options.notBefore)) continue;
    const day = londonDateOf(arrivedAt);
    const byCouncil = new Map<string, { status: CareStatus; standing: 'in-force' | 'recently-ended' }[]>();
    for (const status of statuses) {
      const standing = standingOn(status, day);
      if (!standing) continue;
      byCouncil.set(status.council, [...(byCouncil.get(status.council) ?? []), { status, standing }]);
    }
    for (const [council, matched] of [...byCouncil].sort(([a], [b]) => a.localeCompare(b))) {
      const recipient = recipientOf(council);
      if (!recipient || !mayReceive(recipient, event, history, now)) continue;
      notifications.push({
        dedupeKey: `cp-is|${key}|${council}`,
        kind: 'cp-is',
        childId: event.childid,
        triggerEventKey: key,
        recipient,
        route: 'responsible-council',
        details: {
          careStatuses: matched.map(({ status, standing }) => ({
            kind: status.kind,
            startDate: status.startDate,
            ...(status.endDate ? { endDate: status.endDate } : {}),
            inForce: standing === 'in-force',
            ...(status.contact ? { contact: status.contact } : {}),
          })),
          statusEvents: matched.flatMap(({ status }) => status.events),
        },
      });
    }
  }
  return notifications;
}

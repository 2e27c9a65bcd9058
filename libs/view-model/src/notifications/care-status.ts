import { eventKeyOf } from '@jigsaw/projection';
import {
  type DataOf,
  looseObject,
  type LooseData,
  CHILD_PROTECTION_PLAN_ENDED,
  CHILD_PROTECTION_PLAN_STARTED,
  LOOKED_AFTER_ENDED,
  LOOKED_AFTER_STARTED,
} from '@jigsaw/contracts';
import type { ChildHistory } from './child-history.js';
import type { CareStatusSummary } from './notification.js';
import { isIsoDate } from './school-calendar.js';

export const CARE_STATUS_TYPES = [
  CHILD_PROTECTION_PLAN_STARTED,
  CHILD_PROTECTION_PLAN_ENDED,
  LOOKED_AFTER_STARTED,
  LOOKED_AFTER_ENDED,
] as const;

/** CP-IS keeps flagging a child for 12 months after the plan or period of care ends (DOMAIN.md). */
export const MONTHS_SHOWN_AFTER_END = 12;

/** A plan or period of care as the council recorded it, keyed by council, kind and start date. */
export interface CareStatus {
  kind: CareStatusSummary['kind'];
  council: string;
  startDate: string;
  endDate?: string;
  contact?: CareStatusSummary['contact'];
  /** `<source>|<id>` of the records it comes from. */
  events: string[];
}

const KIND_OF: Record<(typeof CARE_STATUS_TYPES)[number], CareStatus['kind']> = {
  [CHILD_PROTECTION_PLAN_STARTED]: 'child-protection-plan',
  [CHILD_PROTECTION_PLAN_ENDED]: 'child-protection-plan',
  [LOOKED_AFTER_STARTED]: 'looked-after',
  [LOOKED_AFTER_ENDED]: 'looked-after',
};

const dateIn = (value: unknown): string | undefined =>
  typeof value === 'string' && isIsoDate(value) ? value : undefined;

function contactIn(data: LooseData<typeof CHILD_PROTECTION_PLAN_STARTED>): CareStatus['contact'] {
  const c = looseObject<DataOf<typeof CHILD_PROTECTION_PLAN_STARTED>['contact']>(data.contact);
  if (!c) return undefined;
  const { team, phone, outOfHoursPhone } = c;
  if (typeof team !== 'string' || typeof phone !== 'string' || typeof outOfHoursPhone !== 'string') {
    return undefined;
  }
  return { team, phone, outOfHoursPhone };
}

/** Plans and periods of care that still stand (not retracted, corrections applied). */
export function careStatuses(history: ChildHistory): CareStatus[] {
  const statuses = new Map<string, CareStatus>();
  for (const standing of history.standing(...CARE_STATUS_TYPES)) {
    const { event, data } = standing;
    const kind = KIND_OF[standing.type];
    const startDate = dateIn(data.startDate);
    if (!startDate) continue;
    const key = `${event.source}|${kind}|${startDate}`;
    const status = statuses.get(key) ?? { kind, council: event.source, startDate, events: [] };
    status.events.push(eventKeyOf(event));
    if (standing.type === CHILD_PROTECTION_PLAN_STARTED) {
      status.contact = contactIn(standing.data) ?? status.contact;
    }
    if (standing.type === CHILD_PROTECTION_PLAN_ENDED || standing.type === LOOKED_AFTER_ENDED) {
      const endDate = dateIn(standing.data.endDate);
      if (endDate) status.endDate = endDate;
    }
    statuses.set(key, status);
  }
  return [...statuses.values()];
}

function addYear(date: string): string {
  // 29 February plus a year: compared as text, `YYYY-02-29` still sorts between the 28th and 1 March.
  return `${String(Number(date.slice(0, 4)) + MONTHS_SHOWN_AFTER_END / 12).padStart(4, '0')}${date.slice(4)}`;
}

/** How a status stood on a London date: in force, ended within the months CP-IS keeps showing it, or neither. */
export function standingOn(status: CareStatus, date: string): 'in-force' | 'recently-ended' | undefined {
  if (date < status.startDate) return undefined;
  if (!status.endDate || date <= status.endDate) return 'in-force';
  return date <= addYear(status.endDate) ? 'recently-ended' : undefined;
}

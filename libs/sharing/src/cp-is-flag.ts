import type { Viewer } from './viewer.js';

/** The named rule that lets unscheduled care read the minimal CP-IS flag of any child. */
export const CP_IS_MINIMAL_FLAG = 'cp-is-minimal-flag';

/** CP-IS keeps flagging a child for this long after the plan or period of care ends. */
export const CP_IS_MONTHS_AFTER_END = 12;

/**
 * What the flag answers: `flagged` (on a plan or looked after, now or within the months after it ended),
 * `not-flagged` (no such plan or care known to the hub), `not-visible` (one exists that this viewer, for
 * this purpose, may not see). `not-flagged` never stands for "you may not see".
 */
export type CpisFlagState = 'flagged' | 'not-flagged' | 'not-visible';

/** A plan or period of care the hub holds (standing: not retracted, withdrawn or corrected away). */
export interface HeldCareStatus {
  kind: 'child-protection-plan' | 'looked-after';
  council: string;
  /** `YYYY-MM-DD`. */
  startDate: string;
  endDate?: string;
  contact?: { team: string; phone: string; outOfHoursPhone: string };
  /** Whether the sharing policy lets this viewer see the records it comes from. */
  visible: boolean;
}

/** The minimal flag: which status, since when (and until when), and whom at the council to call. */
export interface MinimalStatus {
  kind: HeldCareStatus['kind'];
  since: string;
  ended?: string;
  current: boolean;
}

export type CpisFlagAnswer =
  | { state: 'not-flagged' | 'not-visible' }
  | { state: 'flagged'; rule: 'shared'; statuses: HeldCareStatus[] }
  | {
      state: 'flagged';
      rule: typeof CP_IS_MINIMAL_FLAG;
      statuses: MinimalStatus[];
      council: { organisation: string; contact?: HeldCareStatus['contact'] };
    };

/**
 * As in the national CP-IS scheme, a clinician reading for direct (health) care may read the minimal flag
 * of any child: at an unscheduled care setting the attendance is the relationship, often not yet recorded.
 */
export function readsMinimalFlag(viewer: Viewer): boolean {
  return viewer.agency === 'health' && viewer.role === 'clinician' && viewer.purpose === 'health-care';
}

function monthsAfter(date: string, months: number): string {
  const year = Number(date.slice(0, 4)) + Math.floor(months / 12);
  return `${String(year).padStart(4, '0')}${date.slice(4)}`;
}

/** On `today` (a London date): in force, or ended within the months CP-IS keeps showing it. */
export function shownOn(status: HeldCareStatus, today: string): boolean {
  if (today < status.startDate) return false;
  return status.endDate === undefined || today <= monthsAfter(status.endDate, CP_IS_MONTHS_AFTER_END);
}

const inForce = (status: HeldCareStatus, today: string): boolean =>
  status.endDate === undefined || today <= status.endDate;

/**
 * The CP-IS flag for this viewer on `today`. What the viewer may see answers first; when they may see
 * none of what the hub holds, the minimal-flag rule answers for unscheduled care, and everyone else learns
 * only that there is something they may not see.
 */
export function decideCpisFlag(
  viewer: Viewer,
  held: readonly HeldCareStatus[],
  today: string,
): CpisFlagAnswer {
  const shown = held.filter((status) => shownOn(status, today));
  const visible = shown.filter((status) => status.visible);
  if (visible.length > 0) return { state: 'flagged', rule: 'shared', statuses: visible };
  if (shown.length === 0) return { state: 'not-flagged' };
  if (!readsMinimalFlag(viewer)) return { state: 'not-visible' };
  // The council to call: the one whose plan or care is in force, else (every one ended) the last to end.
  const responsible =
    shown.find((status) => inForce(status, today)) ??
    shown.reduce((last, status) => (status.endDate! > last.endDate! ? status : last));
  const contact = shown.find((s) => s.council === responsible.council && s.contact)?.contact;
  return {
    state: 'flagged',
    rule: CP_IS_MINIMAL_FLAG,
    statuses: shown.map((status) => ({
      kind: status.kind,
      since: status.startDate,
      ...(status.endDate ? { ended: status.endDate } : {}),
      current: inForce(status, today),
    })),
    council: { organisation: responsible.council, ...(contact ? { contact } : {}) },
  };
}
